// FailedScheduling of the plugins that place a pod by other pods (PodTopologySpread,
// InterPodAffinity): the constraint or the term that failed, as the scheduler recorded it.
import { test } from 'node:test';
import { assertSource, eventOf, traceManifest } from './sourceCase';

test('PodTopologySpread: the constraint that fails, not the first one', () => {
  const trace = traceManifest(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: zonal}
spec:
  replicas: 2
  selector: {matchLabels: {app: zonal}}
  template:
    metadata: {labels: {app: zonal}}
    spec:
      topologySpreadConstraints:
        - maxSkew: 5
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: DoNotSchedule
          labelSelector: {matchLabels: {app: zonal}}
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule
          labelSelector: {matchLabels: {app: zonal}}
      containers: [{name: app, image: busybox:1.36}]
`,
    { until: 5 },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling'), {
    // A block mapping is shown by its first line, as the InterPodAffinity term below is.
    line: 15,
    column: 11,
    endLine: 15,
    endColumn: 21,
    path: 'spec.template.spec.topologySpreadConstraints[1]',
    text: 'maxSkew: 1',
  });
});

test('InterPodAffinity, affinity: the required term no placed pod satisfies', () => {
  const trace = traceManifest(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      affinity:
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: {matchLabels: {app: cache}}
              topologyKey: kubernetes.io/hostname
      containers: [{name: web, image: nginx:1.27}]
`,
    { until: 5 },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling'), {
    line: 13,
    column: 15,
    endLine: 13,
    endColumn: 57,
    path: 'spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]',
    text: 'labelSelector: {matchLabels: {app: cache}}',
  });
});

test('InterPodAffinity, anti-affinity: the term that the placed replicas violate, the second of two', () => {
  const trace = traceManifest(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: {matchLabels: {app: db}}
              topologyKey: kubernetes.io/hostname
            - labelSelector: {matchLabels: {tier: front}}
              topologyKey: kubernetes.io/hostname
      containers: [{name: web, image: nginx:1.27}]
`,
    { until: 5 },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling'), {
    line: 15,
    column: 15,
    endLine: 15,
    endColumn: 58,
    path: 'spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[1]',
    text: 'labelSelector: {matchLabels: {tier: front}}',
  });
});

test("InterPodAffinity, existing pods' anti-affinity: the labels another pod's rule matches", () => {
  const trace = traceManifest(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: loner}
spec:
  replicas: 1
  selector: {matchLabels: {app: loner}}
  template:
    metadata: {labels: {app: loner}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: {matchLabels: {app: noisy}}
              topologyKey: kubernetes.io/os
      containers: [{name: loner, image: nginx:1.27}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: noisy}
spec:
  replicas: 1
  selector: {matchLabels: {app: noisy}}
  template:
    metadata:
      labels: {app: noisy}
    spec:
      containers: [{name: noisy, image: nginx:1.27}]
`,
    { until: 5 },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling', { message: /existing pods anti-affinity/ }), {
    line: 25,
    column: 7,
    endLine: 25,
    endColumn: 13,
    path: 'spec.template.metadata.labels',
    text: 'labels',
  });
});
