// The kubelet's warnings (and the events that go with them) map to the part of the container
// or pod that the kubelet recorded as their cause: a probe failure to that probe, a restart
// for a failed probe to the probe, an image failure to the image, a mount failure to the
// volume, a config error to the reference that does not resolve. One test per reason.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSource, traceManifest, type MappedEvent, type MappedTrace } from './sourceCase';

const probes = `apiVersion: v1
kind: Pod
metadata: {name: probes}
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports: [{containerPort: 80}]
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
      livenessProbe:
        tcpSocket: {port: 80}
    - name: worker
      image: busybox:1.36
      livenessProbe:
        tcpSocket: {port: 9000}
        failureThreshold: 2
    - name: slow
      image: busybox:1.36
      startupProbe:
        httpGet: {path: /started, port: 7000}
        periodSeconds: 2
        failureThreshold: 3
`;

/**
 * The first event of `reason` whose message matches (the tests pick events by their text; the mapping never reads it).
 */
function find(trace: MappedTrace, reason: string, message: RegExp): MappedEvent {
  const event = trace.events.find((e) => e.reason === reason && message.test(e.message));
  assert.ok(event, `an event ${reason} matching ${message}`);
  return event;
}

test("Unhealthy from a readiness probe: that container's readinessProbe", () => {
  const trace = traceManifest(probes, { until: 60 });
  assertSource(trace, find(trace, 'Unhealthy', /^Readiness probe failed/), {
    line: 9,
    column: 7,
    endLine: 9,
    endColumn: 21,
    path: 'spec.containers[0].readinessProbe',
    text: 'readinessProbe',
  });
});

test('Unhealthy from a liveness probe: the livenessProbe of the container that failed it', () => {
  const trace = traceManifest(probes, { until: 60 });
  assertSource(trace, find(trace, 'Unhealthy', /^Liveness probe failed: dial tcp [\d.]+:9000/), {
    line: 15,
    column: 7,
    endLine: 15,
    endColumn: 20,
    path: 'spec.containers[1].livenessProbe',
    text: 'livenessProbe',
  });
});

test('Unhealthy from a startup probe: the startupProbe', () => {
  const trace = traceManifest(probes, { until: 60 });
  assertSource(trace, find(trace, 'Unhealthy', /^Startup probe failed/), {
    line: 20,
    column: 7,
    endLine: 20,
    endColumn: 19,
    path: 'spec.containers[2].startupProbe',
    text: 'startupProbe',
  });
});

test('Killing after a failed liveness probe: the livenessProbe that restarts the container', () => {
  const trace = traceManifest(probes, { until: 60 });
  assertSource(trace, find(trace, 'Killing', /failed liveness probe/), {
    line: 15,
    column: 7,
    endLine: 15,
    endColumn: 20,
    path: 'spec.containers[1].livenessProbe',
    text: 'livenessProbe',
  });
});

test('Killing after a failed startup probe: the startupProbe', () => {
  const trace = traceManifest(probes, { until: 60 });
  assertSource(trace, find(trace, 'Killing', /failed startup probe/), {
    line: 20,
    column: 7,
    endLine: 20,
    endColumn: 19,
    path: 'spec.containers[2].startupProbe',
    text: 'startupProbe',
  });
});

const graceful = `apiVersion: v1
kind: Pod
metadata: {name: graceful}
spec:
  containers:
    - name: app
      image: nginx:1.27
      ports: [{containerPort: 80}]
      lifecycle:
        preStop:
          sleep: {seconds: 3}
      readinessProbe:
        httpGet: {path: /, port: 80}
        periodSeconds: 2
`;
const gracefulScenario = `- {at: 15s, failProbe: {pod: graceful}, for: 10s}
- {at: 40s, delete: {kind: Pod, name: graceful}}
`;

test('a readiness probe crossing its thresholds (ProbeFailedThreshold, ProbeSucceeded): the readinessProbe', () => {
  const trace = traceManifest(graceful, { until: 60, scenario: gracefulScenario });
  const probe = {
    line: 12,
    column: 7,
    endLine: 12,
    endColumn: 21,
    path: 'spec.containers[0].readinessProbe',
    text: 'readinessProbe',
  };
  assertSource(trace, find(trace, 'ProbeFailedThreshold', /now fails/), probe);
  assertSource(trace, find(trace, 'ProbeSucceeded', /now succeeds/), probe);
});

