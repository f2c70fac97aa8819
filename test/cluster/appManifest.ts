// The manifest the cluster target tests apply: a ConfigMap, a Deployment of two pods with a
// readiness probe on the port its container listens on, and a Service that selects them.
import { parseManifestText } from '../../src/core/manifest/base/parse';
import type { KubeObject } from '../../src/core/sim/store/objects';
import { manifestObjects } from '../../src/core/trace/simulatedTrace';

export const appManifestText = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  greeting: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
          readinessProbe:
            tcpSocket:
              port: 80
            periodSeconds: 2
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 80
`;

/** The manifest's objects, as the editor hands them to a target. */
export function appObjects(): KubeObject[] {
  return manifestObjects([{ file: parseManifestText(appManifestText) }]);
}

/** The same objects with the Deployment's replicas changed. */
export function scaledObjects(replicas: number): KubeObject[] {
  return appObjects().map((o) =>
    o.kind === 'Deployment' ? { ...o, spec: { ...(o.spec as Record<string, unknown>), replicas } } : o,
  );
}
