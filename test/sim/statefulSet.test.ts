// The StatefulSet controller against upstream's behaviour: stable names, hostname and
// subdomain, the pod-index, pod-name and revision labels, claim volumes; OrderedReady
// creates each pod only after the one before is Ready, Parallel creates them together.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import type { KubeObject } from '../../src/core/sim/store/objects';

/* eslint-disable @typescript-eslint/no-explicit-any -- specs and statuses are read loosely. */

const statefulSet = (policy: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  podManagementPolicy: ${policy}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}
          volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
  volumeClaimTemplates:
    - metadata: {name: www}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;

function run(policy: string) {
  const cluster = new SimCluster({ seed: 5, version: '1.35', nodeCount: 3 });
  cluster.apply(parseAllObjects(statefulSet(policy)) as KubeObject[]);
  assert.equal(cluster.run({}).reason, 'quiescent');
  const events = cluster.ctx.trace.events;
  const at = (pod: string, reason: string) => events.find((e) => e.object.name === pod && e.reason === reason)?.time;
  const readyAt = (pod: string) =>
    events.find((e) => e.object.name === pod && e.reason === 'StatusPatched' && e.message.includes(' Ready=True'))
      ?.time;
  return { cluster, at, readyAt, set: cluster.ctx.store.list('statefulsets')[0], pods: cluster.ctx.store.list('pods') };
}

test('OrderedReady: web-0, web-1, web-2 in order, each created once the one before is Ready', () => {
  const { at, readyAt, set, pods, cluster } = run('OrderedReady');
  const events = cluster.ctx.trace.events;
  assert.deepEqual(pods.map((p) => p.metadata.name).sort(), ['web-0', 'web-1', 'web-2']);
  for (const [i, name] of ['web-0', 'web-1', 'web-2'].entries()) {
    const pod = pods.find((p) => p.metadata.name === name)!;
    assert.equal(pod.spec!.hostname, name);
    assert.equal(pod.spec!.subdomain, 'web');
    assert.equal(pod.metadata.labels?.['apps.kubernetes.io/pod-index'], String(i));
    assert.equal(pod.metadata.labels?.['statefulset.kubernetes.io/pod-name'], name);
    assert.equal(pod.metadata.labels?.['controller-revision-hash'], set.status!.updateRevision);
    assert.deepEqual(
      pod.spec!.volumes!.find((v: any) => v.name === 'www'),
      { name: 'www', persistentVolumeClaim: { claimName: `www-${name}` } },
    );
  }
  assert.ok(at('web-1', 'Stored')! > readyAt('web-0')!, 'web-1 waits for web-0 to be Ready');
  assert.ok(at('web-2', 'Stored')! > readyAt('web-1')!, 'web-2 waits for web-1 to be Ready');
  assert.match(set.status!.updateRevision!, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.deepEqual(
    { ...set.status, currentRevision: undefined, updateRevision: undefined },
    {
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: undefined,
      updateRevision: undefined,
      collisionCount: 0,
      availableReplicas: 3,
    },
  );
  const messages = cluster.ctx.trace.events
    .filter((e) => e.object.kind === 'StatefulSet' && e.lane === 'controller-manager')
    .map((e) => e.message);
  assert.deepEqual(
    messages.filter((m) => m.startsWith('create Pod')),
    [
      'create Pod web-0 in StatefulSet web successful',
      'create Pod web-1 in StatefulSet web successful',
      'create Pod web-2 in StatefulSet web successful',
    ],
  );
  // Each pod's claim is created before the pod, provisioned on the pod's node and bound before the pod is.
  assert.deepEqual(
    messages.filter((m) => m.startsWith('create Claim')),
    [
      'create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'create Claim www-web-1 Pod web-1 in StatefulSet web success',
      'create Claim www-web-2 Pod web-2 in StatefulSet web success',
    ],
  );
  const store = cluster.ctx.store;
  for (const name of ['web-0', 'web-1', 'web-2']) {
    const claim = store.get('persistentvolumeclaims', 'default', `www-${name}`)!;
    assert.equal(claim.status!.phase, 'Bound');
    assert.deepEqual(claim.metadata.labels, { app: 'web' });
    assert.equal(claim.spec!.storageClassName, 'standard');
    const volume = store.get('persistentvolumes', undefined, claim.spec!.volumeName!)!;
    assert.equal(volume.metadata.name, `pvc-${claim.metadata.uid}`);
    assert.equal(volume.status!.phase, 'Bound');
    const pod = pods.find((p) => p.metadata.name === name)!;
    assert.deepEqual(volume.spec!.nodeAffinity!.required!.nodeSelectorTerms[0].matchExpressions![0].values, [
      pod.spec!.nodeName,
    ]);
    assert.equal(claim.metadata.annotations?.['volume.kubernetes.io/selected-node'], pod.spec!.nodeName);
    const claimStored = events.find((e) => e.object.name === `www-${name}` && e.reason === 'Stored')!.time;
    assert.ok(claimStored < at(name, 'Stored')!, `the claim of ${name} is stored before the pod`);
    assert.ok(
      events.find((e) => e.object.name === `www-${name}` && e.reason === 'ProvisioningSucceeded')!.time <
        at(name, 'Scheduled')!,
      `${name} is bound once its volume exists`,
    );
  }
});

test('Parallel: all pods are created without waiting for readiness', () => {
  const { at, readyAt } = run('Parallel');
  const created = ['web-0', 'web-1', 'web-2'].map((p) => at(p, 'Stored')!);
  assert.ok(
    Math.max(...created) < readyAt('web-0')!,
    `created at ${created.join(', ')}, web-0 ready at ${readyAt('web-0')}`,
  );
});
