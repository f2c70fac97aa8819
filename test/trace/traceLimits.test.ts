// The trace's limits, in core where the CLI and the editor's Apply share them: what the input
// says it will reach is refused before a cluster is built, what only running tells stops the
// run within a slice of the limit, and a run within its limits is the run it always was.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScenario } from '../../src/core/sim/scenario/scenario';
import { SimulatedTraceRun, traceInSimulator, type SimulatedTraceInput } from '../../src/core/trace/simulatedTrace';
import { defaultTraceLimits, TraceLimitError, type TraceLimits } from '../../src/core/trace/traceLimits';
import { caseInput, textInput } from './traceInputs';
import { regExpOf } from '../regExpOf';

const deployment = (replicas: number) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    `  replicas: ${replicas}`,
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: 10m, memory: 16Mi}}}]',
    '',
  ].join('\n');

function limitError(input: SimulatedTraceInput, limits: Partial<TraceLimits> = {}): TraceLimitError {
  try {
    traceInSimulator({ ...input, limits: { ...defaultTraceLimits, ...limits } });
  } catch (error) {
    assert.ok(error instanceof TraceLimitError, `a TraceLimitError, not ${(error as Error).stack}`);
    return error;
  }
  assert.fail('expected the run to pass a limit');
}

test('a node count or a virtual time past the limits is refused before any cluster is built', () => {
  const started = Date.now();
  const huge = limitError(textInput('web.yaml', deployment(1), { nodes: 4_294_967_296 }));
  assert.equal(huge.limit, 'nodes');
  assert.equal(huge.message, 'the run would start with 4,294,967,296 nodes, more than its limit of 5,000 nodes');
  const many = limitError(textInput('web.yaml', deployment(1), { nodes: 10_000_000 }));
  assert.equal(many.message, 'the run would start with 10,000,000 nodes, more than its limit of 5,000 nodes');
  const long = limitError(textInput('web.yaml', deployment(1), { untilMs: 1e15 }));
  assert.deepEqual(
    [long.limit, long.max, long.message],
    ['time', 3_600_000, 'the run would last 1,000,000,000,000 s of virtual time, more than its limit of 3,600 s'],
  );
  const added = limitError(
    {
      ...textInput('web.yaml', deployment(1)),
      actions: parseScenario('- {at: 1s, addNode: a}\n- {at: 2s, addNode: b}\n', () => ''),
    },
    { maxNodes: 4 },
  );
  assert.equal(
    added.message,
    'the run would start with 3 nodes and its scenario adds 2 (5), more than its limit of 4 nodes',
  );
  assert.ok(Date.now() - started < 5_000, 'refused at once');
});

test('pods past the limit stop the run within a slice, naming the workload that created them', () => {
  const error = limitError(textInput('web.yaml', deployment(2_147_483_647)), { maxPods: 300 });
  assert.equal(error.limit, 'pods');
  const match = regExpOf(
    /^the run reached ([\d,]+) pods at [\d.,]+ s virtual, more than its limit of 300 pods; /,
    /the last was created by ReplicaSet default\/web-\w+ \(of Deployment default\/web\)$/,
  ).exec(error.message);
  assert.ok(match, error.message);
  const reached = Number(match[1].replace(/,/g, ''));
  assert.ok(reached > 300 && reached <= 300 + 1_000, `stopped at ${reached} pods`);
});

test('events past the limit stop the run, naming the last one', () => {
  const error = limitError(textInput('web.yaml', deployment(3)), { maxEvents: 40 });
  assert.equal(error.limit, 'events');
  assert.match(
    error.message,
    /^the run reached [\d,]+ events at [\d.,]+ s virtual, more than its limit of 40 events; the last: \S+ \S+ on \S+ /,
  );
});

test('the paced run stops at a limit too, with the same error', () => {
  const run = new SimulatedTraceRun(
    { ...textInput('web.yaml', deployment(2_147_483_647)), limits: { ...defaultTraceLimits, maxPods: 100 } },
    { streaming: true },
  );
  assert.throws(() => {
    for (let i = 0; i < 10_000 && !run.advance(Number.POSITIVE_INFINITY, 2_000); i++) run.takeStep();
  }, /^TraceLimitError: the run reached [\d,]+ pods/);
});

test('a run within its limits is the run it always was: the \
events of a run in one go and of the engine alone agree', () => {
  const input = caseInput('probe-failure-recovery');
  const limited = traceInSimulator(input);
  const plain = new SimulatedTraceRun(input);
  // The cluster's own run, with no slices and no checks, as runToEnd was before the limits.
  plain.cluster.run({ untilMs: input.untilMs, capMs: 900_000 });
  const shape = (e: { time: number; lane: string; reason: string; message: string }) =>
    `${e.time} ${e.lane} ${e.reason} ${e.message}`;
  assert.deepEqual(limited.events.map(shape), plain.cluster.ctx.trace.events.map(shape));
  assert.ok(limited.events.length > 10);
});
