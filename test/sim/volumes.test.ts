// Persistent volumes against upstream's behaviour: the DefaultStorageClass and
// StorageObjectInUseProtection admission plugins, the persistentvolume controller's static
// binding (and its events when nothing can bind), the scheduler's VolumeBinding filter for a
// volume pinned to a node, the pvc-protection and pv-protection finalizers, reclaim policy
// Delete through the provisioner, a pod placed by nodeName waiting for its claim, and the
// PreBind timeout when a class's provisioner does not run.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCluster } from './runCluster';
import { regExpOf } from '../regExpOf';

const run = (manifest: string, options: { scenario?: string; untilMs?: number } = {}) =>
  runCluster(manifest, { seed: 7, ...options });

const pod = (name: string, claim: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
${extra}  containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: data, mountPath: /data}]}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: ${claim}}}]
`;

const localVolume = `apiVersion: v1
kind: PersistentVolume
metadata: {name: local-2}
spec:
  storageClassName: ""
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  local: {path: /mnt/disks/ssd1}
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-2]}]
`;

test('a claim without a class binds to the smallest static volume \
that fits; the pod goes to the node the volume is pinned to', () => {
  const small = localVolume.replace('local-2', 'big-1').replace('5Gi', '50Gi').replace('node-2', 'node-1');
  const { store, of } = run(`${small}---\n${localVolume}---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {storageClassName: "", accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}
---
${pod('app', 'data')}`);
  const claim = store.get('persistentvolumeclaims', 'default', 'data')!;
  assert.equal(claim.spec!.storageClassName, '', 'DefaultStorageClass leaves an explicit "" alone');
  assert.equal(claim.spec!.volumeName, 'local-2');
  assert.deepEqual(claim.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } });
  assert.equal(claim.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
  assert.equal(claim.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  assert.deepEqual(claim.metadata.finalizers, ['kubernetes.io/pvc-protection']);
  const volume = store.get('persistentvolumes', undefined, 'local-2')!;
  assert.equal(volume.status!.phase, 'Bound');
  assert.equal(volume.spec!.claimRef!.uid, claim.metadata.uid);
  assert.equal(volume.spec!.persistentVolumeReclaimPolicy, 'Retain');
  assert.deepEqual(volume.metadata.finalizers, ['kubernetes.io/pv-protection']);
  assert.equal(store.get('persistentvolumes', undefined, 'big-1')!.status!.phase, 'Available');
  assert.equal(store.get('pods', 'default', 'app')!.spec!.nodeName, 'node-2');
  assert.equal(of('data', 'VolumeBound').length, 1);
  assert.match(
    of('app', 'VolumesMounted')[0].message,
    /^MountVolume\.SetUp succeeded for volume "local-2", "kube-api-access-/,
  );
});

test('a bound volume pinned to a node that cannot take the pod: volume node affinity conflict on that node', () => {
  const { of } = run(
    `${localVolume}---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {storageClassName: "", accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
${pod('app', 'data', '  nodeSelector: {kubernetes.io/hostname: node-1}\n')}`,
    { untilMs: 20_000 },
  );
  // Tried first before the binder got to the claim (an unbound claim without a class binds at
  // once, so it counts as immediate), then again once it is bound: now the volume pins it.
  const failed = of('app', 'FailedScheduling').map((e) => e.message);
  assert.equal(
    failed[0],
    '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. ' +
      'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..',
  );
  assert.equal(
    failed[1],
    "0/3 nodes are available: 1 node(s) had volume node affinity conflict, 2 node(s) didn't match Pod's node " +
      'affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..',
  );
});

test('a claim with no class and no volume: FailedBinding (Normal) at every 15 s resync', () => {
  const { of, store } = run(
    `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {storageClassName: "", accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`,
    { untilMs: 40_000 },
  );
  const failed = of('data', 'FailedBinding');
  assert.deepEqual(
    failed.map((e) => [e.severity, e.message]),
    Array(3).fill(['Normal', 'no persistent volumes available for this claim and no storage class is set']),
  );
  assert.deepEqual(
    failed.map((e) => e.time - failed[0].time),
    [0, 15_000, 30_000],
  );
  assert.equal(store.get('persistentvolumeclaims', 'default', 'data')!.status!.phase, 'Pending');
});

test('a claim in use is not removed until its pod is gone; its provisioned \
volume is then Released and deleted (reclaim policy Delete)', () => {
  const { store, of, events } = run(
    `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
${pod('app', 'data')}`,
    {
      scenario:
        'actions:\n  - at: 20s\n    delete: {kind: PersistentVolumeClaim, ' +
        'name: data}\n  - at: 40s\n    delete: {kind: Pod, name: app}\n',
      untilMs: 120_000,
    },
  );
  const marked = of('data', 'Deleted');
  assert.ok(marked.length >= 1);
  assert.match(marked[0].message, /^marked for deletion/, 'the claim waits for its finalizer');
  assert.ok(marked[0].time >= 20_000 && marked[0].time < 21_000);
  const podGone = events.find((e) => e.object.name === 'app' && e.reason === 'Deleted' && e.message === 'removed')!;
  assert.ok(podGone.time > 40_000);
  const claimRemoved = events.find(
    (e) => e.object.name === 'data' && e.reason === 'Deleted' && e.message === 'removed',
  );
  assert.ok(claimRemoved && claimRemoved.time > podGone.time, 'the claim goes once the pod is gone');
  assert.equal(store.get('persistentvolumeclaims', 'default', 'data'), undefined);
  const volumeEvents = events.filter((e) => e.object.kind === 'PersistentVolume');
  const volumeRemoved = volumeEvents.find((e) => e.reason === 'Deleted' && e.message === 'removed');
  assert.ok(volumeRemoved && volumeRemoved.time > podGone.time, 'the provisioned volume is deleted after the claim');
  assert.equal(store.list('persistentvolumes').length, 0);
});

test('a pod placed by nodeName whose claim is missing waits \
in the volume manager, and starts once the claim is bound', () => {
  const claim = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;
  const { of, store } = run(pod('pinned', 'data', '  nodeName: node-3\n'), {
    scenario: `actions:\n  - at: 10s\n    apply: |\n${claim.replace(/^/gm, '      ')}`,
    untilMs: 60_000,
  });
  const wait = of('pinned', 'VolumeWait');
  assert.equal(wait.length, 1);
  assert.equal(wait[0].message, 'volumes wait for their claims: persistentvolumeclaim "data" not found');
  // Nobody schedules the pod, so nobody selects a node: the WaitForFirstConsumer claim is never provisioned.
  assert.ok(of('data', 'WaitForFirstConsumer').length >= 1);
  assert.equal(of('pinned', 'Started').length, 0);
  assert.equal(store.get('persistentvolumeclaims', 'default', 'data')!.status!.phase, 'Pending');
});

test('a class whose provisioner does not run: the claim waits, \
said once as NotSimulated, and PreBind times out after 600 s', () => {
  const { of, store } = run(
    `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: gp3}
provisioner: ebs.csi.aws.com
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {storageClassName: gp3, accessModes: [ReadWriteOnce], resources: {requests: {storage: 20Gi}}}
---
${pod('app', 'data')}`,
    { untilMs: 700_000 },
  );
  assert.equal(of('data', 'NotSimulated').length, 1);
  assert.match(
    of('data', 'ExternalProvisioning')[0].message,
    regExpOf(
      /^Waiting for a volume to be created either by the external provisioner /,
      /'ebs\.csi\.aws\.com' or manually by the system administrator\./,
    ),
  );
  const failed = of('app', 'FailedScheduling');
  assert.equal(failed.length, 1);
  assert.equal(failed[0].message, 'running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
  assert.ok(failed[0].time >= 600_000 && failed[0].time < 601_000);
  const condition = store
    .get('pods', 'default', 'app')!
    .status!.conditions!.find((c: { type: string }) => c.type === 'PodScheduled');
  assert.equal(condition!.reason, 'SchedulerError');
  assert.equal(store.get('pods', 'default', 'app')!.spec!.nodeName, undefined);
});

test('a second pod of a claim being provisioned for one node can only go to that node', () => {
  const { store } = run(
    `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: shared}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: two}
