// PodDisruptionBudgets, the eviction subresource and `kubectl drain` against upstream's
// behaviour: the disruption controller's status; an eviction charged to the budget, or refused
// with 429 while it allows no disruption (kubectl retrying every 5 s); the cordon (the
// unschedulable taint, NodeNotSchedulable); drain's filters; and uncordon.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCluster } from './runCluster';
import { regExpOf } from '../regExpOf';

const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: {matchLabels: {app: web}}
              topologyKey: kubernetes.io/hostname
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
`;

test("the disruption controller's status: 3 healthy of 3, 2 needed, 1 disruption allowed", () => {
  const { store } = runCluster(web, { seed: 19, untilMs: 30_000 });
  const status = store.list('poddisruptionbudgets')[0].status;
  assert.deepEqual(
    { ...status, conditions: undefined },
    {
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      observedGeneration: 1,
      conditions: undefined,
    },
  );
  assert.deepEqual(
    [status!.conditions![0].type, status!.conditions![0].status, status!.conditions![0].reason],
    ['DisruptionAllowed', 'True', 'SufficientPods'],
  );
});

test('draining a node: cordoned, its pod evicted within the budget, the replacement \
Pending on the cordoned node; a second drain waits on the budget until a node joins', () => {
  // Three nodes, one replica each (anti-affinity): draining node-1 moves its pod nowhere until
  // node-4 joins; draining node-2 at the same time is refused (429) until the replacement is Ready.
  const { events, store } = runCluster(web, {
    seed: 19,
    scenario:
      'actions:\n  - at: 30s\n    drain: node-1\n  - at: 30s\n' +
      '    drain: node-2\n  - at: 50s\n    addNode: {name: node-4}\n',
    untilMs: 120_000,
  });
  const drain = events.filter((e) => e.reason === 'Drain').map((e) => e.message);
  assert.ok(drain.includes('node/node-1 cordoned') && drain.includes('node/node-2 cordoned'));
  const refused = events.filter((e) => e.reason === 'EvictionRefused');
  assert.ok(refused.length >= 2, 'the second eviction waits for the budget');
  assert.match(
    refused[0].message,
    regExpOf(
      /^429 TooManyRequests: Cannot evict pod as it would violate the pod's disruption budget\. /,
      /\(The disruption budget web needs 2 healthy pods and has \d currently\)$/,
    ),
  );
  const retries = drain.filter((m) =>
    regExpOf(
      /^error when evicting pods\/"web-[a-z0-9]+-[a-z0-9]{5}" -n "default" \(will retry /,
      /after 5s\): Cannot evict pod as it would violate the pod's disruption budget\.$/,
    ).test(m),
  );
  assert.ok(retries.length >= 2);
  const retryTimes = events
    .filter((e) => e.reason === 'Drain' && e.message.startsWith('error when evicting'))
    .map((e) => e.time);
  assert.ok(
    retryTimes.slice(1).some((t, i) => Math.abs(t - retryTimes[i] - 5000) < 50),
    'kubectl retries every 5 s',
  );
  assert.ok(drain.includes('node/node-1 drained') && drain.includes('node/node-2 drained'), drain.join('\n'));
  assert.ok(
    events.find((e) => e.message === 'node/node-2 drained')!.time > 50_000,
    'the second node drains only once node-4 took a replica',
  );
  const unschedulable = events.find((e) => e.reason === 'FailedScheduling' && e.time > 30_000);
  assert.match(unschedulable!.message, /node\(s\) were unschedulable/);
  const node1 = store.get('nodes', undefined, 'node-1')!;
  assert.equal(node1.spec!.unschedulable, true);
  assert.ok(
    node1.spec!.taints!.some(
      (t: { key: string; effect: string }) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule',
    ),
  );
  assert.ok(
    events.some(
      (e) => e.reason === 'NodeNotSchedulable' && e.message === 'Node node-1 status is now: NodeNotSchedulable',
    ),
  );
  const left = store.list('pods').filter((p) => !p.metadata.deletionTimestamp);
  assert.equal(left.length, 3);
  assert.equal(left.filter((p) => p.spec!.nodeName === 'node-1' || p.spec!.nodeName === 'node-2').length, 0);
});

test("drain's filters: a pod without a controller stops the drain \
unless forced; uncordon makes the node schedulable again", () => {
  const bare = `apiVersion: v1