test('Killing on deletion has no cause but its container; SIGTERM after preStop is the preStop hook', () => {
  const trace = traceManifest(graceful, { until: 60, scenario: gracefulScenario });
  assertSource(trace, find(trace, 'Killing', /^Stopping container app$/), {
    line: 6,
    column: 7,
    endLine: 6,
    endColumn: 16,
    path: 'spec.containers[0].name',
    text: 'name: app',
  });
  assertSource(trace, find(trace, 'SIGTERM', /after preStop/), {
    line: 10,
    column: 9,
    endLine: 10,
    endColumn: 16,
    path: 'spec.containers[0].lifecycle.preStop',
    text: 'preStop',
  });
});

const images = `apiVersion: v1
kind: Pod
metadata: {name: images}
spec:
  initContainers:
    - name: fetch
      image: registry.example.com/tools/fetch:9.9
  containers:
    - name: app
      image: busybox:1.36
---
apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  containers:
    - name: app
      image: example.com/never-pulled:1.0
      imagePullPolicy: Never
---
apiVersion: v1
kind: Pod
metadata: {name: invalid}
spec:
  containers:
    - name: app
      image: Nginx:Latest
`;
const missingImage = `- {at: 0s, missingImage: registry.example.com/tools/fetch:9.9}
`;
const fetchImage = {
  line: 7,
  column: 7,
  endLine: 7,
  endColumn: 50,
  path: 'spec.initContainers[0].image',
  text: 'image: registry.example.com/tools/fetch:9.9',
};

