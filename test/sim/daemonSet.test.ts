// The DaemonSet controller against upstream's behaviour: a pod per eligible node, pinned by
// node affinity and carrying the daemon tolerations and revision labels; nodes the template
// does not select or whose taints it does not tolerate get none; the status counts.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import type { KubeObject } from '../../src/core/sim/store/objects';
import type { Node } from '../../src/core/sim/store/kinds';

/* eslint-disable @typescript-eslint/no-explicit-any -- specs and statuses are read loosely. */

const node = (name: string, labels: Record<string, string>, taints: unknown[] = []) => `apiVersion: v1
kind: Node
metadata: {name: ${name}, labels: ${JSON.stringify(labels)}}
spec: {taints: ${JSON.stringify(taints)}}
---
`;

test('a DaemonSet runs one pinned pod on each node it selects and tolerates, and counts them in its status', () => {
  const cluster = new SimCluster({
    seed: 2,
    version: '1.35',
    nodeCount: 0,
    nodes: parseAllObjects(
      node('worker-1', { role: 'worker' }) +
        node('worker-2', { role: 'worker' }, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]) +
        node('worker-3', { role: 'worker' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]) +
        node('edge-1', { role: 'edge' }),
    ) as Node[],
  });
  cluster.apply(
    parseAllObjects(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {role: worker}
      containers: [{name: agent, image: busybox:1.36}]
`) as KubeObject[],
  );
  assert.equal(cluster.run({}).reason, 'quiescent');
  const pods = cluster.ctx.store.list('pods');
  // worker-2's taint is not tolerated, edge-1 is not selected; a cordoned node is tolerated.
  assert.deepEqual(pods.map((p) => p.spec!.nodeName).sort(), ['worker-1', 'worker-3']);
  const ds = cluster.ctx.store.list('daemonsets')[0];
  for (const pod of pods) {
    assert.match(pod.metadata.name, /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(pod.spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution, {
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod.spec!.nodeName] }] }],
    });
    assert.deepEqual(
      pod.spec!.tolerations!.map(
        (t: any) =>
          `${t.key}:${t.operator}:${t.effect}${t.tolerationSeconds === undefined ? '' : `:${t.tolerationSeconds}`}`,
      ),
      [
        'node.kubernetes.io/not-ready:Exists:NoExecute',
        'node.kubernetes.io/unreachable:Exists:NoExecute',
        'node.kubernetes.io/disk-pressure:Exists:NoSchedule',
        'node.kubernetes.io/memory-pressure:Exists:NoSchedule',
        'node.kubernetes.io/pid-pressure:Exists:NoSchedule',
        'node.kubernetes.io/unschedulable:Exists:NoSchedule',
      ],
      'the daemon tolerations, without the 300 s defaults',
    );
    assert.equal(pod.metadata.labels?.['pod-template-generation'], '1');
    assert.match(pod.metadata.labels?.['controller-revision-hash'] ?? '', /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    assert.equal(pod.metadata.ownerReferences?.[0].kind, 'DaemonSet');
    assert.equal(pod.status!.phase, 'Running');
  }
  assert.deepEqual(
    { ...ds.status },
    {
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
      desiredNumberScheduled: 2,
      numberReady: 2,
      observedGeneration: 1,
      updatedNumberScheduled: 2,
      numberAvailable: 2,
    },
  );
  const created = cluster.ctx.trace.events.filter(
    (e) => e.object.kind === 'DaemonSet' && e.reason === 'SuccessfulCreate',
  );
  assert.equal(created.length, 2);
});

test('a node that gains the label a DaemonSet selects gets its pod, and \
loses it with the label; heartbeats leave the DaemonSet as it is', () => {
  const cluster = new SimCluster({
    seed: 4,
    version: '1.35',
    nodeCount: 0,
    nodes: parseAllObjects(node('worker-1', { role: 'worker' }) + node('worker-2', { role: 'worker' })) as Node[],
  });
  cluster.apply(
    parseAllObjects(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ssd-agent}
spec:
  selector: {matchLabels: {app: ssd-agent}}
  template:
    metadata: {labels: {app: ssd-agent}}
    spec:
      nodeSelector: {disk: ssd}
      containers: [{name: agent, image: busybox:1.36}]
`) as KubeObject[],
  );
  const syncs: number[] = [];
  cluster.ctx.store.watch('daemonsets', {}, (e) => syncs.push(Number(e.object.metadata.resourceVersion)));
  cluster.run({ untilMs: 60_000 });
  assert.equal(cluster.ctx.store.list('pods').length, 0, 'no node has disk=ssd');
  const dsWrites = syncs.length;
  const label = (labels: Record<string, string>) =>
    cluster.ctx.store.mutate('nodes', undefined, 'worker-2', (n) => ({ ...n, metadata: { ...n.metadata, labels } }));
  label({ role: 'worker', disk: 'ssd' });
  cluster.run({ untilMs: 90_000 });
  const pods = cluster.ctx.store.list('pods');
  assert.equal(pods.length, 1);
  assert.deepEqual(
    pods[0].spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0]
      .matchFields![0].values,
    ['worker-2'],
  );
  assert.ok(syncs.length > dsWrites, 'the DaemonSet status counts the new pod');
  const afterLabel = syncs.length;
  // Ten more heartbeat periods: node status and leases change, labels and taints do not.
  cluster.run({ untilMs: 200_000 });
  assert.equal(syncs.length, afterLabel, 'no DaemonSet write from heartbeats');
  label({ role: 'worker' });
  cluster.run({ untilMs: 260_000 });
  assert.equal(
    cluster.ctx.store.list('pods').filter((p) => !p.metadata.deletionTimestamp).length,
    0,
    'the pod goes with the label',
  );
});
