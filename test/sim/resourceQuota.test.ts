// ResourceQuota against upstream's behaviour: admission refuses a pod that would go over a
// hard limit (`exceeded quota: …`), one that does not state what a quota constrains (`failed
// quota: … must specify …`), and anything a quota constrains before the controller has
// counted its usage (`status unknown for quota`); a refused ReplicaSet retries with back-off
// and carries ReplicaFailure until its pods exist; the controller gives usage back when pods
// finish or go.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import type { KubeObject } from '../../src/core/sim/store/objects';
import { resourceQuotaAdmission } from '../../src/core/sim/apiserver/resourceQuota';
import { runCluster } from './runCluster';
import { regExpOf } from '../regExpOf';

const run = (manifest: string, options: { scenario?: string; untilMs: number }) =>
  runCluster(manifest, { seed: 11, ...options });

const quota = (hard: string) => `apiVersion: v1
kind: ResourceQuota
metadata: {name: compute}
spec:
  hard: {${hard}}
---
`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources: {requests: {cpu: 400m, memory: 256Mi}}
`;

test('a ReplicaSet that would go over the quota: FailedCreate with the \
exceeded quota, retried with back-off, ReplicaFailure until scaled to fit', () => {
  const { events, store } = run(quota('requests.cpu: "1", requests.memory: 1Gi, pods: "10"') + deployment, {
    scenario: 'actions:\n  - at: 30s\n    scale: {kind: Deployment, name: web, replicas: 2}\n',
    untilMs: 60_000,
  });
  assert.equal(store.list('pods').length, 2);
  const failed = events.filter((e) => e.reason === 'FailedCreate');
  assert.ok(failed.length >= 3, `retried: ${failed.length} FailedCreate`);
  const rsName = store.list('replicasets')[0].metadata.name;
  for (const e of failed) {
    assert.equal(e.severity, 'Warning');
    // Validating admission runs after the name is generated: the refused pod is named in full.
    assert.match(
      e.message,
      new RegExp(
        `^Error creating: pods "${rsName}-[a-z0-9]{5}" is forbidden: exceeded quota: compute, ` +
          `requested: requests\\.cpu=400m, used: requests\\.cpu=800m, limited: requests\\.cpu=1$`,
      ),
    );
  }
  // Back-off: the gaps between retries grow (the work queue's rate limit), and none follow the scale-down.
  const times = failed.map((e) => e.time);
  assert.ok(times[times.length - 1] - times[times.length - 2] > times[1] - times[0]);
  assert.ok(times.every((t) => t < 30_000));
  const status = store.list('resourcequotas')[0].status;
  assert.deepEqual(status, {
    hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', pods: '10' },
    used: { 'requests.cpu': '800m', 'requests.memory': '512Mi', pods: '2' },
  });
  const rs = store.list('replicasets')[0];
  assert.equal(rs.status!.conditions, undefined, 'ReplicaFailure goes once the pods it wants exist');
  assert.equal(
    store.list('deployments')[0].status!.conditions!.find((c: { type: string }) => c.type === 'ReplicaFailure'),
    undefined,
  );
});

test('while refused, the ReplicaSet says ReplicaFailure with the \
error of a refused create, and its Deployment says it too', () => {
  const { store, events } = run(quota('requests.cpu: "1"') + deployment, { untilMs: 20_000 });
  const rs = store.list('replicasets')[0];
  assert.equal(rs.status!.conditions?.length, 1);
  const [condition] = rs.status!.conditions;
  assert.equal(condition.type, 'ReplicaFailure');
  assert.equal(condition.status, 'True');
  assert.equal(condition.reason, 'FailedCreate');
  // The raw error of a refused create (upstream sets it when absent and drops it on any sync
  // that does not fail, such as one while a create is still in flight).
  const errors = events
    .filter((e) => e.reason === 'FailedCreate')
    .map((e) => e.message.slice('Error creating: '.length));
  assert.ok(errors.includes(condition.message!));
  assert.match(
    condition.message!,
    regExpOf(
      /^pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: compute, /,
      /requested: requests\.cpu=400m, used: requests\.cpu=800m, limited: requests\.cpu=1$/,
    ),
  );
  const copied = store
    .list('deployments')[0]
    .status!.conditions!.find((c: { type: string }) => c.type === 'ReplicaFailure');
  assert.deepEqual(copied, {
    type: 'ReplicaFailure',
    status: 'True',
    lastUpdateTime: condition.lastTransitionTime,
    lastTransitionTime: condition.lastTransitionTime,
    reason: 'FailedCreate',
    message: condition.message,
  });
});

test('a pod that does not state what a quota constrains is refused: failed quota, must specify', () => {
  // Created 5 s after the quota: by then the controller has copied its hard limits into the status.
  const bare = `apiVersion: v1
