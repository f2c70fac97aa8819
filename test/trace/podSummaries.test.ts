// A pod's summary holds it to the phases it can reach: a pod that no Service selects is not
// held back by an EndpointSlice update it will never see, even when the manifests hold a
// Service for other pods; a selected pod that never gets there is.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceInSimulator } from '../../src/core/trace/simulatedTrace';
import { textInput } from './traceInputs';

const manifests = `apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  replicas: 1
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers: [{name: app, image: busybox:1.36}]
---
apiVersion: v1
kind: Pod
metadata: {name: wrong-port, labels: {app: web}}
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports: [{containerPort: 80}]
      readinessProbe: {httpGet: {path: /, port: 8080}}
---
apiVersion: v1
kind: Pod
metadata: {name: served, labels: {app: web, tier: front}}
spec:
  containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

test('pods are held to the endpoints only when a Service selects them', () => {
  const trace = traceInSimulator(textInput('pods.yaml', manifests));
  const pod = (prefix: string) => {
    const found = trace.pods.find((p) => p.name.startsWith(prefix));
    assert.ok(found, `expected a pod ${prefix}…, got ${trace.pods.map((p) => p.name).join(', ')}`);
    return found;
  };
  const worker = pod('worker-');
  assert.notEqual(worker.phases.ready, null, 'the worker is ready');
  assert.equal(worker.phases.inEndpoints, null);
  assert.notEqual(worker.heldBy?.step, 'EndpointSlice update', 'no Service selects the worker');
  assert.notEqual(worker.heldBy?.ms, null, 'the worker finished every step it had');
  assert.deepEqual(
    pod('wrong-port').heldBy,
    { step: 'readiness', ms: null, detail: pod('wrong-port').heldBy?.detail ?? null },
    'the selected pod that never turns ready is held by readiness',
  );
  const served = pod('served');
  assert.notEqual(served.phases.routable, null, 'the selected, ready pod becomes routable');
});
