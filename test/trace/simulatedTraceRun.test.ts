// The stepwise run streams exactly the trace of the run to the end (the one `podtrace trace`
// prints and the goldens hold): the same events in the same order, the same end, and pod and
// window updates that add up to the final summaries; paced by an injected wall clock.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { PacedTrace } from '../../src/core/trace/pacedTrace';
import {
  SimulatedTraceRun,
  traceInSimulator,
  type SimulatedTraceInput,
  type TraceStep,
} from '../../src/core/trace/simulatedTrace';
import type { TraceEvent } from '../../src/core/trace/model/traceEvent';
import { caseInput, fileInput, textInput } from './traceInputs';

/** An event as the --json document has it, with the field path the recorder keeps beside it. */
function plain(e: TraceEvent): string {
  return JSON.stringify({ ...e, fieldPath: e.fieldPath });
}

/** Runs in steps of `stepMs` virtual ms (and at most `maxEvents` engine events each), collecting every step. */
function stepped(
  input: SimulatedTraceInput,
  stepMs: number,
  maxEvents = Number.POSITIVE_INFINITY,
  maxStepEvents = Number.POSITIVE_INFINITY,
) {
  const run = new SimulatedTraceRun(input, { streaming: true });
  const steps: TraceStep[] = [];
  /** The windows' ends as each step handed them out (the window objects themselves change later). */
  const windowEnds: { index: number; end: number | null }[] = [];
  let target = 0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const result = run.advance(target, maxEvents);
    for (;;) {
      const step = run.takeStep(maxStepEvents);
      steps.push(step);
      for (const w of step.windows) windowEnds.push({ index: w.index, end: w.window.end });
      if (!step.more) break;
    }
    if (result) return { run, steps, result, windowEnds };
    if (run.clockMs >= target) target += stepMs;
  }
  throw new Error(`the run of ${input.files.map((f) => f.name).join(', ')} did not end`);
}

const cases: readonly [string, () => SimulatedTraceInput][] = [
  ['examples/web/deployment.yaml (quiescent)', () => fileInput('examples/web/deployment.yaml')],
  ['readiness-undeclared-port (a time limit)', () => caseInput('readiness-undeclared-port')],
  ['deletion-routing-window (a scenario with routing windows)', () => caseInput('deletion-routing-window')],
  ['crash-loop-backoff (a time limit, never quiet)', () => caseInput('crash-loop-backoff')],
];

for (const [name, input] of cases) {
  test(`stepping gives the trace of the run to the end: ${name}`, () => {
    const whole = traceInSimulator(input());
    for (const [stepMs, maxEvents] of [
      [1, Infinity],
      [137, Infinity],
      [2500, 50],
      [60_000, Infinity],
    ] as const) {
      const { run, steps, result } = stepped(input(), stepMs, maxEvents);
      const label = `steps of ${stepMs} ms, ${maxEvents} engine events`;
      assert.deepEqual(result, whole.result, `${label}: the end`);
      const events = steps.flatMap((s) => s.events);
      assert.equal(events.length, whole.events.length, `${label}: the number of events`);
      assert.deepEqual(events.map(plain), whole.events.map(plain), `${label}: the events`);
      events.forEach((e, i) => assert.equal(e.id, i, `${label}: consecutive ids`));
      // The latest update of each pod and window is its final state.
      const pods = new Map(steps.flatMap((s) => s.pods).map((p) => [p.uid, p]));
      assert.deepEqual(
        [...pods.values()].sort((a, b) => (a.uid < b.uid ? -1 : 1)),
        [...whole.pods].sort((a, b) => (a.uid < b.uid ? -1 : 1)),
        `${label}: the pods`,
      );
      const windows: unknown[] = [];
      for (const s of steps) for (const w of s.windows) windows[w.index] = { ...w.window };
      assert.deepEqual(
        windows,
        whole.windows.map((w) => ({ ...w })),
        `${label}: the windows`,
      );
      // The clock never goes back and ends where the run ended.
      steps.reduce(
        (last, s) => (
          assert.ok(s.clockMs >= last, `${label}: the clock went back from ${last} to ${s.clockMs}`),
          s.clockMs
        ),
        0,
      );
      assert.equal(steps[steps.length - 1].clockMs, whole.result.time);
      assert.deepEqual(run.trace().pods, whole.pods);
    }
  });
}

test('the deletion case streams each routing window as it opens, then again as it closes', () => {
  const { windowEnds } = stepped(caseInput('deletion-routing-window'), 50);
  const whole = traceInSimulator(caseInput('deletion-routing-window'));
  assert.ok(whole.windows.length > 0, 'expected routing windows in the deletion case');
  whole.windows.forEach((w, index) => {
    const updates = windowEnds.filter((u) => u.index === index).map((u) => u.end);
    assert.deepEqual(updates, [null, w.end], `window ${index}: handed out open, then closed at ${w.end}`);
  });
});

test('a step cut at its event limit carries no pods or windows; the one that ends the backlog does', () => {
  const run = new SimulatedTraceRun(fileInput('examples/web/deployment.yaml'), { streaming: true });
  run.advance(10_000);
  const cut = run.takeStep(5);
  assert.equal(cut.events.length, 5);
  assert.equal(cut.more, true);
  assert.deepEqual([cut.pods.length, cut.windows.length], [0, 0]);
  let last = cut;
  while (last.more) last = run.takeStep(5);
  assert.ok(
    last.pods.length === 3,
    `expected the three pods with the step that ends the backlog, got ${last.pods.length}`,
  );
  for (const p of last.pods)
    for (const id of Object.values(p.phaseEvents))
      assert.ok(id! < last.events[last.events.length - 1].id + 1, 'a phase event after the step');
});