test('a pull that fails (Failed, then Failed with ErrImagePull): the image', () => {
  const trace = traceManifest(images, { until: 40, scenario: missingImage });
  assertSource(trace, find(trace, 'Failed', /^Failed to pull image "registry\.example\.com/), fetchImage);
  assertSource(trace, find(trace, 'Failed', /^Error: ErrImagePull$/), fetchImage);
});

test('BackOff of an image pull, and Failed with ImagePullBackOff: the image', () => {
  const trace = traceManifest(images, { until: 40, scenario: missingImage });
  assertSource(trace, find(trace, 'BackOff', /^Back-off pulling image/), fetchImage);
  assertSource(trace, find(trace, 'Failed', /^Error: ImagePullBackOff$/), fetchImage);
});

test('ErrImageNeverPull, and Failed with it: the image', () => {
  const trace = traceManifest(images, { until: 40, scenario: missingImage });
  const image = {
    line: 18,
    column: 7,
    endLine: 18,
    endColumn: 42,
    path: 'spec.containers[0].image',
    text: 'image: example.com/never-pulled:1.0',
  };
  assertSource(trace, find(trace, 'ErrImageNeverPull', /is not present with pull policy of Never/), image);
  assertSource(trace, find(trace, 'Failed', /^Error: ErrImageNeverPull$/), image);
});

test('InspectFailed of an invalid image name, and Failed with InvalidImageName: the image', () => {
  const trace = traceManifest(images, { until: 40, scenario: missingImage });
  const image = {
    line: 27,
    column: 7,
    endLine: 27,
    endColumn: 26,
    path: 'spec.containers[0].image',
    text: 'image: Nginx:Latest',
  };
  assertSource(trace, find(trace, 'InspectFailed', /invalid reference format/), image);
  assertSource(trace, find(trace, 'Failed', /^Error: InvalidImageName$/), image);
});

const runtime = `apiVersion: v1
kind: Pod
metadata:
  name: crasher
  annotations: {podtrace.dev/exit-code: "1", podtrace.dev/startup-seconds: "1"}
spec:
  containers:
    - name: app
      image: busybox:1.36
---
apiVersion: v1
kind: Pod
metadata: {name: configured}
spec:
  containers:
    - name: app
      image: busybox:1.36
      env:
        - name: MODE
          value: fast
        - name: PASSWORD
          valueFrom:
            secretKeyRef: {name: db-credentials, key: password}
---
apiVersion: v1
kind: Pod
metadata: {name: mounted}
spec:
  containers:
    - name: app
      image: busybox:1.36
  volumes:
    - name: cache
      emptyDir: {}
    - name: settings
      configMap: {name: app-settings}
---
apiVersion: v1
kind: Pod
metadata: {name: from-env}
spec:
  containers:
    - name: app
      image: busybox:1.36
      envFrom:
        - configMapRef: {name: app-env}
---
apiVersion: v1
kind: Pod
metadata: {name: pinned}
spec:
  nodeName: node-2
  containers: [{name: app, image: busybox:1.36}]
  volumes:
    - name: data
      persistentVolumeClaim: {claimName: pinned-data}
---
apiVersion: v1
kind: Pod
metadata:
  name: stubborn
  annotations: {podtrace.dev/shutdown-seconds: "30"}
spec:
  terminationGracePeriodSeconds: 5
  containers: [{name: app, image: busybox:1.36}]
`;
const deleteStubborn = `- {at: 10s, delete: {kind: Pod, name: stubborn}}
`;

test('BackOff of a crash loop, and the exit before it: the container (nothing in it names the cause)', () => {
  const trace = traceManifest(runtime, { until: 40, scenario: deleteStubborn });
  const container = {
    line: 8,
    column: 7,
    endLine: 8,
    endColumn: 16,
    path: 'spec.containers[0].name',
    text: 'name: app',
  };
  assertSource(trace, find(trace, 'BackOff', /^Back-off restarting failed container app in pod crasher_/), container);
  assertSource(trace, find(trace, 'Exited', /exited with code 1/), container);
});

test('FailedMount: the volume whose ConfigMap is missing, not the one before it', () => {
  const trace = traceManifest(runtime, { until: 40, scenario: deleteStubborn });
  assertSource(trace, find(trace, 'FailedMount', /for volume "settings"/), {
    line: 35,
    column: 7,
    endLine: 35,
    endColumn: 21,
    path: 'spec.volumes[1].name',
    text: 'name: settings',
  });
});

test('Failed with a config error from env: the name of the Secret the variable reads', () => {
  const trace = traceManifest(runtime, { until: 40, scenario: deleteStubborn });
  assertSource(trace, find(trace, 'Failed', /^Error: secret "db-credentials" not found$/), {
    line: 23,
    column: 28,
    endLine: 23,
    endColumn: 48,
    path: 'spec.containers[0].env[1].valueFrom.secretKeyRef.name',
    text: 'name: db-credentials',
  });
});

test('Failed with a config error from envFrom: the name of the ConfigMap', () => {
  const trace = traceManifest(runtime, { until: 40, scenario: deleteStubborn });
  assertSource(trace, find(trace, 'Failed', /^Error: configmap "app-env" not found$/), {
    line: 46,
    column: 26,
    endLine: 46,
    endColumn: 39,
    path: 'spec.containers[0].envFrom[0].configMapRef.name',
    text: 'name: app-env',
  });
});

test('VolumeWait of a pod placed by nodeName before its claim exists: the volume of that claim', () => {
  const trace = traceManifest(runtime, { until: 40, scenario: deleteStubborn });
  assertSource(trace, find(trace, 'VolumeWait', /persistentvolumeclaim "pinned-data" not found/), {
    line: 55,
    column: 7,
    endLine: 55,
    endColumn: 17,
    path: 'spec.volumes[0].name',
    text: 'name: data',
  });
});

test('SIGKILL when the application outlives its grace period: terminationGracePeriodSeconds', () => {
  const trace = traceManifest(runtime, { until: 40, scenario: deleteStubborn });
  assertSource(trace, find(trace, 'SIGKILL', /did not exit within the grace period/), {
    line: 64,
    column: 3,
    endLine: 64,
    endColumn: 35,
    path: 'spec.terminationGracePeriodSeconds',
    text: 'terminationGracePeriodSeconds: 5',
  });
});

const hooked = `apiVersion: apps/v1
kind: Deployment
metadata: {name: hooked}
spec:
  replicas: 1
  selector: {matchLabels: {app: hooked}}
  template:
    metadata: {labels: {app: hooked}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
          lifecycle:
            postStart:
              httpGet: {path: /warm, port: 80}
        - name: drain
          image: nginx:1.27
          ports: [{containerPort: 8080}]
          lifecycle:
            preStop:
              httpGet: {path: /drain, port: 9090}
`;
const scaleDown = `- {at: 20s, scale: {kind: Deployment, name: hooked, replicas: 0}}
`;

test('FailedPostStartHook, and the Killing it causes: the postStart hook', () => {
  const trace = traceManifest(hooked, { until: 60, scenario: scaleDown });
  const hook = {
    line: 15,
    column: 13,
    endLine: 15,
    endColumn: 22,
    path: 'spec.template.spec.containers[0].lifecycle.postStart',
    text: 'postStart',
  };
  assertSource(trace, find(trace, 'FailedPostStartHook', /^PostStartHook failed$/), hook);
  assertSource(trace, find(trace, 'Killing', /^FailedPostStartHook$/), hook);
});

test('FailedPreStopHook: the preStop hook of the container being stopped', () => {
  const trace = traceManifest(hooked, { until: 60, scenario: scaleDown });
  assertSource(trace, find(trace, 'FailedPreStopHook', /^PreStopHook failed$/), {
    line: 21,
    column: 13,
    endLine: 21,
    endColumn: 20,
    path: 'spec.template.spec.containers[1].lifecycle.preStop',
    text: 'preStop',
  });
});
