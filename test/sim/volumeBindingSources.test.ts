// FailedScheduling of VolumeBinding, at PreFilter, Filter and PreBind: the pod volume whose
// claim is missing, unbound or unbindable, as the scheduler recorded it; a claim of an
// ephemeral volume or of a StatefulSet maps to the template it is made from.
import { test } from 'node:test';
import { assertSource, eventOf, traceManifest } from './sourceCase';

test('VolumeBinding, a named claim that does not exist: its claimName, among other volumes', () => {
  const trace = traceManifest(
    `apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers:
    - name: db
      image: postgres:16
      volumeMounts: [{name: scratch, mountPath: /tmp}, {name: data, mountPath: /data}]
  volumes:
    - name: scratch
      emptyDir: {}
    - name: data
      persistentVolumeClaim:
        claimName: db-data
`,
    { until: 5 },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling'), {
    line: 14,
    column: 9,
    endLine: 14,
    endColumn: 27,
    path: 'spec.volumes[1].persistentVolumeClaim.claimName',
    text: 'claimName: db-data',
  });
});

test('VolumeBinding, a claim no volume can bind on any node: its claimName', () => {
  const trace = traceManifest(
    `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: logs}
spec:
  storageClassName: local
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: shipper}
spec:
  containers: [{name: shipper, image: busybox:1.36}]
  volumes:
    - name: logs
      persistentVolumeClaim: {claimName: logs}
`,
    { until: 5 },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling', { message: /didn't find available persistent volumes/ }), {
    line: 22,
    column: 31,
    endLine: 22,
    endColumn: 46,
    path: 'spec.volumes[0].persistentVolumeClaim.claimName',
    text: 'claimName: logs',
  });
});

test('VolumeBinding, an ephemeral volume: its ephemeral template, \
while the claim is made and after it turns out unbindable', () => {
  const trace = traceManifest(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: cache}
spec:
  replicas: 1
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers:
        - name: cache
          image: redis:7
          volumeMounts: [{name: scratch, mountPath: /data}]
      volumes:
        - name: scratch
          ephemeral:
            volumeClaimTemplate:
              spec:
                storageClassName: nope
                accessModes: [ReadWriteOnce]
                resources: {requests: {storage: 1Gi}}
`,
    { until: 5 },
  );
  const expected = {
    line: 16,
    column: 11,
    endLine: 16,
    endColumn: 20,
    path: 'spec.template.spec.volumes[0].ephemeral',
    text: 'ephemeral',
  };
  assertSource(
    trace,
    eventOf(trace, 'FailedScheduling', { message: /waiting for ephemeral volume controller/ }),
    expected,
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling', { message: /unbound immediate/ }), expected);
  // The claim itself comes from the volume's claim template, and its class decides its provisioning.
  assertSource(trace, eventOf(trace, 'Stored', { kind: 'PersistentVolumeClaim' }), {
    line: 17,
    column: 13,
    endLine: 17,
    endColumn: 32,
    path: 'spec.template.spec.volumes[0].ephemeral.volumeClaimTemplate',
    text: 'volumeClaimTemplate',
  });
  assertSource(trace, eventOf(trace, 'ProvisioningFailed'), {
    line: 19,
    column: 17,
    endLine: 19,
    endColumn: 39,
    path: 'spec.template.spec.volumes[0].ephemeral.volumeClaimTemplate.spec.storageClassName',
    text: 'storageClassName: nope',
  });
});

test("VolumeBinding, a StatefulSet's volumeClaimTemplates: the template the pod's claim comes from", () => {
  const trace = traceManifest(
    `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: postgres:16
          volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        storageClassName: nope
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
`,
    { until: 5 },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling'), {
    line: 16,
    column: 18,
    endLine: 16,
    endColumn: 28,
    path: 'spec.volumeClaimTemplates[0].metadata.name',
    text: 'name: data',
  });
});

test('VolumeBinding at PreBind: the claim whose binding timed out', () => {
  const trace = traceManifest(
    `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: remote}
provisioner: ebs.csi.aws.com
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: state}
spec:
  storageClassName: remote
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: worker}
spec:
  containers: [{name: worker, image: busybox:1.36}]
  volumes:
    - name: state
      persistentVolumeClaim: {claimName: state}
`,
    { until: 610 },
  );
  assertSource(
    trace,
    eventOf(trace, 'FailedScheduling', {
      message: /PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded/,
    }),
    {
      line: 22,
      column: 31,
      endLine: 22,
      endColumn: 47,
      path: 'spec.volumes[0].persistentVolumeClaim.claimName',
      text: 'claimName: state',
    },
  );
});
