// Trace events map back to the YAML that caused them: a pod's events to its Deployment's
// template, an image event to the image line, a probe failure to the probe, a mount failure
// to the volume, a scheduling failure to the request that fits nowhere, endpoint changes to
// the Service's selector, pod creation to the replicas.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runTrace } from '../../src/cli/traceCommand';
import { regExpOf } from '../regExpOf';

const repoRoot = path.resolve(__dirname, '../../..');

interface Source {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  path: string;
}

function trace(
  files: string[],
  extra: string[] = [],
): {
  events: { reason: string; message: string; object: { kind: string; name: string }; source?: Source }[];
  stdout: string;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-sources-'));
  const out = path.join(dir, 'trace.json');
  let stdout = '';
  const status = runTrace(['--json', out, ...extra, ...files], {
    stdout: (t) => (stdout += t),
    stderr: () => undefined,
    readStdin: () => '',
  });
  assert.equal(status, 0);
  const document = JSON.parse(fs.readFileSync(out, 'utf8'));
  // Events refer to the document's table of source ranges by index.
  const events = document.events.map((e: { source?: number }) => ({
    ...e,
    source: e.source === undefined ? undefined : document.sources[e.source],
  }));
  assert.ok(
    document.events.every(
      (e: { source?: number }) => e.source === undefined || (Number.isInteger(e.source) && document.sources[e.source]),
    ),
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return { events, stdout };
}

/** The 1-based line of the first line of `file` matching `pattern`. */
function lineOf(file: string, pattern: RegExp): number {
  const index = fs
    .readFileSync(path.join(repoRoot, file), 'utf8')
    .split('\n')
    .findIndex((l) => pattern.test(l));
  assert.ok(index >= 0, `${pattern} in ${file}`);
  return index + 1;
}

function sourceOf(events: ReturnType<typeof trace>['events'], reason: string): Source {
  const e = events.find((x) => x.reason === reason);
  assert.ok(e, `an event ${reason}`);
  assert.ok(e.source, `${reason} has a source`);
  return e.source;
}

test('a Deployment behind a Service: events map to the image, \
the probe, the replicas, the template and the selector', () => {
  const deployment = 'examples/web/deployment.yaml';
  const service = 'examples/web/service.yaml';
  const { events, stdout } = trace(['examples/web'].map((f) => path.join(repoRoot, f)));
  const rel = (s: Source) => path.relative(repoRoot, s.file);
  const pulling = sourceOf(events, 'Pulling');
  assert.deepEqual(
    [rel(pulling), pulling.line, pulling.path],
    [deployment, lineOf(deployment, /^\s+image: nginx/), 'spec.template.spec.containers[0].image'],
  );
  assert.equal(pulling.column, 11);
  assert.ok(pulling.endLine === pulling.line && pulling.endColumn > pulling.column);
  const probe = sourceOf(events, 'Unhealthy');
  assert.deepEqual(
    [probe.line, probe.path],
    [lineOf(deployment, /readinessProbe:/), 'spec.template.spec.containers[0].readinessProbe'],
  );
  const created = sourceOf(events, 'SuccessfulCreate');
  assert.deepEqual([created.line, created.path], [lineOf(deployment, /^\s+replicas:/), 'spec.replicas']);
  const scheduled = sourceOf(events, 'Scheduled');
  assert.deepEqual([scheduled.line, scheduled.path], [lineOf(deployment, /^\s+template:/), 'spec.template']);
  const slice = sourceOf(events, 'EndpointSliceUpdated');
  assert.deepEqual([rel(slice), slice.line, slice.path], [service, lineOf(service, /^\s+selector:/), 'spec.selector']);
  // Every pod event of the run maps somewhere: nothing about a pod is left without a line.
  const podEvents = events.filter(
    (e) =>
      e.object.kind === 'Pod' &&
      !['Authenticated', 'Authorized', 'MutatingAdmission', 'Validated', 'ValidatingAdmission'].includes(e.reason),
  );
  assert.ok(podEvents.length > 30);
  assert.deepEqual(
    podEvents.filter((e) => !e.source).map((e) => e.reason),
    [],
  );
  // The terminal timeline shows the line after each warning.
  assert.match(
    stdout,
    regExpOf(
      /Readiness probe failed: .*\[Warning\] {2}← .*deployment\.yaml:\d+:\d+ /,
      /spec\.template\.spec\.containers\[0\]\.readinessProbe/,
    ),
  );
});

test('a missing ConfigMap maps to its volume; a request no node fits maps to that request', () => {
  const mount = 'test/fixtures/trace/missing-configmap/manifests.yaml';
  const failedMount = sourceOf(trace([path.join(repoRoot, mount)]).events, 'FailedMount');
  assert.deepEqual(
    [failedMount.line, failedMount.path],
    [lineOf(mount, /^\s+- name: config$/), 'spec.volumes[0].name'],
  );
  const unschedulable = 'test/fixtures/trace/unschedulable-until-node-added/manifests.yaml';
  const failed = sourceOf(trace([path.join(repoRoot, unschedulable)], ['--until', '5']).events, 'FailedScheduling');
  assert.match(failed.path, /^spec\.(template\.spec\.)?containers\[0\]\.resources\.requests\.cpu$/);
  assert.equal(failed.line, lineOf(unschedulable, /requests: \{cpu: "3"/));
});

test('scheduling failures of pod placement rules map to \
those rules: anti-affinity, topology spread constraints', () => {
  const antiAffinity = 'test/fixtures/trace/anti-affinity-one-per-node/manifests.yaml';
  const failed = sourceOf(trace([path.join(repoRoot, antiAffinity)], ['--until', '20']).events, 'FailedScheduling');
  // The required term the placed replicas violate, not the whole rule.
  assert.deepEqual(
    [failed.line, failed.path],
    [
      lineOf(antiAffinity, /^\s+- labelSelector: \{matchLabels: \{app: web\}\}/),
      'spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]',
    ],
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-spread-'));
  const file = path.join(dir, 'zonal.yaml');
  fs.writeFileSync(
    file,
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
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule
          labelSelector: {matchLabels: {app: zonal}}
      containers: [{name: c, image: nginx:1.27}]
`,
  );
  const spread = trace([file], ['--until', '5']).events.find((e) => e.reason === 'FailedScheduling');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.match(
    spread?.message ?? '',
    regExpOf(
      /^0\/3 nodes are available: 3 node\(s\) didn't match pod topology spread constraints \(missing required /,
      /label\)\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\.\.$/,
    ),
  );
  assert.deepEqual(
    [spread?.source?.line, spread?.source?.path],
    [11, 'spec.template.spec.topologySpreadConstraints[0]'],
  );
});

test("a StatefulSet's claims map to their volumeClaimTemplate, and \
what their class decides to the template's storageClassName", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-claims-'));
  const file = path.join(dir, 'db.yaml');
  fs.writeFileSync(
    file,
    `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: postgres:16
          volumeMounts: [{name: data, mountPath: /data}, {name: logs, mountPath: /logs}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        storageClassName: standard
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
    - metadata: {name: logs}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
`,
  );
  const { events } = trace([file]);
  const line = (pattern: RegExp) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => pattern.test(l)) + 1;
  const of = (claim: string, reason: string) =>
    events.find((e) => e.object.kind === 'PersistentVolumeClaim' && e.object.name === claim && e.reason === reason)
      ?.source;
  // data-db-1 comes from the first template: stored at its name, provisioned by its class.
  assert.deepEqual(
    [of('data-db-1', 'Stored')?.line, of('data-db-1', 'Stored')?.path],
    [line(/- metadata: \{name: data\}/), 'spec.volumeClaimTemplates[0].metadata.name'],
  );
  assert.deepEqual(
    [of('data-db-1', 'ProvisioningSucceeded')?.line, of('data-db-1', 'ProvisioningSucceeded')?.path],
    [line(/storageClassName: standard/), 'spec.volumeClaimTemplates[0].spec.storageClassName'],
  );
  // logs-db-0 from the second, which names no class: its template's name.
  assert.deepEqual(
    [of('logs-db-0', 'WaitForFirstConsumer')?.line, of('logs-db-0', 'WaitForFirstConsumer')?.path],
    [line(/- metadata: \{name: logs\}/), 'spec.volumeClaimTemplates[1].metadata.name'],
  );
  // Every event of every claim maps somewhere.
  const claimEvents = events.filter((e) => e.object.kind === 'PersistentVolumeClaim');
  assert.ok(claimEvents.length >= 20);
  assert.deepEqual(
    claimEvents.filter((e) => !e.source).map((e) => e.reason),
    [],
  );
  fs.rmSync(dir, { recursive: true, force: true });
});
