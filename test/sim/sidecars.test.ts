// Sidecar containers (restartable init containers, restartPolicy: Always; KEP-753) against
// upstream's behaviour: started in init order, the next container going once the sidecar has
// started (its startup probe passed); running beside the regular containers, its readiness
// part of the pod's; stopped after the regular containers, last one first, when a Job's pod
// completes or a pod is deleted; restarted whatever the pod's restartPolicy.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCluster } from './runCluster';
import type { TraceEvent } from '../../src/core/trace/model/traceEvent';

function run(manifest: string, options: { scenario?: string; untilMs?: number } = {}) {
  const r = runCluster(manifest, { seed: 13, nodes: 2, ...options });
  const first = (pred: (e: TraceEvent) => boolean) => r.events.find(pred);
  /** When the nth event with this reason happened to a container (by its field path). */
  const at = (container: string, reason: string, nth = 0) =>
    r.events.filter((e) => e.reason === reason && (e.fieldPath?.endsWith(`{${container}}`) ?? false))[nth]?.time;
  return { ...r, first, at };
}

test("a Job's pod with a sidecar: init, then the sidecar until it has \
started, then the job; the sidecar is stopped once the job is done", () => {
  const { at, store, events } = run(`apiVersion: batch/v1
kind: Job
metadata: {name: export}
spec:
  template:
    metadata:
      annotations: {podtrace.dev/startup-seconds: "export=5,proxy=1"}
    spec:
      restartPolicy: Never
      initContainers:
        - {name: migrate, image: busybox:1.36}
        - name: proxy
          image: envoyproxy/envoy:v1.31.0
          restartPolicy: Always
          ports: [{containerPort: 15001}]
          startupProbe: {tcpSocket: {port: 15001}, periodSeconds: 1}
      containers:
        - {name: export, image: busybox:1.36}
`);
  assert.ok(
    at('migrate', 'Exited')! < at('proxy', 'Started')!,
    'the sidecar starts after the init container before it completed',
  );
  assert.ok(
    at('proxy', 'Listening')! < at('export', 'Started')!,
    'the job container waits for the sidecar to have started (its startup probe)',
  );
  assert.ok(at('export', 'Exited')! < at('proxy', 'Killing')!, 'the sidecar is stopped once the job container is done');
  assert.equal(events.filter((e) => e.reason === 'Killing').length, 1);
  const pod = store.list('pods')[0];
  assert.equal(pod.status!.phase, 'Succeeded');
  const proxy = pod.status!.initContainerStatuses!.find((s: { name: string }) => s.name === 'proxy');
  assert.equal(proxy!.restartCount, 0, 'a sidecar stopped at the end is not restarted');
  assert.equal(proxy!.state!.terminated?.exitCode, 0);
  assert.equal(
    store.list('jobs')[0].status!.conditions!.find((c: { type: string }) => c.type === 'Complete')?.status,
    'True',
  );
});

const deployment = (sidecarProbePort: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
        - name: proxy
          image: envoyproxy/envoy:v1.31.0
          restartPolicy: Always
          ports: [{containerPort: 15001}]
          readinessProbe: {tcpSocket: {port: ${sidecarProbePort}}, periodSeconds: 2}
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}
`;

test("a sidecar's readiness is part of the pod's: one that never \
turns ready keeps the pod from Ready, named in the condition", () => {
  const { store } = run(deployment(15999), { untilMs: 60_000 });
  const pod = store.list('pods')[0];
  assert.equal(pod.status!.phase, 'Running');
  const ready = pod.status!.conditions!.find((c: { type: string }) => c.type === 'ContainersReady');
  assert.deepEqual(
    [ready!.status, ready!.reason, ready!.message],
    ['False', 'ContainersNotReady', 'containers with unready status: [proxy]'],
  );
  assert.equal(pod.status!.containerStatuses![0].ready, true);
});

test('a deleted pod stops its regular containers first, then its sidecar', () => {
  const { at, store, first } = run(deployment(15001), {
    scenario: 'actions:\n  - at: 30s\n    delete: {kind: Deployment, name: web}\n',
    untilMs: 90_000,
  });
  assert.ok(
    first((e) => e.reason === 'StatusPatched' && e.message.includes(' Ready=True')),
    'Ready with both ready',
  );
  assert.ok(at('web', 'SIGTERM')! >= 30_000);
  assert.ok(
    at('web', 'Exited')! <= at('proxy', 'Killing')!,
    'the sidecar is asked to stop once the web container has exited',
  );
  assert.ok(at('proxy', 'SIGTERM')! > at('web', 'SIGTERM')!);
  assert.equal(store.list('pods').length, 0);
});

test('a sidecar that exits is restarted even in a pod that never restarts its containers', () => {
  const { at, store } = run(
    `apiVersion: v1
kind: Pod
metadata:
  name: once
  annotations: {podtrace.dev/exit-code: "proxy=1", podtrace.dev/startup-seconds: "proxy=2,main=30"}
spec:
  restartPolicy: Never
  initContainers: [{name: proxy, image: envoyproxy/envoy:v1.31.0, restartPolicy: Always}]
  containers: [{name: main, image: busybox:1.36, command: [sleep, "30"]}]
`,
    { untilMs: 25_000 },
  );
  assert.ok(at('proxy', 'Started', 1)! > at('proxy', 'Exited', 0)!, 'restarted after it exited');
  const pod = store.list('pods')[0];
  assert.ok(pod.status!.initContainerStatuses![0].restartCount >= 1);
  assert.equal(pod.status!.containerStatuses![0].state!.running !== undefined, true, 'the regular container runs on');
});
