import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import { NodeInfo, NodeTable } from '../../src/core/sim/scheduler/nodeInfo';
import { podConstraints } from '../../src/core/sim/scheduler/spreadConstraints';
import { SpreadCounts, type SpreadMember } from '../../src/core/sim/scheduler/spreadCounts';
import { addSpreadScores } from '../../src/core/sim/scheduler/spreadScore';
import type { KubeObject } from '../../src/core/sim/store/objects';
import type { Node, Pod } from '../../src/core/sim/store/kinds';

function nodeInfos(labels: Record<string, string>[]): NodeInfo[] {
  const table = new NodeTable();
  return labels.map((l, slot) => {
    const info = new NodeInfo(
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: `n${slot}`, labels: { 'kubernetes.io/hostname': `n${slot}`, ...l } },
        status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } },
      } as Node,
      () => 0,
    );
    info.attach(table, slot);
    return info;
  });
}

function member(slot: number, labels: Record<string, string>, namespace = 'default'): SpreadMember {
  return { namespace, labels, slot, terminating: false, counted: [] };
}

const pod = (labels: Record<string, string>, spec: object = {}) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels },
    spec: { containers: [], ...spec },
  }) as Pod;

test('PodTopologySpread scores as upstream: ln(nodes + 2) per matching \
pod plus maxSkew − 1, rounded, then 100 × (max + min − s) / max', () => {
  const nodes = nodeInfos([{}, {}, {}]);
  const counts = new SpreadCounts();
  const selector = [{ matchLabels: { app: 'web' } }];
  // 0, 1 and 2 matching pods on the three nodes, and one pod of another app that does not count.
  for (const [slot, app] of [
    [1, 'web'],
    [2, 'web'],
    [2, 'web'],
    [0, 'db'],
  ] as const)
    counts.add(member(slot, { app }));
  const count = counts.countFor('default', selector);
  assert.deepEqual(
    [0, 1, 2].map((s) => count.at(s)),
    [0, 1, 2],
  );
  const totals = new Int32Array([10, 10, 10]);
  const scoring = {
    constraints: podConstraints(
      pod(
        { app: 'web' },
        {
          topologySpreadConstraints: [
            {
              maxSkew: 3,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { app: 'web' } },
            },
          ],
        },
      ),
      'ScheduleAnyway',
    ),
    systemDefaulted: false,
  };
  addSpreadScores(
    pod({ app: 'web' }),
    scoring,
    [count],
    nodes,
    new Int32Array([0, 1, 2]),
    3,
    () => 3,
    totals,
    2,
    new Int32Array(3),
  );
  // ln 5 = 1.609: raw 2, round(3.609) = 4, round(5.219) = 5; normalized 100, 60, 40; weight 2.
  assert.deepEqual([...totals], [210, 130, 90]);
});

test('spread counts follow pods: a new selector counts the pods already placed; \
relabelled and terminating pods move out; other namespaces never count', () => {
  const counts = new SpreadCounts();
  const a = member(0, { app: 'web', tier: 'front' });
  const b = member(1, { app: 'web' });
  const c = member(1, { app: 'web' }, 'other');
  [a, b, c].forEach((m) => counts.add(m));
  const web = counts.countFor('default', [{ matchLabels: { app: 'web' } }]);
  const front = counts.countFor('default', [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }]);
  assert.deepEqual([web.at(0), web.at(1), front.at(0), front.at(1)], [1, 1, 1, 0]);
  counts.change(b, { app: 'web', tier: 'front' }, false);
  assert.deepEqual([web.at(1), front.at(1)], [1, 1]);
  counts.change(a, a.labels, true);
  assert.deepEqual([web.at(0), front.at(0)], [0, 0], 'a terminating pod counts for no spread');
  counts.remove(b);
  assert.deepEqual([web.at(1), front.at(1)], [0, 0]);
  const late = member(2, { app: 'web' });
  counts.add(late);
  assert.equal(web.at(2), 1, 'a pod placed later joins the counts that exist');
});

