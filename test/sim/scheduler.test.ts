import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitErrorMessage, histogram, preemptionMessage } from '../../src/core/sim/scheduler/fitError';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import type { KubeObject } from '../../src/core/sim/store/objects';
import { runCluster } from './runCluster';

test('the histogram is sorted as whole strings, counts included (sort.Strings)', () => {
  assert.equal(
    histogram(['Insufficient cpu', 'Insufficient cpu', 'node(s) had untolerated taint {a: b}']),
    '1 node(s) had untolerated taint {a: b}, 2 Insufficient cpu',
  );
  const many = [...Array(10).fill('x'), 'y', 'y'];
  assert.equal(histogram(many), '10 x, 2 y');
});

test('FailedScheduling has the upstream form, preemption part ending in two dots', () => {
  const message = fitErrorMessage(
    3,
    [
      { plugin: 'NodeResourcesFit', resources: ['cpu'], reasons: ['Insufficient cpu'], unresolvable: false },
      { plugin: 'NodeResourcesFit', resources: ['cpu'], reasons: ['Insufficient cpu'], unresolvable: false },
      { plugin: 'TaintToleration', reasons: ['node(s) had untolerated taint {dedicated: gpu}'], unresolvable: true },
    ],
    preemptionMessage(3, [
      'No preemption victims found for incoming pod',
      'No preemption victims found for incoming pod',
      'Preemption is not helpful for scheduling',
    ]),
  );
  assert.equal(
    message,
    '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, ' +
      '2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is ' +
      'not helpful for scheduling, 2 No preemption victims found for incoming pod..',
  );
  assert.equal(fitErrorMessage(0, []), 'no nodes available to schedule pods');
});

test('a pod too large for any node is reported by the running scheduler, with \
PodScheduled=False; from 1.34 a request above the whole node is not for preemption', () => {
  const huge = `apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers: [{name: c, image: busybox:1.36, resources: {requests: {cpu: "6", memory: 1Gi}}}]
`;
  const older = new SimCluster({ seed: 3, version: '1.32', nodeCount: 3 });
  older.apply(parseAllObjects(huge) as KubeObject[]);
  older.run({ untilMs: 5000 });
  assert.equal(
    older.ctx.trace.events.find((e) => e.reason === 'FailedScheduling')?.message,
    '0/3 nodes are available: 3 Insufficient cpu. preemption: ' +
      '0/3 nodes are available: 3 No preemption victims found for incoming pod..',
  );
  const cluster = new SimCluster({ seed: 3, version: '1.35', nodeCount: 3 });
  cluster.apply(parseAllObjects(huge) as KubeObject[]);
  cluster.run({ untilMs: 5000 });
  const failed = cluster.ctx.trace.events.find((e) => e.reason === 'FailedScheduling');
  assert.equal(
    failed?.message,
    '0/3 nodes are available: 3 Insufficient cpu. preemption: ' +
      '0/3 nodes are available: 3 Preemption is not helpful for scheduling..',
  );
  const pod = cluster.ctx.store.get('pods', 'default', 'huge')!;
  const condition = pod.status!.conditions!.find((c: { type: string }) => c.type === 'PodScheduled');
  assert.equal(condition!.status, 'False');
  assert.equal(condition!.reason, 'Unschedulable');
  assert.equal(condition!.message, failed?.message);
});

test('110 pods fill a node: the 111th gets "Too many pods"', () => {
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 1 });
  cluster.apply(
    parseAllObjects(`apiVersion: apps/v1
kind: Deployment
metadata: {name: many}
spec:
  replicas: 111
  selector: {matchLabels: {app: many}}
  template:
    metadata: {labels: {app: many}}
    spec: {containers: [{name: c, image: busybox:1.36}]}
`) as KubeObject[],
  );
  cluster.run({ untilMs: 60_000 });
  const failed = cluster.ctx.trace.events.filter((e) => e.reason === 'FailedScheduling');
  assert.ok(failed.length >= 1);
  assert.match(failed[0].message, /^0\/1 nodes are available: 1 Too many pods\. preemption: /);
  assert.equal(cluster.ctx.trace.events.filter((e) => e.reason === 'Scheduled').length, 110);
});

