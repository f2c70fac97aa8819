// The trace worker, as the extension host runs it (dist/traceWorker.js through TraceSession,
// no VS Code needed): it streams the trace `podtrace trace` gives, in bounded chunks that
// decode back to it, ends with the summary and the runtime findings, can be skipped to its
// end and cancelled, and drops what does not validate, saying why.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runtimeFindings } from '../../src/core/trace/runtimeFindings';
import { traceInSimulator } from '../../src/core/trace/simulatedTrace';
import { TraceChunkDecoder } from '../../src/protocol/traceChunkDecoder';
import { chunkLength, type TraceChunk } from '../../src/protocol/traceColumns';
import { TraceSession, type TraceOutcome } from '../../src/extension/traceSession';
import { TraceWorkerRun } from '../../src/extension/traceWorkerRun';
import {
  parseHostToWorker,
  parseWorkerToHost,
  type StartTraceRequest,
  type TraceSettings,
  type WorkerToHostMessage,
} from '../../src/extension/workerMessages';
import { fileInput, repoRoot } from '../trace/traceInputs';
import { regExpOf } from '../regExpOf';

const workerFile = path.join(repoRoot, 'dist/traceWorker.js');
const webFile = path.join(repoRoot, 'examples/web/deployment.yaml');
const settings: TraceSettings = {
  kubernetesVersion: '1.35',
  seed: 1,
  nodes: 3,
  nodesGiven: false,
  speed: 1000,
  untilMs: null,
};

function request(
  manifests: { name: string; text: string }[],
  overrides: Partial<TraceSettings> = {},
): StartTraceRequest {
  return { type: 'start', manifests, settings: { ...settings, ...overrides } };
}

/** Runs a session to its end, keeping what it handed on. */
function session(req: StartTraceRequest) {
  const chunks: TraceChunk[] = [];
  const logs: string[] = [];
  const order: string[] = [];
  let started: { nodes: number; profile: string } | undefined;
  const s = new TraceSession(workerFile, req, {
    started: (info) => ((started = info), order.push('started')),
    chunk: (c) => (chunks.push(c), order.push('chunk')),
    finished: () => order.push('finished'),
    log: (line) => logs.push(line),
  });
  return { s, chunks, logs, order, started: () => started };
}