kind: Pod
metadata: {name: bare}
spec:
  initContainers: [{name: init, image: busybox:1.36, resources: {limits: {memory: 64Mi}, requests: {cpu: 100m}}}]
  containers: [{name: app, image: nginx:1.27}, {name: sidecar, image: busybox:1.36, resources: {requests: {cpu: 50m}}}]
`;
  const { events, store } = run(quota('limits.memory: 2Gi, requests.cpu: "2"'), {
    scenario: `actions:\n  - at: 5s\n    apply: |\n${bare.replace(/^/gm, '      ')}`,
    untilMs: 10_000,
  });
  const rejected = events.find((e) => e.object.name === 'bare' && e.reason === 'Rejected');
  assert.equal(
    rejected?.message,
    '403 Forbidden: pods "bare" is forbidden: failed quota: compute: ' +
      'must specify limits.memory for: app,sidecar; requests.cpu for: app',
  );
  assert.equal(store.list('pods').length, 0);
});

test('quotas constrain what status.hard names: none before the \
controller syncs, and status unknown while usage is missing', () => {
  const c = new SimCluster({ seed: 3, version: '1.35', nodeCount: 1 });
  const fresh = c.ctx.store.create('resourcequotas', {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'fresh', namespace: 'default' },
    spec: { hard: { pods: '5', 'requests.cpu': '1' } },
  });
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'early', namespace: 'default' },
    spec: { containers: [{ name: 'a', image: 'nginx', resources: { requests: { cpu: '100m' } } }] },
  };
  const context = { store: c.ctx.store, version: '1.35' as const, randomSuffix: () => 'abcde' };
  const request = {
    verb: 'create' as const,
    resource: 'pods',
    user: 'kubernetes-admin',
    namespace: 'default',
    name: 'early',
  };
  resourceQuotaAdmission.validate(pod, request, context);
  c.ctx.store.update('resourcequotas', { ...fresh, status: { hard: { pods: '5', 'requests.cpu': '1' } } });
  assert.throws(
    () => resourceQuotaAdmission.validate(pod, request, context),
    (e: Error) =>
      e.message === 'pods "early" is forbidden: status unknown for quota: fresh, resources: pods,requests.cpu',
  );
});

test('pods that finish give their quota back: the controller recounts', () => {
  const { store } = run(
    `${quota('pods: "3"')}apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  completions: 2
  parallelism: 2
  template:
    metadata: {annotations: {podtrace.dev/startup-seconds: "2"}}
    spec:
      restartPolicy: Never
      containers: [{name: once, image: busybox:1.36}]
`,
    { untilMs: 60_000 },
  );
  assert.equal(store.list('pods').filter((p) => p.status?.phase === 'Succeeded').length, 2);
  assert.deepEqual(store.list('resourcequotas')[0].status!.used, { pods: '0' });
});

test("quota usage is summed exactly as Quantity.Add sums it: \
the first request's format, huge requests refused in full", () => {
  const pods = (memory: string[]) =>
    memory
      .map(
        (m, i) =>
          `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {containers: [{name: ` +
          `c, image: nginx:1.27, resources: {requests: {cpu: 1n, memory: "${m}"}}}]}\n`,
      )
      .join('---\n');
  // Decimal requests are used in decimal (128M twice is 256M, not 250000Ki); cpu 1n counts as 1n.
  // The pods come once the controller has counted the quota's usage (else: status unknown).
  const later = (manifest: string) => `actions:\n  - at: 5s\n    apply: |\n${manifest.replace(/^/gm, '      ')}`;
  const decimal = run(quota('requests.cpu: "1", requests.memory: 1G'), {
    scenario: later(pods(['128M', '128M'])),
    untilMs: 20_000,
  });
  assert.deepEqual(decimal.store.get('resourcequotas', 'default', 'compute')?.status, {
    hard: { 'requests.cpu': '1', 'requests.memory': '1G' },
    used: { 'requests.cpu': '2n', 'requests.memory': '256M' },
  });
  // 8Ei is capped at 2^63-1 bytes and compared exactly with a hard limit written as a plain number.
  const huge = run(quota('requests.memory: "9223372036854775806"'), {
    scenario: later(pods(['8Ei'])),
    untilMs: 20_000,
  });
  const refused = huge.events.find((e) => e.reason === 'Rejected' || /forbidden/.test(e.message));
  assert.ok(refused, 'the 8Ei pod is refused by the quota');
  assert.match(
    refused.message,
    regExpOf(
      /exceeded quota: compute, requested: requests\.memory=9223372036854775807, /,
      /used: requests\.memory=0, limited: requests\.memory=9223372036854775806$/,
    ),
  );
});
