// Runtime findings: what a finished trace says an engineer has to act on, on the YAML range
// that caused it, one finding for all the pods of a template; and what does not count.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { runtimeFindings, type RuntimeFinding } from '../../src/core/trace/runtimeFindings';
import { traceInSimulator, type SimulatedTraceInput } from '../../src/core/trace/simulatedTrace';
import { caseInput, fileInput, textInput } from './traceInputs';
import { regExpOf } from '../regExpOf';

function findingsOf(input: SimulatedTraceInput): RuntimeFinding[] {
  const trace = traceInSimulator(input);
  return runtimeFindings(trace.events, trace.sourceOf, trace.pods);
}

/** A finding's place and code: `file:line:column-endLine:endColumn path code`. */
function where(f: RuntimeFinding): string {
  const s = f.source;
  return `${path.basename(s.file)}:${s.line}:${s.column}-${s.endLine}:${s.endColumn} ${s.path} ${f.code}`;
}

/** A Deployment of `replicas` whose one container has `extra` lines (indented for the container). */
function deployment(replicas: number, ...extra: string[]): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels: {app: api}',
    '  template:',
    '    metadata:',
    '      labels: {app: api}',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: nginx:1.27',
    '          ports: [{containerPort: 80}]',
    ...extra.map((line) => `          ${line}`),
    '',
  ].join('\n');
}

test('examples/web has nothing to act on', () => {
  assert.deepEqual(findingsOf(fileInput('examples/web/deployment.yaml')), []);
});

test('a readiness probe on a port nobody listens on: one finding on the probe for all three replicas', () => {
  const findings = findingsOf(
    textInput('api.yaml', deployment(3, 'readinessProbe:', '  httpGet: {path: /, port: 8080}')),
  );
  assert.deepEqual(findings.map(where), [
    'api.yaml:17:11-17:25 spec.template.spec.containers[0].readinessProbe ReadinessProbeFailed',
  ]);
  const [f] = findings;
  assert.equal(f.pods.length, 3);
  assert.match(
    f.message,
    regExpOf(
      /^3 pods \(default\/api-[a-z0-9]+-[a-z0-9]+, default\/api-[a-z0-9]+-[a-z0-9]+, /,
      /default\/api-[a-z0-9]+-[a-z0-9]+\) never became ready: this readiness probe /,
      /never passed\. Unhealthy: Readiness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:8080\/": /,
      /dial tcp 10\.244\.\d+\.\d+:8080: connect: connection refused$/,
    ),
  );
  assert.equal(f.severity, 'warning');
});

test('the golden readiness case: the finding is on its readinessProbe line', () => {
  const findings = findingsOf(caseInput('readiness-undeclared-port'));
  assert.deepEqual(findings.map(where), [
    'manifests.yaml:10:7-10:21 spec.containers[0].readinessProbe ReadinessProbeFailed',
  ]);
  assert.match(findings[0].message, /^1 pod \(default\/wrong-port\) never became ready/);
});

test('a readiness probe that fails during start-up and then passes is not a finding', () => {
  // The application listens after 12 s; the probe fails at about 3 s and 8 s, then passes.
  const text = deployment(1, 'readinessProbe:', '  httpGet: {path: /, port: 80}', '  periodSeconds: 5').replace(
    '      labels: {app: api}',
    "      labels: {app: api}\n      annotations: {podtrace.dev/startup-seconds: '12'}",
  );
  const trace = traceInSimulator(textInput('api.yaml', text));
  const failures = trace.events.filter((e) => e.reason === 'Unhealthy');
  assert.ok(failures.length >= 2, `expected the probe to fail during start-up, got ${failures.length} failure(s)`);
  assert.equal(trace.pods[0].phases.ready !== null, true, 'expected the pod to become ready');
  assert.deepEqual(runtimeFindings(trace.events, trace.sourceOf, trace.pods), []);
});

test('an image that does not exist: ImagePullBackOff on the image, quoting the pull error', () => {
  const findings = findingsOf(caseInput('image-pull-backoff'));
  assert.deepEqual(findings.map(where), ['manifests.yaml:8:7-8:25 spec.containers[0].image ImagePullBackOff']);
  assert.match(
    findings[0].message,
    regExpOf(
      /^1 pod \(default\/typo\) never got this image\. Failed: /,
      /Failed to pull image "nginx:1\.277": rpc error: code = NotFound/,
    ),
  );
});