spec:
  replicas: 2
  selector: {matchLabels: {app: two}}
  template:
    metadata: {labels: {app: two}}
    spec:
      containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: data, mountPath: /data}]}]
      volumes: [{name: data, persistentVolumeClaim: {claimName: shared}}]
`,
    { untilMs: 60_000 },
  );
  const claim = store.get('persistentvolumeclaims', 'default', 'shared')!;
  const nodes = store.list('pods').map((p) => p.spec!.nodeName);
  assert.deepEqual(nodes, [
    claim.metadata.annotations?.['volume.kubernetes.io/selected-node'],
    claim.metadata.annotations?.['volume.kubernetes.io/selected-node'],
  ]);
  assert.equal(store.list('persistentvolumes').length, 1);
});

test('a generic ephemeral volume: its claim is made for the pod, bound like any other, and goes with the pod', () => {
  const { store, of, events } = run(
    `apiVersion: v1
kind: Pod
metadata: {name: worker}
spec:
  containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: scratch, mountPath: /scratch}]}]
  volumes:
    - name: scratch
      ephemeral:
        volumeClaimTemplate:
          metadata: {labels: {type: scratch}}
          spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}
`,
    { scenario: 'actions:\n  - at: 30s\n    delete: {kind: Pod, name: worker}\n', untilMs: 90_000 },
  );
  const waiting = of('worker', 'FailedScheduling');
  assert.ok(waiting.length <= 1);
  if (waiting.length === 1)
    assert.match(
      waiting[0].message,
      regExpOf(
        /^0\/3 nodes are available: waiting for ephemeral volume /,
        /controller to create the persistentvolumeclaim "worker-scratch"\./,
      ),
    );
  const claimStored = events.find((e) => e.object.name === 'worker-scratch' && e.reason === 'Stored')!;
  assert.ok(claimStored.time < of('worker', 'Scheduled')[0].time, 'the claim exists, and is bound, before the pod is');
  assert.ok(of('worker-scratch', 'ProvisioningSucceeded').length === 1);
  assert.match(of('worker', 'VolumesMounted')[0].message, /volume "pvc-[0-9a-f-]+"/);
  // Deleted with its pod (owner reference), then its volume (reclaim policy Delete).
  const claimGone = events.find(
    (e) => e.object.name === 'worker-scratch' && e.reason === 'Deleted' && e.message === 'removed',
  );
  assert.ok(claimGone && claimGone.time > 30_000);
  assert.equal(store.list('persistentvolumeclaims').length, 0);
  assert.equal(store.list('persistentvolumes').length, 0);
});