test("matchLabelKeys add the pod's own values to the selector; \
a constraint with neither selector nor keys selects nothing", () => {
  const [c1, c2] = podConstraints(
    pod(
      { app: 'web', 'pod-template-hash': 'abc' },
      {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            labelSelector: { matchLabels: { app: 'web' } },
            matchLabelKeys: ['pod-template-hash'],
          },
          { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
        ],
      },
    ),
    'DoNotSchedule',
  );
  assert.deepEqual(c1.selector, [{ matchLabels: { 'pod-template-hash': 'abc' } }, { matchLabels: { app: 'web' } }]);
  assert.equal(c1.minDomains, 1);
  assert.equal(c1.honorNodeAffinity, true);
  assert.equal(c1.honorTaints, false);
  assert.deepEqual(c2.selector, []);
});

function clusterWith(nodes: string, manifest: string, seed = 1) {
  const cluster = new SimCluster({
    seed,
    version: '1.35',
    nodeCount: 0,
    nodes: parseAllObjects(nodes) as Node[],
  });
  cluster.apply(parseAllObjects(manifest) as KubeObject[]);
  cluster.run({ untilMs: 60_000 });
  const nodeOf = (prefix: string) =>
    cluster.ctx.store
      .list('pods')
      .filter((p) => p.metadata.name.startsWith(prefix))
      .map((p) => p.spec!.nodeName as string)
      .sort();
  return { cluster, nodeOf };
}

const node = (name: string, cpu: string, memory: string, extra = '') => `apiVersion: v1
kind: Node
metadata: {name: ${name}, labels: {kubernetes.io/hostname: ${name}}}
${extra}status: {capacity: {cpu: "${cpu}", memory: ${memory}, pods: "110"}}
---
`;

test('system default spreading: three replicas go to three nodes, \
though resource scores alone would put two on the big nodes', () => {
  // LeastAllocated and BalancedAllocation give an emptier big node 197 or 198 and the small one
  // 194: without spreading, the third replica joins another on a big node. The hostname
  // default (maxSkew 3) gives the node without a replica 100 and the others 50, weight 2.
  for (const seed of [1, 2, 3, 4]) {
    const { nodeOf } = clusterWith(
      node('big-1', '16', '64Gi') + node('big-2', '16', '64Gi') + node('small', '2', '4Gi'),
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: 100m, memory: 128Mi}}}]}
`,
      seed,
    );
    assert.deepEqual(nodeOf('web-'), ['big-1', 'big-2', 'small'], `seed ${seed}`);
  }
});

test('a bare pod (no Service, no controller) is not spread: resource scores alone decide', () => {
  const { nodeOf } = clusterWith(
    node('big-1', '16', '64Gi') + node('small', '2', '4Gi'),
    [1, 2, 3]
      .map(
        (i) => `apiVersion: v1
kind: Pod
metadata: {name: solo-${i}, labels: {app: solo}}
spec: {containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: 100m, memory: 128Mi}}}]}
---
`,
      )
      .join(''),
  );
  assert.deepEqual(nodeOf('solo-'), ['big-1', 'big-1', 'big-1']);
});

const zoned = (name: string, zone: string, cpu = '4') => `apiVersion: v1
kind: Node
metadata: {name: ${name}, labels: {kubernetes.io/hostname: ${name}, topology.kubernetes.io/zone: ${zone}}}
status: {capacity: {cpu: "${cpu}", memory: 16Gi, pods: "110"}}
---
`;

test('DoNotSchedule: maxSkew 1 over zones keeps the zones within \
one pod; a node without the zone label is unresolvable', () => {
  const { cluster, nodeOf } = clusterWith(
    zoned('a-1', 'a') + zoned('a-2', 'a') + zoned('b-1', 'b') + node('plain', '4', '16Gi'),
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: zonal}
spec:
  replicas: 4
  selector: {matchLabels: {app: zonal}}
  template:
    metadata: {labels: {app: zonal}}
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule
          labelSelector: {matchLabels: {app: zonal}}
      containers: [{name: c, image: nginx:1.27}]
`,
  );
  const placed = nodeOf('zonal-');
  assert.equal(placed.length, 4);
  assert.ok(!placed.includes('plain'), 'the unlabelled node never takes a pod');
  const inA = placed.filter((n) => n.startsWith('a-')).length;
  assert.equal(inA, 2, `two in each zone: ${placed.join(', ')}`);
  assert.equal(cluster.ctx.trace.events.filter((e) => e.reason === 'FailedScheduling').length, 0);
});