test('a ConfigMap that never comes: FailedMount on the volume; one that comes later: no finding', () => {
  const missing = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: needs-config}',
    'spec:',
    '  containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: config, mountPath: /etc/app}]}]',
    '  volumes:',
    '    - name: config',
    '      configMap: {name: app-config}',
    '',
  ].join('\n');
  const findings = findingsOf(textInput('pod.yaml', missing, { untilMs: 60_000 }));
  assert.deepEqual(findings.map(where), ['pod.yaml:7:7-7:19 spec.volumes[0].name FailedMount']);
  assert.match(
    findings[0].message,
    regExpOf(
      /^1 pod \(default\/needs-config\) never started: this volume was never mounted\. FailedMount: /,
      /MountVolume\.SetUp failed for volume "config" : configmap "app-config" not found$/,
    ),
  );
  // The golden case creates the ConfigMap after a while: the pod starts, nothing to act on.
  assert.deepEqual(findingsOf(caseInput('missing-configmap')), []);
});

test('a request no node fits: FailedScheduling on the request; a pod a joining node takes: no finding', () => {
  const findings = findingsOf(textInput('api.yaml', deployment(2, 'resources: {requests: {cpu: "64"}}')));
  assert.deepEqual(findings.map(where), [
    'api.yaml:17:34-17:43 spec.template.spec.containers[0].resources.requests.cpu FailedScheduling',
  ]);
  assert.match(
    findings[0].message,
    regExpOf(
      /^2 pods \(default\/api-\S+, default\/api-\S+\) were never scheduled: /,
      /no node fits\. FailedScheduling: 0\/3 nodes are available: 3 Insufficient cpu\./,
    ),
  );
  assert.deepEqual(findingsOf(caseInput('unschedulable-until-node-added')), []);
});

test('a container that keeps crashing: CrashLoopBackOff on the container, with its restarts', () => {
  const findings = findingsOf(caseInput('crash-loop-backoff'));
  assert.deepEqual(findings.map(where), ['manifests.yaml:11:7-11:16 spec.containers[0].name CrashLoopBackOff']);
  assert.match(
    findings[0].message,
    regExpOf(
      /^1 pod \(default\/crasher\) kept crashing: the kubelet backed off restarting this container \(up /,
      /to \d+ restarts\)\. BackOff: Back-off restarting failed container app in pod crasher_default/,
    ),
  );
});

test('a liveness probe that fails: the container is restarted, LivenessProbeFailed on the probe', () => {
  const text = deployment(1, 'livenessProbe:', '  tcpSocket: {port: 9090}', '  periodSeconds: 5');
  const findings = findingsOf(textInput('api.yaml', text, { untilMs: 120_000 }));
  const live = findings.filter((f) => f.code === 'LivenessProbeFailed');
  assert.deepEqual(live.map(where), [
    'api.yaml:17:11-17:24 spec.template.spec.containers[0].livenessProbe LivenessProbeFailed',
  ]);
  assert.match(
    live[0].message,
    regExpOf(
      /^1 pod \(default\/api-\S+\) had this container restarted because /,
      /its liveness probe failed\. Unhealthy: Liveness probe failed: /,
    ),
  );
});

test('findings are ordered by position, not by when they happened', () => {
  // The second document's pod fails to schedule at once; the first's readiness probe fails seconds later.
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: late}',
    'spec:',
    '  containers:',
    '    - name: app',
    '      image: nginx:1.27',
    '      readinessProbe: {tcpSocket: {port: 8080}}',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: early}',
    'spec:',
    '  containers: [{name: app, image: nginx:1.27, resources: {requests: {memory: 1Ti}}}]',
    '',
  ].join('\n');
  const findings = findingsOf(textInput('pods.yaml', text, { untilMs: 30_000 }));
  assert.deepEqual(
    findings.map((f) => `${f.source.line} ${f.code} ${f.pods.join(',')}`),
    ['8 ReadinessProbeFailed default/late', '14 FailedScheduling default/early'],
  );
  const trace = traceInSimulator(textInput('pods.yaml', text, { untilMs: 30_000 }));
  const first = (reason: string) => trace.events.find((e) => e.reason === reason)!.time;
  assert.ok(first('FailedScheduling') < first('Unhealthy'), 'expected the scheduling failure to come first in time');
});
