// The benchmark workload: N Deployments of R replicas, each pod with a readiness probe, and
// with `services` a Service in front of each Deployment (every node's kube-proxy then syncs it).

export function benchManifest(deployments: number, replicas: number, services = false): string {
  const docs: string[] = [];
  for (let i = 0; i < deployments; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{name: http, containerPort: 8080}]
          resources: {requests: {cpu: 10m, memory: 16Mi}}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 5
`);
    if (services) {
      docs.push(`apiVersion: v1
kind: Service
metadata:
  name: app-${i}
spec:
  selector: {app: app-${i}}
  ports: [{port: 80, targetPort: http}]
`);
    }
  }
  return docs.join('---\n');
}
