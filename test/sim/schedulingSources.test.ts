// A FailedScheduling maps to what the plugins that rejected the nodes point to in the pod's
// spec, as the scheduler recorded it (the plugin, the resource, the port, which of the node
// constraints), never to what its message says: one test per plugin that filters on the node
// itself (NodeName is not here: the scheduler never sees a pod that names its node). The
// spreading plugins are in podPlacementSources.test.ts, VolumeBinding in volumeBindingSources.test.ts.
import { test } from 'node:test';
import { assertSource, eventOf, traceManifest } from './sourceCase';

test('NodeResourcesFit, cpu: the container whose request no node has room for', () => {
  const trace = traceManifest(
    `apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  containers:
    - name: sidecar
      image: busybox:1.36
      resources: {requests: {memory: 64Mi}}
    - name: app
      image: busybox:1.36
      resources:
        requests: {cpu: "64"}
`,
    { until: 5 },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling'), {
    line: 12,
    column: 20,
    endLine: 12,
    endColumn: 29,
    path: 'spec.containers[1].resources.requests.cpu',
    text: 'cpu: "64"',
  });
});

test('NodeResourcesFit, memory: a limit stands for the request it defaults', () => {
  const trace = traceManifest(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: hungry}
spec:
  replicas: 1
  selector: {matchLabels: {app: hungry}}
  template:
    metadata: {labels: {app: hungry}}
    spec:
      containers:
        - name: app
          image: busybox:1.36
          resources:
            limits: {memory: 512Gi}
`,
    { until: 5 },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling'), {
    line: 14,
    column: 22,
    endLine: 14,
    endColumn: 35,
    path: 'spec.template.spec.containers[0].resources.limits.memory',
    text: 'memory: 512Gi',
  });
});

test('NodeResourcesFit, pods: a node full of pods has no field in the pod to blame, so the template', () => {
  const trace = traceManifest(
    `apiVersion: v1
kind: Node
metadata: {name: tiny}
status: {capacity: {cpu: "4", memory: 8Gi, pods: "1"}}
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
      containers: [{name: app, image: busybox:1.36}]
`,
    { until: 5 },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling', { message: /Too many pods/ }), {
    line: 12,
    column: 3,
    endLine: 12,
    endColumn: 11,
    path: 'spec.template',
    text: 'template',
  });
});

const nodeAffinity = `apiVersion: apps/v1
kind: Deployment
metadata: {name: picky}
spec:
  replicas: 1
  selector: {matchLabels: {app: picky}}
  template:
    metadata: {labels: {app: picky}}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions: [{key: disktype, operator: In, values: [ssd]}]
      containers: [{name: app, image: busybox:1.36}]
---
apiVersion: v1
kind: Pod
metadata: {name: ssd-only}
spec:
  nodeSelector:
    disktype: ssd
  containers: [{name: app, image: busybox:1.36}]
`;

test('NodeAffinity by nodeSelector: the nodeSelector no node matches', () => {
  const trace = traceManifest(nodeAffinity, { until: 5 });
  const failed = trace.events.find((e) => e.reason === 'FailedScheduling' && e.object.name === 'ssd-only');
  assertSource(trace, failed!, {
    line: 22,
    column: 3,
    endLine: 22,
    endColumn: 15,
    path: 'spec.nodeSelector',
    text: 'nodeSelector',
  });
});

test('NodeAffinity by affinity: the required node affinity, not the nodeSelector that every node matches', () => {
  const trace = traceManifest(nodeAffinity, { until: 5 });
  const failed = trace.events.find((e) => e.reason === 'FailedScheduling' && e.object.name.startsWith('picky-'));
  assertSource(trace, failed!, {
    line: 13,
    column: 11,
    endLine: 13,
    endColumn: 57,
    path: 'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution',
    text: 'requiredDuringSchedulingIgnoredDuringExecution',
  });
});

const tainted = `apiVersion: v1
kind: Node
metadata: {name: gpu-1}
spec:
  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
---
apiVersion: v1
kind: Pod
metadata: {name: tolerant}
spec:
  tolerations:
    - {key: dedicated, value: db, effect: NoSchedule}
  containers: [{name: app, image: busybox:1.36}]
---
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  containers: [{name: app, image: busybox:1.36}]
`;

test('TaintToleration: the tolerations that do not tolerate the taint', () => {
  const trace = traceManifest(tainted, { until: 5 });
  const failed = trace.events.find((e) => e.reason === 'FailedScheduling' && e.object.name === 'tolerant');
  assertSource(trace, failed!, {
    line: 11,
    column: 3,
    endLine: 11,
    endColumn: 14,
    path: 'spec.tolerations',
    text: 'tolerations',
  });
});

test('TaintToleration without tolerations: the pod itself', () => {
  const trace = traceManifest(tainted, { until: 5 });
  const failed = trace.events.find((e) => e.reason === 'FailedScheduling' && e.object.name === 'plain');
  assertSource(trace, failed!, {
    line: 17,
    column: 12,
    endLine: 17,
    endColumn: 23,
    path: 'metadata.name',
    text: 'name: plain',
  });
});

test('NodePorts: the container port whose host port is taken on every node', () => {
  const trace = traceManifest(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: edge}
spec:
  replicas: 4
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec:
      containers:
        - name: proxy
          image: nginx:1.27
          ports:
            - {name: http, containerPort: 80}
            - {name: admin, containerPort: 9000, hostPort: 9000}
`,
    { until: 5 },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling'), {
    line: 15,
    column: 50,
    endLine: 15,
    endColumn: 64,
    path: 'spec.template.spec.containers[0].ports[1].hostPort',
    text: 'hostPort: 9000',
  });
});

test('NodeUnschedulable: every node cordoned, nothing in the pod to blame, so the template', () => {
  const trace = traceManifest(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: late}
spec:
  replicas: 0
  selector: {matchLabels: {app: late}}
  template:
    metadata: {labels: {app: late}}
    spec:
      containers: [{name: app, image: busybox:1.36}]
`,
    {
      until: 5,
      scenario: `- {at: 0s, cordon: node-1}
- {at: 0s, cordon: node-2}
- {at: 0s, cordon: node-3}
- {at: 2s, scale: {kind: Deployment, name: late, replicas: 1}}
`,
    },
  );
  assertSource(trace, eventOf(trace, 'FailedScheduling', { message: /were unschedulable/ }), {
    line: 7,
    column: 3,
    endLine: 7,
    endColumn: 11,
    path: 'spec.template',
    text: 'template',
  });
});

test('several plugins: the request comes before the tolerations, as the table orders them', () => {
  const trace = traceManifest(
    `apiVersion: v1
kind: Node
metadata: {name: small-1}
status: {capacity: {cpu: "2", memory: 8Gi, pods: "110"}}
---
apiVersion: v1
kind: Node
metadata: {name: gpu-1}
spec:
  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
status: {capacity: {cpu: "8", memory: 32Gi, pods: "110"}}
---
apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  tolerations: [{key: dedicated, value: db, effect: NoSchedule}]
  containers:
    - name: app
      image: busybox:1.36
      resources: {requests: {cpu: "3"}}
`,
    { until: 5 },
  );
  const failed = eventOf(trace, 'FailedScheduling', {
    message: /1 Insufficient cpu, 1 node\(s\) had untolerated taint/,
  });
  assertSource(trace, failed, {
    line: 21,
    column: 30,
    endLine: 21,
    endColumn: 38,
    path: 'spec.containers[0].resources.requests.cpu',
    text: 'cpu: "3"',
  });
});
