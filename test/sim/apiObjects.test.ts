import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { PodCondition, PodSpec, Wire } from '../../src/core/base/apiObjects';
import type { ObjectOf, Pod } from '../../src/core/sim/store/kinds';
import type { KubeObject } from '../../src/core/sim/store/objects';
import { runCluster } from './runCluster';

const repoRoot = path.resolve(__dirname, '../../..');

// The type assertions below are checked by `npm run typecheck` (test/typecheck.test.ts): an
// `@ts-expect-error` that no longer finds an error is itself an error.
const condition: PodCondition = { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-02T03:04:05Z' };
// @ts-expect-error the wire form of a time is its RFC 3339 text, not a Date.
const dated: PodCondition = { type: 'Ready', status: 'True', lastTransitionTime: new Date(0) };
const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  status: { phase: 'Pending', conditions: [condition] },
};
const spec: PodSpec = pod.spec!;
// @ts-expect-error stored objects are immutable, down to their containers.
spec.containers[0].image = 'nginx:1.28';
// @ts-expect-error a pod's spec has no field the API does not define.
const unknownField: PodSpec = { containers: [], replicas: 1 };
const wireDate: Wire<Date> = '2026-01-02T03:04:05Z';
const typedByResource: ObjectOf<'pods'> = pod;
const untypedResource: ObjectOf<'widgets'> = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
void [dated, unknownField, wireDate, typedByResource, untypedResource satisfies KubeObject];

const timeFields = new Set([
  'creationTimestamp',
  'deletionTimestamp',
  'lastTransitionTime',
  'lastProbeTime',
  'lastHeartbeatTime',
  'lastUpdateTime',
  'startTime',
  'startedAt',
  'finishedAt',
  'completionTime',
  'lastScheduleTime',
  'lastSuccessfulTime',
  'firstTimestamp',
  'lastTimestamp',
  'eventTime',
]);

/** The paths of time fields whose value is not a string, which the Wire types would misdescribe. */
function nonStringTimes(value: unknown, at: string, out: string[]): void {
  if (Array.isArray(value)) value.forEach((item, i) => nonStringTimes(item, `${at}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, field] of Object.entries(value)) {
      if (timeFields.has(key) && field !== undefined && field !== null && typeof field !== 'string') {
        out.push(`${at}.${key} is ${Object.prototype.toString.call(field)}`);
      }
      nonStringTimes(field, `${at}.${key}`, out);
    }
  }
}

test('every time field the simulator stores is a string or null, as the Wire types say', () => {
  const manifest = fs.readFileSync(path.join(repoRoot, 'examples/web/deployment.yaml'), 'utf8');
  const { store } = runCluster(manifest, { seed: 1 });
  const pods = store.list('pods');
  assert.ok(pods.length > 0, 'expected the example to make pods');
  const problems: string[] = [];
  for (const resource of ['pods', 'nodes', 'replicasets', 'deployments', 'events', 'endpointslices']) {
    for (const object of store.list(resource)) nonStringTimes(object, `${resource}/${object.metadata.name}`, problems);
  }
  assert.deepEqual(problems, []);
  const started = pods.flatMap((p) => (p.status?.containerStatuses ?? []).map((s: { state?: unknown }) => s.state));
  assert.ok(started.length > 0, 'expected container statuses to check');
});

test('the CLI bundle holds none of @kubernetes/client-node: the API types are erased', () => {
  const bundle = fs.readFileSync(path.join(repoRoot, 'dist/cli.js'), 'utf8');
  for (const mark of ['attributeTypeMap', '@kubernetes/client-node', 'ObjectSerializer']) {
    assert.equal(bundle.includes(mark), false, `dist/cli.js contains ${mark}`);
  }
});