test('trace() refuses a run that has not ended, saying so', () => {
  const run = new SimulatedTraceRun(fileInput('examples/web/deployment.yaml'));
  run.advance(1000);
  assert.throws(() => run.trace(), /expected a run that has ended .*found one still running/);
});

/** A wall clock the test moves by hand; timers fire when it passes them. */
class FakeWall {
  time = 0;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private nextId = 0;
  now(): number {
    return this.time;
  }
  setTimer(delayMs: number, run: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.time + delayMs, run, id });
    return () => (this.timers = this.timers.filter((t) => t.id !== id));
  }
  /** Moves the clock by `ms`, firing the timers that fall due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.run();
    }
    this.time = end;
  }
  get pending(): number {
    return this.timers.length;
  }
}

test('paced: virtual time follows the wall clock times the speed, and the trace is the whole one', () => {
  const whole = traceInSimulator(fileInput('examples/web/deployment.yaml'));
  const wall = new FakeWall();
  const run = new SimulatedTraceRun(fileInput('examples/web/deployment.yaml'), { streaming: true });
  const steps: TraceStep[] = [];
  let done = 0;
  const paced = new PacedTrace(run, wall, {
    speed: 2,
    tickMs: 100,
    onStep: (s) => steps.push(s),
    onDone: () => done++,
  });
  paced.start();
  wall.advance(0);
  wall.advance(1000);
  assert.ok(
    run.clockMs <= 2000 && run.clockMs >= 1800,
    `expected about 2 s of virtual time after 1 s of wall time at speed 2, got ${run.clockMs} ms`,
  );
  assert.ok(steps.length >= 10, `expected a step per tick (10 ticks), got ${steps.length}`);
  wall.advance(60_000);
  assert.equal(done, 1);
  assert.equal(paced.state, 'done');
  assert.equal(wall.pending, 0, 'no timer is left once the run is done');
  assert.deepEqual(steps.flatMap((s) => s.events).map(plain), whole.events.map(plain));
  // Quiet ticks still move the clock on, so a live view shows time passing.
  assert.ok(
    steps.some((s) => s.events.length === 0 && s.clockMs > 0),
    'expected steps without events that move the clock',
  );
});

test('paced: skip to end runs the rest without waiting, in steps of at most maxStepEvents', () => {
  const wall = new FakeWall();
  const run = new SimulatedTraceRun(fileInput('examples/web/deployment.yaml'), { streaming: true });
  const steps: TraceStep[] = [];
  let ended: string | undefined;
  const paced = new PacedTrace(run, wall, {
    speed: 0.001,
    maxSliceEvents: 200,
    maxStepEvents: 10,
    onStep: (s) => steps.push(s),
    onDone: (r) => (ended = r.reason),
  });
  paced.start();
  wall.advance(0);
  paced.skipToEnd();
  // Every slice is a timer of 0 ms: the clock does not have to move for the run to end.
  wall.advance(0);
  assert.equal(ended, 'quiescent');
  assert.ok(
    steps.every((s) => s.events.length <= 10),
    'a step above the bound',
  );
  assert.equal(
    steps.flatMap((s) => s.events).length,
    traceInSimulator(fileInput('examples/web/deployment.yaml')).events.length,
  );
});

test('paced: stop ends the run where it is; nothing is stepped after it', () => {
  const wall = new FakeWall();
  const run = new SimulatedTraceRun(fileInput('examples/web/deployment.yaml'), { streaming: true });
  let steps = 0;
  let done = 0;
  const paced = new PacedTrace(run, wall, { speed: 1, onStep: () => steps++, onDone: () => done++ });
  paced.start();
  wall.advance(500);
  paced.stop();
  const seen = steps;
  const clock = run.clockMs;
  wall.advance(60_000);
  assert.deepEqual([steps, done, run.clockMs, paced.state, wall.pending], [seen, 0, clock, 'stopped', 0]);
});

test('paced: a speed that is not a positive number is refused with the value', () => {
  const run = new SimulatedTraceRun(fileInput('examples/web/deployment.yaml'));
  assert.throws(
    () => new PacedTrace(run, new FakeWall(), { speed: 0, onStep: () => undefined, onDone: () => undefined }),
    /expected a speed above 0 \(virtual ms per wall ms\), got 0/,
  );
});

test('a Node defined twice is one node, the later definition replacing the earlier, as apply leaves it', () => {
  // Found by the fuzzing harness: the second definition was registered as a second node of the
  // same name, and the run crashed with `nodes "node-x" already exists`.
  const node = (zone: string) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: node-x\n  labels: {zone: ${zone}}\n`;
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n' +
    '  containers:\n    - name: app\n      image: nginx:1.27\n';
  const trace = traceInSimulator(textInput('nodes.yaml', `${node('a')}---\n${node('b')}---\n${pod}`));
  const nodes = trace.cluster.ctx.store.list('nodes', {});
  assert.deepEqual(
    nodes.map((n) => [n.metadata.name, n.metadata.labels?.zone]),
    [['node-x', 'b']],
  );
  assert.equal(trace.pods.filter((p) => p.phases.ready !== null).length, 1);
});
