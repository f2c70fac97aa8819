// The editor's Apply at a trace limit: the worker ends the run with a `failed` message that
// names the limit and what reached it (the panel's summary and the notification show it), not
// a stack trace, and not a thread that dies.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { defaultTraceLimits } from '../../src/core/trace/traceLimits';
import { TraceSession } from '../../src/extension/traceSession';
import { defaultWorkerLimits, TraceWorkerRun } from '../../src/extension/traceWorkerRun';
import { repoRoot } from '../trace/traceInputs';
import type { TraceSettings, WorkerToHostMessage } from '../../src/extension/workerMessages';
import { regExpOf } from '../regExpOf';

const settings: TraceSettings = {
  kubernetesVersion: '1.35',
  seed: 1,
  nodes: 3,
  nodesGiven: false,
  speed: 1000,
  untilMs: null,
};

const deployment = (replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n` +
  `  replicas: ${replicas}\n  selector: {matchLabels: {app: web}}\n` +
  '  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n';

/** Runs a worker to its end on a wall clock whose timers fire at once, in order; returns what it posted. */
function runWorker(
  text: string,
  overrides: Partial<TraceSettings>,
  maxPods = defaultTraceLimits.maxPods,
): WorkerToHostMessage[] {
  const posted: WorkerToHostMessage[] = [];
  const timers: (() => void)[] = [];
  let now = 0;
  const run = new TraceWorkerRun(
    (m) => posted.push(m),
    { now: () => now, setTimer: (_ms, fn) => (timers.push(fn), () => undefined) },
    {
      ...defaultWorkerLimits,
      trace: { ...defaultTraceLimits, maxPods },
    },
  );
  run.handle({ type: 'start', manifests: [{ name: 'web.yaml', text }], settings: { ...settings, ...overrides } });
  for (let i = 0; i < 100_000 && timers.length > 0; i++) {
    now += 100;
    timers.shift()!();
  }
  return posted;
}

test('nodes past the limit fail the Apply at once with the limit in words', () => {
  const posted = runWorker(deployment(1), { nodes: 4_294_967_296, nodesGiven: true });
  assert.deepEqual(posted, [
    {
      type: 'failed',
      message: 'the trace stopped: the run would start with 4,294,967,296 nodes, more than its limit of 5,000 nodes',
    },
  ]);
});

test('pods past the limit in the middle of a paced run fail it \
with the limit and the workload, after the chunks so far', () => {
  const posted = runWorker(deployment(2_147_483_647), {}, 200);
  const last = posted[posted.length - 1];
  assert.equal(last.type, 'failed');
  assert.match(
    (last as { message: string }).message,
    regExpOf(
      /^the trace stopped: the run reached [\d,]+ pods at [\d.,]+ s virtual, more than its limit of 200 pods; /,
      /the last was created by ReplicaSet default\/web-\w+ \(of Deployment default\/web\)$/,
    ),
  );
  assert.ok(
    posted.some((m) => m.type === 'chunk'),
    'the chunks before the limit were posted',
  );
  assert.equal(posted.filter((m) => m.type === 'failed' || m.type === 'done').length, 1);
});

test("the host's summary of a run refused at a limit names it (what the panel and the notification show)", async () => {
  const session = new TraceSession(
    path.join(repoRoot, 'dist/traceWorker.js'),
    {
      type: 'start',
      manifests: [{ name: 'web.yaml', text: deployment(1) }],
      settings: { ...settings, nodes: 10_000_000, nodesGiven: true },
    },
    { started: () => undefined, chunk: () => undefined, finished: () => undefined, log: () => undefined },
  );
  const outcome = await session.done;
  assert.equal(outcome.stopReason, 'failed');
  assert.equal(
    outcome.summary,
    'failed at 0.000s virtual (0 events, 0 pods (0 ready)): the trace stopped: the run would start with ' +
      '10,000,000 nodes, more than its limit of 5,000 nodes',
  );
});
