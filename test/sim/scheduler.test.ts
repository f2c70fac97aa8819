import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitErrorMessage, histogram } from '../../src/core/sim/scheduler/fitError';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import type { KubeObject } from '../../src/core/sim/store/objects';

test('the histogram is sorted as whole strings, counts included (sort.Strings)', () => {
  assert.equal(histogram(['Insufficient cpu', 'Insufficient cpu', 'node(s) had untolerated taint {a: b}']), '1 node(s) had untolerated taint {a: b}, 2 Insufficient cpu');
  const many = [...Array(10).fill('x'), 'y', 'y'];
  assert.equal(histogram(many), '10 x, 2 y');
});

test('FailedScheduling has the upstream form, preemption part ending in two dots', () => {
  const message = fitErrorMessage(3, [
    { reasons: ['Insufficient cpu'], unresolvable: false },
    { reasons: ['Insufficient cpu'], unresolvable: false },
    { reasons: ['node(s) had untolerated taint {dedicated: gpu}'], unresolvable: true },
  ], true);
  assert.equal(
    message,
    '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..',
  );
  assert.equal(fitErrorMessage(0, [], true), 'no nodes available to schedule pods');
});

test('a pod too large for any node is reported by the running scheduler, with PodScheduled=False', () => {
  const cluster = new SimCluster({ seed: 3, version: '1.35', nodeCount: 3 });
  cluster.apply(parseAllObjects(`apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers: [{name: c, image: busybox:1.36, resources: {requests: {cpu: "6", memory: 1Gi}}}]
`) as KubeObject[]);
  cluster.run({ untilMs: 5000 });
  const failed = cluster.ctx.trace.events.find((e) => e.reason === 'FailedScheduling');
  assert.equal(failed?.message, '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..');
  const pod = cluster.ctx.store.get('pods', 'default', 'huge')!;
  const condition = pod.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled');
  assert.equal(condition.status, 'False');
  assert.equal(condition.reason, 'Unschedulable');
  assert.equal(condition.message, failed?.message);
});

test('110 pods fill a node: the 111th gets "Too many pods"', () => {
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 1 });
  cluster.apply(parseAllObjects(`apiVersion: apps/v1
kind: Deployment
metadata: {name: many}
spec:
  replicas: 111
  selector: {matchLabels: {app: many}}
  template:
    metadata: {labels: {app: many}}
    spec: {containers: [{name: c, image: busybox:1.36}]}
`) as KubeObject[]);
  cluster.run({ untilMs: 60_000 });
  const failed = cluster.ctx.trace.events.filter((e) => e.reason === 'FailedScheduling');
  assert.ok(failed.length >= 1);
  assert.match(failed[0].message, /^0\/1 nodes are available: 1 Too many pods\. preemption: /);
  assert.equal(cluster.ctx.trace.events.filter((e) => e.reason === 'Scheduled').length, 110);
});