kind: Pod
metadata: {name: bare}
spec:
  nodeName: node-1
  containers: [{name: app, image: nginx:1.27}]
`;
  const refused = runCluster(bare, {
    seed: 19,
    scenario: 'actions:\n  - at: 10s\n    drain: node-1\n  - at: 20s\n    uncordon: node-1\n',
    untilMs: 40_000,
  });
  const messages = refused.events.filter((e) => e.reason === 'Drain').map((e) => e.message);
  assert.deepEqual(messages, [
    'node/node-1 cordoned',
    'error: unable to drain node "node-1" due to error: cannot delete cannot ' +
      'delete Pods that declare no controller (use --force to override): default/bare, ' +
      'continuing command... There are pending nodes to be drained: node-1',
    'node/node-1 uncordoned',
  ]);
  assert.equal(refused.store.list('pods').length, 1);
  const node = refused.store.get('nodes', undefined, 'node-1')!;
  assert.equal(node.spec!.unschedulable, false);
  assert.equal((node.spec!.taints ?? []).length, 0, 'the unschedulable taint goes with the cordon');
  const forced = runCluster(bare, {
    seed: 19,
    scenario: 'actions:\n  - at: 10s\n    drain: {node: node-1, force: true}\n',
    untilMs: 40_000,
  });
  assert.deepEqual(
    forced.events.filter((e) => e.reason === 'Drain').map((e) => e.message),
    ['node/node-1 cordoned', 'evicting pod default/bare', 'pod/bare evicted', 'node/node-1 drained'],
  );
  assert.equal(forced.store.list('pods').length, 0);
});

test('an evicted pod says so: DisruptionTarget=True (EvictionByEvictionAPI) is \
written before the delete, and the kubelet keeps it, ahead of its own conditions', () => {
  // The app takes 20 s to exit after SIGTERM: the pod is still there, its readiness gone, 10 s in.
  const slow = web.replace(
    '    metadata: {labels: {app: web}}\n',
    "    metadata: {labels: {app: web}, annotations: {podtrace.dev/shutdown-seconds: '20'}}\n",
  );
  const { events, store } = runCluster(slow, {
    seed: 19,
    scenario: 'actions:\n  - at: 30s\n    drain: node-1\n',
    untilMs: 40_000,
  });
  const evicted = store.list('pods').find((p) => p.spec!.nodeName === 'node-1')!;
  assert.ok(evicted.metadata.deletionTimestamp, 'the pod is terminating');
  const conditions = evicted.status!.conditions as {
    type: string;
    status: string;
    reason?: string;
    message?: string;
    lastTransitionTime: string;
    lastProbeTime: null;
  }[];
  assert.deepEqual(
    conditions.map((c) => c.type),
    ['DisruptionTarget', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'],
  );
  assert.deepEqual(
    { ...conditions[0], lastTransitionTime: undefined },
    {
      type: 'DisruptionTarget',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: undefined,
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
    },
  );
  assert.equal(conditions[0].lastTransitionTime, '2026-01-01T00:00:30Z');
  const stored = events.find(
    (e) =>
      e.object.uid === evicted.metadata.uid &&
      e.reason === 'Stored' &&
      e.message.endsWith('condition DisruptionTarget=True (EvictionByEvictionAPI)'),
  )!;
  const deleted = events.find((e) => e.object.uid === evicted.metadata.uid && e.reason === 'Deleted')!;
  assert.ok(
    stored && deleted && stored.id < deleted.id,
    'the condition is stored first, then the pod is marked for deletion',
  );
  // The eviction appended the condition last; it leads now because the kubelet's status write
  // since (after the delete's own write) kept it as a condition it does not own.
  const conditionVersion = Number(/resourceVersion (\d+)/.exec(stored.message)![1]);
  assert.ok(
    Number(evicted.metadata.resourceVersion) > conditionVersion + 1,
    `written since: ${evicted.metadata.resourceVersion} after ${conditionVersion}`,
  );
  assert.equal(
    conditions.find((c) => c.type === 'Ready')!.status,
    'True',
    'the app still answers its probe while it shuts down',
  );
});
