// The scheduler's InterPodAffinity filter against upstream's behaviour: required
// anti-affinity spreads replicas one per node and leaves the extra one Pending with the
// upstream reason until a node joins; required affinity places a pod beside the pods it
// selects, or nowhere (unresolvable) when there are none; and a placed pod's anti-affinity
// keeps the pods it selects off its node.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCluster } from './runCluster';

function run(manifest: string, options: { scenario?: string; untilMs?: number } = {}) {
  const r = runCluster(manifest, { seed: 17, untilMs: 60_000, ...options });
  const podsOf = (app: string) => r.store.list('pods').filter((p) => p.metadata.labels?.app === app);
  return { ...r, podsOf };
}

const spread = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: {matchLabels: {app: web}}
              topologyKey: kubernetes.io/hostname
      containers: [{name: web, image: nginx:1.27}]
`;

test('required anti-affinity on the hostname: one replica per node; \
the fourth waits, with the upstream reason, until a node joins', () => {
  const { events, podsOf } = run(spread(4), { scenario: 'actions:\n  - at: 30s\n    addNode: {name: node-4}\n' });
  const pods = podsOf('web');
  assert.equal(pods.length, 4);
  assert.deepEqual(pods.map((p) => p.spec!.nodeName).sort(), ['node-1', 'node-2', 'node-3', 'node-4']);
  const failed = events.filter((e) => e.reason === 'FailedScheduling');
  assert.ok(failed.length >= 1);
  assert.equal(
    failed[0].message,
    "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. " +
      'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..',
  );
  assert.ok(failed.every((e) => e.time < 30_000));
});

test('required affinity: beside a pod it selects; with none anywhere, unresolvable on every node', () => {
  const follower = `apiVersion: v1
kind: Pod
metadata: {name: follower, labels: {app: follower}}
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector: {matchLabels: {app: cache}}
          topologyKey: kubernetes.io/hostname
  containers: [{name: app, image: nginx:1.27}]
`;
  const alone = run(follower, { untilMs: 20_000 });
  assert.equal(alone.podsOf('follower')[0].spec!.nodeName, undefined);
  assert.equal(
    alone.events.find((e) => e.reason === 'FailedScheduling')?.message,
    "0/3 nodes are available: 3 node(s) didn't match pod affinity rules. preemption: " +
      '0/3 nodes are available: 3 Preemption is not helpful for scheduling..',
  );
  const cache = `apiVersion: v1
kind: Pod
metadata: {name: cache, labels: {app: cache}}
spec:
  nodeName: node-2
  containers: [{name: redis, image: redis:7.4}]
---
`;
  const beside = run(cache + follower, { untilMs: 20_000 });
  assert.equal(beside.podsOf('follower')[0].spec!.nodeName, 'node-2');
});

test("a placed pod's anti-affinity keeps the pods it selects off its node", () => {
  const { podsOf, events } = run(
    `apiVersion: v1
kind: Pod
metadata: {name: quiet, labels: {app: quiet}}
spec:
  nodeName: node-1
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector: {matchLabels: {app: noisy}}
          topologyKey: kubernetes.io/hostname
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: noisy, labels: {app: noisy}}
spec:
  nodeSelector: {kubernetes.io/hostname: node-1}
  containers: [{name: app, image: nginx:1.27}]
`,
    { untilMs: 20_000 },
  );
  assert.equal(podsOf('noisy')[0].spec!.nodeName, undefined);
  assert.equal(
    events.find((e) => e.reason === 'FailedScheduling')?.message,
    "0/3 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules, " +
      "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: " +
      '1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling..',
  );
});

test('a running pod that is relabelled counts by its new \
labels: a pod with anti-affinity to them stays off its node', () => {
  const { store } = run(
    `apiVersion: v1
kind: Pod
metadata: {name: base, labels: {app: plain}}
spec: {nodeSelector: {kubernetes.io/hostname: node-1}, containers: [{name: c, image: nginx:1.27}]}
`,
    {
      scenario: `actions:
  - at: 10s
    patch: {kind: Pod, name: base, merge: {metadata: {labels: {app: db}}}}
  - at: 20s
    apply: |
      apiVersion: v1
      kind: Pod
      metadata: {name: picky}
      spec:
        affinity:
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              - {labelSelector: {matchLabels: {app: db}}, topologyKey: kubernetes.io/hostname}
        nodeSelector: {kubernetes.io/hostname: node-1}
        containers: [{name: c, image: nginx:1.27}]
`,
    },
  );
  assert.equal(store.get('pods', 'default', 'base')?.metadata.labels?.app, 'db');
  assert.equal(
    store.get('pods', 'default', 'picky')?.spec!.nodeName,
    undefined,
    'node-1 holds a pod that now has app=db',
  );
});