const fullCluster = `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: online}
value: 1000
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: online-waits}
value: 1000
preemptionPolicy: Never
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch}
spec:
  replicas: 4
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec:
      terminationGracePeriodSeconds: 10
      containers: [{name: worker, image: busybox:1.36, resources: {requests: {cpu: 1500m}}}]
`;
const urgent = (priorityClass: string) => `actions:
  - at: 20s
    apply: |
      apiVersion: v1
      kind: Pod
      metadata: {name: urgent}
      spec:
        priorityClassName: ${priorityClass}
        containers: [{name: api, image: nginx:1.27, resources: {requests: {cpu: "2"}}}]
`;

test('preemption: a pod of higher priority that fits nowhere evicts the fewest pods of \
lower priority on one node, is nominated there, and is bound once they are gone', () => {
  const { events, store } = runCluster(fullCluster, { seed: 1, nodes: 2, scenario: urgent('online'), untilMs: 40_000 });
  const preempted = events.filter((e) => e.reason === 'Preempted');
  assert.equal(preempted.length, 1, 'one batch pod (1.5 CPU) makes room for 2 CPU next to another');
  const urgentPod = store.get('pods', 'default', 'urgent')!;
  assert.equal(preempted[0].message, `Preempted by pod ${urgentPod.metadata.uid} on node ${urgentPod.spec!.nodeName}`);
  assert.equal(preempted[0].lane, 'scheduler');
  const failed = events.find((e) => e.reason === 'FailedScheduling' && e.object.name === 'urgent')!;
  assert.equal(
    failed.message,
    '0/2 nodes are available: 2 Insufficient cpu.',
    'a preemption that found its victims adds nothing to the message',
  );
  const victim = preempted[0].object;
  const deleted = events.find(
    (e) => e.reason === 'Deleted' && e.object.uid === victim.uid && e.message.startsWith('marked for deletion'),
  );
  assert.ok(deleted && deleted.time >= preempted[0].time);
  const scheduled = events.find((e) => e.reason === 'Scheduled' && e.object.name === 'urgent')!;
  const removed = events.find((e) => e.reason === 'Deleted' && e.object.uid === victim.uid && e.message === 'removed')!;
  assert.ok(scheduled.time > removed.time, 'bound after the victim is gone');
  // The victim's replacement (priority 0) finds nothing of lower priority to evict.
  const replacement = events
    .filter((e) => e.reason === 'FailedScheduling' && e.object.name.startsWith('batch-'))
    .at(-1)!;
  assert.equal(
    replacement.message,
    '0/2 nodes are available: 2 Insufficient cpu. preemption: ' +
      '0/2 nodes are available: 2 No preemption victims found for incoming pod..',
  );
});

test('preemption: the victim is marked DisruptionTarget (PreemptionByScheduler) \
before its delete; preemptionPolicy Never preempts nothing', () => {
  const { events, store } = runCluster(fullCluster, { seed: 1, nodes: 2, scenario: urgent('online'), untilMs: 20_050 });
  const victim = events.find((e) => e.reason === 'Preempted')!.object;
  const pod = store.get('pods', victim.namespace ?? undefined, victim.name)!;
  const condition = pod.status!.conditions!.find((x: { type: string }) => x.type === 'DisruptionTarget');
  assert.deepEqual(
    [condition!.status, condition!.reason, condition!.message],
    ['True', 'PreemptionByScheduler', 'default-scheduler: preempting to accommodate a higher priority pod'],
  );
  assert.ok(pod.metadata.deletionTimestamp);
  // The preemptor waits nominated to the victim's node (the kubelet's
  // first status write, which does not carry the field, clears it later).
  assert.equal(store.get('pods', 'default', 'urgent')!.status!.nominatedNodeName, pod.spec!.nodeName);
  const never = runCluster(fullCluster, { seed: 1, nodes: 2, scenario: urgent('online-waits'), untilMs: 40_000 });
  assert.equal(never.events.filter((e) => e.reason === 'Preempted').length, 0);
  assert.equal(
    never.events.find((e) => e.reason === 'FailedScheduling' && e.object.name === 'urgent')!.message,
    '0/2 nodes are available: 2 Insufficient cpu. not eligible due to preemptionPolicy=Never..',
  );
});

