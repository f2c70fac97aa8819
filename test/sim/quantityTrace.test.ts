// Quantities through `podtrace trace`, in process: the simulator counts cpu and memory with the
// validator's quantity implementation, rounding up as MilliValue() and Value() do, and a request
// too large for any node is refused by the scheduler in upstream's words, whatever its notation.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { runTrace } from '../../src/cli/traceCommand';

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function trace(manifest: string, extra: string[] = []): Run {
  let stdout = '';
  let stderr = '';
  const status = runTrace([...extra, '-'], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: () => manifest,
  });
  return { status, stdout, stderr };
}

function podAsking(resource: 'cpu' | 'memory', quantity: string, name = 'p'): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    `metadata: {name: ${name}}`,
    'spec:',
    '  containers:',
    '  - name: c',
    '    image: nginx:1.27',
    `    resources: {requests: {${resource}: "${quantity}"}}`,
    '',
  ].join('\n');
}

test('cpu below a millicore is rounded up to 1m, as MilliValue() does: the pod is scheduled and Ready', () => {
  for (const cpu of ['1n', '100n', '1u', '0.0001']) {
    const run = trace(podAsking('cpu', cpu));
    assert.equal(run.status, 0, `cpu ${cpu}: ${run.stderr}`);
    assert.match(run.stdout, /Scheduled: Successfully assigned default\/p to node-\d/, `cpu ${cpu}`);
    assert.match(run.stdout, /1 pods \(1 ready\) on 3 nodes; quiescent/, `cpu ${cpu}`);
  }
});

test('cpu 1k is a thousand cpus: Insufficient cpu on every node', () => {
  const run = trace(podAsking('cpu', '1k'));
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /FailedScheduling: 0\/3 nodes are available: 3 Insufficient cpu\./);
  assert.match(run.stdout, /1 pods \(0 ready\) on 3 nodes/);
});

test('memory in Pi or Ei or with an exponent counts as the \
huge request it is: Insufficient memory, never Ready', () => {
  for (const memory of ['1Pi', '8Ei', '9Ei', '1e30', '1E30', '1e+30', '1e2000000000', '1000E']) {
    const run = trace(podAsking('memory', memory));
    assert.equal(run.status, 0, `memory ${memory}: ${run.stderr}`);
    assert.match(run.stdout, /FailedScheduling: 0\/3 nodes are available: 3 Insufficient memory\./, `memory ${memory}`);
    assert.match(run.stdout, /1 pods \(0 ready\) on 3 nodes/, `memory ${memory}`);
    assert.doesNotMatch(run.stdout, /Scheduled: Successfully assigned/, `memory ${memory}`);
  }
});

test('a node is full at exactly its allocatable, counted in bytes whatever the notation', () => {
  // Two pods of half of a default node's memory each fit on one node; the notations differ.
  const run = trace(
    [
      'apiVersion: v1',
      'kind: Node',
      'metadata: {name: small}',
      'status: {capacity: {cpu: "4", memory: 1Gi, pods: "110"}}',
      '---',
      podAsking('memory', '0.5Gi', 'a'),
      '---',
      podAsking('memory', '536870912', 'b'),
      '---',
      podAsking('memory', '1', 'c'),
    ].join('\n'),
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Scheduled: Successfully assigned default\/a to small/);
  assert.match(run.stdout, /Scheduled: Successfully assigned default\/b to small/);
  assert.match(run.stdout, /FailedScheduling: 0\/1 nodes are available: 1 Insufficient memory\./);
});

test('a pod that requests nothing fits a node already \
overcommitted, as fitsRequest checks only what is requested', () => {
  // The first pod is bound by nodeName, past the scheduler, and asks for more than the node has.
  const run = trace(
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: big}',
      'spec:',
      '  nodeName: node-1',
      '  containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: "100", memory: 100Gi}}}]',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: small}',
      'spec:',
      '  containers: [{name: c, image: nginx:1.27}]',
      '',
    ].join('\n'),
    ['--nodes', '1'],
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Scheduled: Successfully assigned default\/small to node-1/);
});