/** Many replicas, so that a run has enough to do to be caught in the middle. */
function bigManifest(deployments: number, replicas: number): string {
  return Array.from({ length: deployments }, (_, i) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: app-${i}}`,
      'spec:',
      `  replicas: ${replicas}`,
      `  selector: {matchLabels: {app: app-${i}}}`,
      '  template:',
      `    metadata: {labels: {app: app-${i}}}`,
      '    spec:',
      '      containers: [{name: app, image: nginx:1.27, resources: {requests: {cpu: 10m, memory: 16Mi}}}]',
    ].join('\n'),
  ).join('\n---\n');
}

test('the worker bundle never loads vscode (it runs on a worker thread, where there is none)', () => {
  const bundle = fs.readFileSync(workerFile, 'utf8');
  assert.doesNotMatch(bundle, /require\(["']vscode["']\)/);
  assert.match(bundle, /worker_threads/);
});

test('the worker streams the trace podtrace trace gives and ends with its summary and findings', async () => {
  assert.ok(fs.existsSync(workerFile), `expected the built worker at ${workerFile}; run node scripts/build.mjs`);
  const text = fs.readFileSync(webFile, 'utf8');
  const { s, chunks, order, started } = session(request([{ name: webFile, text }]));
  const outcome = await s.done;
  assert.equal(await s.workerExited, 1, 'expected the worker to be terminated once done');
  const whole = traceInSimulator(fileInput('examples/web/deployment.yaml'));
  assert.deepEqual(started(), { nodes: 3, profile: 'default' });
  assert.equal(order[0], 'started');
  assert.equal(order[order.length - 1], 'finished');
  const decoder = new TraceChunkDecoder();
  for (const chunk of chunks) decoder.append(chunk);
  assert.equal(decoder.events.length, whole.events.length);
  for (const e of whole.events) {
    const d = decoder.events[e.id];
    assert.deepEqual(
      [d.time, d.lane, d.reason, d.message, d.object.name, d.causes],
      [e.time, e.lane, e.reason, e.message, e.object.name, e.causes],
      `event ${e.id}`,
    );
    const source = whole.sourceOf(e);
    assert.deepEqual(
      d.source === undefined ? undefined : decoder.sources[d.source],
      source && { ...source },
      `the source of event ${e.id}`,
    );
  }
  assert.deepEqual(
    [...decoder.pods.values()].map((p) => p.phases.ready !== null),
    [true, true, true],
  );
  assert.deepEqual(
    {
      stopReason: outcome.stopReason,
      events: outcome.events,
      pods: outcome.pods,
      ready: outcome.ready,
      endedAtMs: outcome.endedAtMs,
    },
    { stopReason: 'quiescent', events: whole.events.length, pods: 3, ready: 3, endedAtMs: whole.result.time },
  );
  assert.match(
    outcome.summary,
    regExpOf(
      /^\d+ events, 3 pods \(3 ready\) on 3 nodes; quiescent at /,
      /\d+\.\d{3}s virtual \(seed 1, profile default, Kubernetes 1\.35\)$/,
    ),
  );
  assert.match(outcome.timeline, /^Timeline\n/);
  assert.deepEqual(outcome.findings, runtimeFindings(whole.events, whole.sourceOf, whole.pods));
});

test('the worker reports the runtime findings of its trace, on the lines that caused them', async () => {
  const text = fs.readFileSync(path.join(repoRoot, 'examples/mistakes/readiness-wrong-port.yaml'), 'utf8');
  const outcome = await session(request([{ name: 'readiness-wrong-port.yaml', text }], { untilMs: 60_000 })).s.done;
  assert.deepEqual(
    outcome.findings.map((f) => `${f.source.file}:${f.source.line}:${f.source.column} ${f.code} ${f.pods.length}`),
    ['readiness-wrong-port.yaml:26:11 ReadinessProbeFailed 2'],
  );
});

test('paced, the run takes wall time in proportion to its speed; skip to end finishes it at once', async () => {
  // examples/web settles at about 8.7 s virtual: at speed 1 that is 8.7 s of wall time.
  const text = fs.readFileSync(webFile, 'utf8');
  const { s, chunks, started } = session(request([{ name: webFile, text }], { speed: 1 }));
  // From the first chunk on (a loaded machine may take a while to start the worker thread).
  while (chunks.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(started(), 'expected started before the first chunk');
  await new Promise((resolve) => setTimeout(resolve, 700));
  assert.equal(s.live, true, 'expected the run still going 0.7 s after it started, at speed 1');
  assert.ok(s.clockMs > 0 && s.clockMs < 3000, `expected the clock near 0.7 s of virtual time, got ${s.clockMs} ms`);
  assert.ok(chunks.length >= 3, `expected a chunk per tick, got ${chunks.length}`);
  const skipped = Date.now();
  s.skipToEnd();
  const outcome = await s.done;
  assert.equal(outcome.stopReason, 'quiescent');
  assert.ok(Date.now() - skipped < 5000, `expected the rest to run at once, took ${Date.now() - skipped} ms`);
});

test('chunks stay within 5,000 events, even when a run is skipped to its end', async () => {
  const { s, chunks } = session(
    request([{ name: 'big.yaml', text: bigManifest(10, 100) }], { speed: 0.01, nodes: 20, nodesGiven: true }),
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  s.skipToEnd();
  const outcome = await s.done;
  assert.equal(outcome.pods, 1000);
  assert.ok(outcome.events > 10_000, `expected a trace of several chunks, got ${outcome.events} events`);
  assert.ok(
    chunks.every((c) => chunkLength(c) <= 5_000),
    `a chunk above 5,000 events: ${Math.max(...chunks.map(chunkLength))}`,
  );
  assert.equal(
    chunks.reduce((n, c) => n + chunkLength(c), 0),
    outcome.events,
  );
});

test('cancel ends the worker at once; nothing it sent later is handed on', async () => {
  const { s, chunks, order } = session(
    request([{ name: 'big.yaml', text: bigManifest(10, 100) }], { speed: 1, nodes: 20, nodesGiven: true }),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = chunks.length;
  assert.ok(before > 0, 'expected chunks before the cancel');
  s.cancel();
  const outcome: TraceOutcome = await s.done;
  assert.equal(outcome.stopReason, 'cancelled');
  assert.match(outcome.summary, /^cancelled at \d+\.\d{3}s virtual: \d+ events, \d+ pods \(\d+ ready\)$/);
  assert.equal(await s.workerExited, 1);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(chunks.length, before, 'a chunk was handed on after the cancel');
  assert.equal(order.filter((o) => o === 'finished').length, 1);
  assert.equal(order[order.length - 1], 'finished');
});

test('a manifest without Kubernetes objects fails the run with the reason', async () => {
  const outcome = await session(request([{ name: 'notes.yaml', text: 'just: text\n' }])).s.done;
  assert.equal(outcome.stopReason, 'failed');
  assert.match(outcome.summary, /no objects to apply: notes\.yaml holds no Kubernetes objects/);
});

test('the worker drops a message that does not validate and says why; a valid one after it still runs', () => {
  const posted: WorkerToHostMessage[] = [];
  const timers: (() => void)[] = [];
  const run = new TraceWorkerRun((m) => posted.push(m), {
    now: () => 0,
    setTimer: (_ms, fn) => (timers.push(fn), () => undefined),
  });
  run.handle({ type: 'start', manifests: [], settings });
  run.handle({ type: 'start', manifests: [{ name: 'a.yaml', text: 'x' }], settings: { ...settings, speed: -1 } });
  run.handle({ type: 'explode' });
  run.handle('start');
  assert.deepEqual(posted, [
    {
      type: 'log',
      line:
        'podtrace trace worker: dropped a message from the host: ' +
        'start: manifests: expected a list of at least one {name, text}',
    },
    {
      type: 'log',
      line:
        'podtrace trace worker: dropped a message from the host: ' +
        'start: settings.speed: expected a number above 0, got -1',
    },
    {
      type: 'log',
      line: 'podtrace trace worker: dropped a message from the host: message: unknown message type "explode"',
    },
    { type: 'log', line: 'podtrace trace worker: dropped a message from the host: message: expected an object' },
  ]);
  run.handle({ type: 'start', manifests: [{ name: 'web.yaml', text: fs.readFileSync(webFile, 'utf8') }], settings });
  assert.deepEqual(
    posted.slice(4).map((m) => m.type),
    ['started'],
  );
});

test('the host drops a worker message that does not validate, naming the field', () => {
  const bad = (value: unknown) => {
    const parsed = parseWorkerToHost(value);
    return parsed.ok ? 'ok' : parsed.reason;
  };
  assert.equal(
    bad({ type: 'started', nodes: -1, profile: 'default' }),
    'started: expected nodes (an integer ≥ 0) and profile (a string)',
  );
  assert.equal(bad({ type: 'chunk', chunk: { firstId: 0 } }), 'chunk: strings: expected a list of strings');
  const done = {
    type: 'done',
    stopReason: 'quiescent',
    endedAtMs: 1,
    summary: '',
    timeline: '',
    events: 0,
    pods: 0,
    ready: 0,
    findings: [],
  };
  assert.equal(bad(done), 'ok');
  assert.equal(
    bad({ ...done, stopReason: 'cancelled' }),
    'done: stopReason: expected quiescent or time-limit, got "cancelled"',
  );
  assert.match(
    bad({ ...done, findings: [{ code: 'Oops' }] }),
    /^done: findings\[0\]\.code: expected one of FailedScheduling, /,
  );
  const finding = {
    code: 'FailedMount',
    severity: 'warning',
    message: 'm',
    eventId: 3,
    pods: ['default/p'],
    source: { file: 'a.yaml', path: 'spec', line: 0, column: 1, endLine: 1, endColumn: 2 },
  };
  assert.equal(
    bad({ ...done, findings: [finding] }),
    'done: findings[0].source: expected a file, a path and 1-based line, column, endLine and endColumn',
  );
  assert.equal(bad({ type: 'log' }), 'log: line: expected a string');
  assert.equal(parseHostToWorker({ type: 'skipToEnd' }).ok, true);
});
