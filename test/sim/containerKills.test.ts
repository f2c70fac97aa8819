// Containers the kubelet kills: after a failed liveness or startup probe, and after a failed
// postStart hook (FailedPostStartHook, then Killing with the hook's name), the container is
// started again unless restartPolicy is Never, whatever its exit code, with CrashLoopBackOff
// from the second restart on; a failed preStop hook (FailedPreStopHook) is followed by SIGTERM.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCluster } from './runCluster';

function pod(name: string, restartPolicy: string, container: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  restartPolicy: ${restartPolicy}
  containers:
${container}`;
}

const liveness = `    - name: worker
      image: busybox:1.36
      livenessProbe: {tcpSocket: {port: 9000}, failureThreshold: 2}
`;

test('a container killed for a failed liveness probe is started again, then held back by CrashLoopBackOff', () => {
  const { of } = runCluster(pod('worker', 'Always', liveness), { seed: 1, untilMs: 60_000 });
  const kills = of('worker', 'Killing').map((e) => e.time);
  const starts = of('worker', 'Started').map((e) => e.time);
  assert.ok(kills.length >= 2, `killed again after the restart (${kills.length})`);
  // Started once, then again after the first kill, which is not held back.
  assert.ok(
    starts.length >= 2 && starts[1] > kills[0] && starts[1] - kills[0] < 2000,
    `restarted at once after ${kills[0]}: ${starts.join(', ')}`,
  );
  assert.match(
    of('worker', 'BackOff')[0]?.message ?? '',
    /^Back-off restarting failed container worker in pod worker_default\(/,
  );
});

test('with restartPolicy OnFailure, a container killed for a failed probe is restarted though it exits 0', () => {
  const { of } = runCluster(pod('worker', 'OnFailure', liveness), { seed: 1, untilMs: 30_000 });
  assert.equal(of('worker', 'Exited')[0]?.message, 'container worker exited with code 0 (Completed)');
  assert.ok(of('worker', 'Started').length >= 2);
});

test('with restartPolicy Never, a container killed for a failed probe stays down and the pod ends', () => {
  const { of, store } = runCluster(pod('worker', 'Never', liveness), { seed: 1, untilMs: 60_000 });
  assert.equal(of('worker', 'Killing').length, 1);
  assert.equal(of('worker', 'Started').length, 1);
  // Terminal either way; which one follows from the exit code the application model gives a SIGTERM.
  assert.match(store.get('pods', 'default', 'worker')?.status?.phase ?? '', /^(Succeeded|Failed)$/);
});

test('a postStart HTTP hook the application does not answer yet: \
FailedPostStartHook, Killing, a restart, CrashLoopBackOff', () => {
  const { of } = runCluster(
    pod(
      'hooked',
      'Always',
      `    - name: web
      image: nginx:1.27
      ports: [{containerPort: 80}]
      lifecycle:
        postStart:
          httpGet: {path: /warm, port: 80}
`,
    ),
    { seed: 1, untilMs: 30_000 },
  );
  const failed = of('hooked', 'FailedPostStartHook');
  assert.ok(failed.length >= 2, 'the hook fails at each start');
  assert.deepEqual([failed[0].message, failed[0].severity], ['PostStartHook failed', 'Warning']);
  const killing = of('hooked', 'Killing')[0];
  assert.deepEqual([killing.message, killing.time], ['FailedPostStartHook', failed[0].time]);
  assert.ok(of('hooked', 'BackOff').length >= 1);
});

test('a postStart exec hook and a postStart HTTP hook to a port the application already serves succeed', () => {
  const { of } = runCluster(
    `apiVersion: v1
kind: Pod
metadata:
  name: ready-hooks
  annotations: {podtrace.dev/startup-seconds: "0"}
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports: [{containerPort: 80}]
      lifecycle:
        postStart:
          exec: {command: [sh, -c, echo warm]}
    - name: api
      image: nginx:1.27
      ports: [{containerPort: 8080}]
      lifecycle:
        postStart:
          httpGet: {path: /warm, port: 8080}
`,
    { seed: 1, untilMs: 30_000 },
  );
  assert.equal(of('ready-hooks', 'FailedPostStartHook').length, 0);
  assert.equal(of('ready-hooks', 'Started').length, 2);
});

test('a preStop HTTP hook to a port nobody listens on: FailedPreStopHook, then SIGTERM at once', () => {
  const { of } = runCluster(
    pod(
      'draining',
      'Always',
      `    - name: app
      image: nginx:1.27
      ports: [{containerPort: 8080}]
      lifecycle:
        preStop:
          httpGet: {path: /drain, port: 9090}
`,
    ),
    { seed: 1, untilMs: 40_000, scenario: '- {at: 10s, delete: {kind: Pod, name: draining}}\n' },
  );
  const failed = of('draining', 'FailedPreStopHook');
  assert.deepEqual(
    failed.map((e) => [e.message, e.severity]),
    [['PreStopHook failed', 'Warning']],
  );
  const sigterm = of('draining', 'SIGTERM')[0];
  assert.ok(
    sigterm.time - failed[0].time < 100 && sigterm.causes.includes(failed[0].id),
    'SIGTERM follows the failed hook',
  );
});
