import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v8 from 'node:v8';
import { withFields } from '../../src/core/base/withFields';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';

// V8's own answer to "do these two objects share a hidden class?" (this file runs in a process of its own).
v8.setFlagsFromString('--allow-natives-syntax');
const sameShape = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

function shapes(objects: readonly object[]): number {
  const seen: object[] = [];
  for (const o of objects) if (!seen.some((s) => sameShape(s, o))) seen.push(o);
  return seen.length;
}

test('withFields is the spread with the fields after it: keys in order, a known key keeps its place', () => {
  const base = { a: 1, b: 'x', c: [1] };
  const out = withFields(base, { b: 'y', d: true });
  assert.deepEqual(Object.keys(out), ['a', 'b', 'c', 'd']);
  assert.deepEqual(out, { ...base, b: 'y', d: true });
  assert.notEqual(out, base);
  assert.deepEqual(base, { a: 1, b: 'x', c: [1] }, 'the base is not changed');
  assert.equal(out.c, base.c, 'values are shared, not copied');
});

test('withFields keeps a __proto__ key from a manifest as a key, as the spread does', () => {
  const base = JSON.parse('{"a":1,"__proto__":{"polluted":true}}') as Record<string, unknown>;
  const out = withFields(base, { b: 2 }) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.equal(out.polluted, undefined);
  assert.deepEqual(Object.keys(out), ['a', '__proto__', 'b']);
  assert.deepEqual(out, { ...base, b: 2 });
});

test('objects given a new key by withFields share one shape, where a spread makes one per object', () => {
  const base = JSON.parse('{"a":1,"b":"x"}') as Record<string, unknown>;
  const spread = (i: number) => ({ ...base, d: i });
  const copied = (i: number) => withFields(base, { d: i });
  const many = (make: (i: number) => object) => Array.from({ length: 50 }, (_, i) => make(i));
  assert.equal(shapes(many(copied)), 1);
  // What withFields is for (V8 in Node 20): if the spread ever shares its shapes too, this
  // check says so and withFields can go.
  assert.ok(shapes(many(spread)) > 10, 'a spread given a new key makes a shape per object');
});

test('the pods of a Deployment share one shape from the spec down, after admission, binding and status patches', () => {
  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 40
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /, port: http}}
`;
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 4 });
  cluster.apply(parseAllObjects(manifest));
  cluster.run({});
  const pods = cluster.ctx.store.list('pods');
  assert.equal(pods.length, 40);
  assert.ok(
    pods.every(
      (p) =>
        p.spec!.nodeName &&
        p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'),
    ),
  );
  assert.equal(shapes(pods), 1, 'pods');
  assert.equal(shapes(pods.map((p) => p.spec!)), 1, 'specs (service-account volume, tolerations, nodeName added)');
  assert.equal(shapes(pods.map((p) => p.spec!.containers[0])), 1, 'containers (token mount added)');
  assert.equal(shapes(pods.map((p) => p.status!)), 1, 'statuses');
  assert.equal(
    shapes(
      [...cluster.ctx.store.list('replicasets'), ...cluster.ctx.store.list('deployments')].map((o) => o.status!),
    ) <= 2,
    true,
    'workload statuses',
  );
});