test('a fifth pod that would skew the zones more than maxSkew waits, and FailedScheduling counts both reasons', () => {
  // Zone b has room for one pod of 1 CPU (its node has 1.5): with one pod in b, a third in a
  // would make the skew 2.
  const { cluster, nodeOf } = clusterWith(
    zoned('a-1', 'a', '8') + zoned('b-1', 'b', '1500m') + node('plain', '8', '16Gi'),
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: tight}
spec:
  replicas: 4
  selector: {matchLabels: {app: tight}}
  template:
    metadata: {labels: {app: tight}}
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule
          labelSelector: {matchLabels: {app: tight}}
      containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: "1"}}}]
`,
  );
  assert.deepEqual(nodeOf('tight-').filter(Boolean), ['a-1', 'a-1', 'b-1']);
  const failed = cluster.ctx.trace.events.find((e) => e.reason === 'FailedScheduling');
  assert.equal(
    failed?.message,
    "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints, " +
      "1 node(s) didn't match pod topology spread constraints (missing required label). " +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful ' +
      'for scheduling, 2 No preemption victims found for incoming pod..',
  );
});

test('TaintToleration prefers nodes without untolerated PreferNoSchedule \
taints; NodeAffinity prefers the nodes of the preferred terms', () => {
  const { nodeOf } = clusterWith(
    node('tainted', '4', '16Gi', 'spec: {taints: [{key: spot, value: "true", effect: PreferNoSchedule}]}\n') +
      node('clean', '4', '16Gi'),
    `apiVersion: v1
kind: Pod
metadata: {name: avoid}
spec: {containers: [{name: c, image: nginx:1.27}]}
`,
  );
  assert.deepEqual(nodeOf('avoid'), ['clean']);
  const { nodeOf: preferred } = clusterWith(
    node('ssd', '4', '16Gi').replace('kubernetes.io/hostname: ssd', 'kubernetes.io/hostname: ssd, disk: ssd') +
      node('hdd', '2', '8Gi') +
      node('other', '8', '32Gi'),
    `apiVersion: v1
kind: Pod
metadata: {name: fast}
spec:
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - {weight: 10, preference: {matchExpressions: [{key: disk, operator: In, values: [ssd]}]}}
  containers: [{name: c, image: nginx:1.27}]
`,
  );
  assert.deepEqual(preferred('fast'), ['ssd']);
});

test("InterPodAffinity scores: soft anti-affinity spreads bare pods, soft affinity \
draws a pod to its peer, and a placed pod's soft anti-affinity keeps others away", () => {
  const nodes = node('big-1', '16', '64Gi') + node('small', '2', '4Gi');
  const soloPod = (i: number) => `apiVersion: v1
kind: Pod
metadata: {name: solo-${i}, labels: {app: solo}}
spec:
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: solo}}}
  containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
---
`;
  // Without the terms all three go to the big node (the test of bare pods above); with them the
  // second goes where there is none, the third finds one everywhere and resources decide.
  assert.deepEqual(clusterWith(nodes, [1, 2, 3].map(soloPod).join('')).nodeOf('solo-'), ['big-1', 'big-1', 'small']);
  const follower = clusterWith(
    nodes,
    `apiVersion: v1
kind: Pod
metadata: {name: cache, labels: {app: cache}}
spec: {nodeSelector: {kubernetes.io/hostname: small}, containers: [{name: c, image: redis:7}]}
---
apiVersion: v1
kind: Pod
metadata: {name: follower}
spec:
  affinity:
    podAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 1
          podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: cache}}}
  containers: [{name: c, image: nginx:1.27}]
`,
  );
  assert.deepEqual(follower.nodeOf('follower'), ['small']);
  const kept = clusterWith(
    nodes,
    `apiVersion: v1
kind: Pod
metadata: {name: quiet}
spec:
  nodeSelector: {kubernetes.io/hostname: big-1}
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 50
          podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: noisy}}}
  containers: [{name: c, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: noisy, labels: {app: noisy}}
spec: {containers: [{name: c, image: nginx:1.27}]}
`,
  );
  assert.deepEqual(kept.nodeOf('noisy'), ['small']);
});