test('preemption frees a host port: a pod of higher priority that \
needs the port a lower-priority pod holds evicts that pod only', () => {
  const manifest = `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: agent}
value: 1000
---
apiVersion: v1
kind: Pod
metadata: {name: holder}
spec:
  containers: [{name: c, image: nginx:1.27, ports: [{containerPort: 80, hostPort: 8080}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: bystander}
spec:
  containers: [{name: c, image: nginx:1.27}]
`;
  const scenario = `actions:
  - at: 10s
    apply: |
      apiVersion: v1
      kind: Pod
      metadata: {name: agent}
      spec:
        priorityClassName: agent
        containers: [{name: c, image: nginx:1.27, ports: [{containerPort: 80, hostPort: 8080}]}]
`;
  const { events, store } = runCluster(manifest, { seed: 1, nodes: 1, scenario, untilMs: 60_000 });
  const failed = events.find((e) => e.reason === 'FailedScheduling' && e.object.name === 'agent')!;
  assert.equal(
    failed.message,
    "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.",
  );
  assert.deepEqual(
    events.filter((e) => e.reason === 'Preempted').map((e) => e.object.name),
    ['holder'],
  );
  assert.equal(store.get('pods', 'default', 'agent')?.spec!.nodeName, 'node-1');
  assert.ok(store.get('pods', 'default', 'bystander'), 'the pod without the port stays');
  // A pod of the same priority finds no victim for the port.
  const same = runCluster(manifest, {
    seed: 1,
    nodes: 1,
    scenario: scenario.replace('priorityClassName: agent', 'priorityClassName: ""'),
    untilMs: 30_000,
  });
  assert.equal(
    same.events.find((e) => e.reason === 'FailedScheduling' && e.object.name === 'agent')?.message,
    "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. " +
      'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
  );
});

test('a pod nominated by a preemption keeps its room: a pod of \
lower priority tried once the victim is gone does not take it', () => {
  const manifest = `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: urgent}
value: 1000
---
apiVersion: v1
kind: Pod
metadata: {name: low-a}
spec:
  terminationGracePeriodSeconds: 0
  containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: "3"}}}]
`;
  const scenario = `actions:
  - at: 5s
    apply: |
      apiVersion: v1
      kind: Pod
      metadata: {name: low-b}
      spec: {containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: "3"}}}]}
  - at: 10s
    apply: |
      apiVersion: v1
      kind: Pod
      metadata: {name: urgent}
      spec:
        priorityClassName: urgent
        containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: "2"}}}]
`;
  const { events, store } = runCluster(manifest, { seed: 1, nodes: 1, scenario, untilMs: 40_000 });
  const removed = events.find((e) => e.reason === 'Deleted' && e.object.name === 'low-a' && e.message === 'removed')!;
  const urgentBound = events.find((e) => e.reason === 'Scheduled' && e.object.name === 'urgent')!;
  // low-b's backoff from its failure at 5 s is long over: the victim's removal moves it straight
  // to the active queue, while urgent still backs off from its own attempt.
  const lowB = events.filter(
    (e) =>
      e.reason === 'FailedScheduling' &&
      e.object.name === 'low-b' &&
      e.time > removed.time &&
      e.time < urgentBound.time,
  );
  assert.equal(lowB.length, 1, "low-b was tried between the removal and urgent's binding");
  assert.match(lowB[0].message, /^0\/1 nodes are available: 1 Insufficient cpu\./);
  assert.equal(store.get('pods', 'default', 'urgent')?.spec!.nodeName, 'node-1');
  assert.equal(store.get('pods', 'default', 'low-b')?.spec!.nodeName, undefined);
});

test('an event moves only the pods a plugin it concerns rejected: a pod no \
node selects is not retried when a pod is deleted, only when a node joins', () => {
  const manifest = `apiVersion: v1
kind: Pod
metadata: {name: picky}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: c, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: other}
spec:
  terminationGracePeriodSeconds: 0
  containers: [{name: c, image: nginx:1.27}]
`;
  const scenario = `actions:
  - at: 20s
    delete: {kind: Pod, name: other}
  - at: 40s
    addNode: {name: node-4, labels: {disk: ssd}}
`;
  const { events } = runCluster(manifest, { seed: 1, scenario, untilMs: 60_000 });
  const attempts = events.filter((e) => e.reason === 'FailedScheduling' && e.object.name === 'picky');
  assert.equal(attempts.length, 1, `one attempt before node-4, at ${attempts.map((e) => e.time).join(', ')}`);
  assert.match(
    attempts[0].message,
    /^0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector\./,
  );
  const scheduled = events.find((e) => e.reason === 'Scheduled' && e.object.name === 'picky')!;
  assert.equal(scheduled.node, 'node-4');
  assert.ok(scheduled.time >= 40_000 && scheduled.time < 41_000, 'right after the node joins, its backoff long over');
});
