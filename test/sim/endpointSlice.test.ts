// The EndpointSlice controller keeps each Service's pods as pods and Services change: a
// Service whose selector changes, a pod whose labels change, and a pod that goes are all
// reflected in the slices, as a walk of every pod of the namespace would find them.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects, parseScenario } from '../../src/core/sim/scenario/scenario';
import { scheduleScenario } from '../../src/core/sim/scenario/scenarioRunner';
import type { KubeObject } from '../../src/core/sim/store/objects';

const pod = (name: string, app: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${app}}}
spec:
  containers: [{name: web, image: nginx:1.27, ports: [{name: http, containerPort: 8080}]}]
`;
const service = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: blue}
  ports: [{port: 80, targetPort: http}]
`;

/** The pod names the Service's slices list, at the end of each scenario step. */
function endpointsAfter(scenario: string, until: number): string[] {
  const c = new SimCluster({ seed: 4, version: '1.35', nodeCount: 2 });
  c.apply(
    parseAllObjects([pod('b1', 'blue'), pod('b2', 'blue'), pod('g1', 'green'), service].join('---\n')) as KubeObject[],
  );
  scheduleScenario(
    c,
    parseScenario(scenario, () => ''),
  );
  c.run({ untilMs: until });
  const names: string[] = [];
  for (const slice of c.ctx.store.list('endpointslices'))
    for (const ep of slice.endpoints ?? []) names.push(ep.targetRef!.name!);
  return names.sort();
}

test('a Service lists the pods its selector matches, before any change', () => {
  assert.deepEqual(endpointsAfter('[]', 20_000), ['b1', 'b2']);
});

test('a Service whose selector changes lists the pods the new selector matches', () => {
  assert.deepEqual(
    endpointsAfter('- at: 20s\n  patch: {kind: Service, name: web, merge: {spec: {selector: {app: green}}}}\n', 40_000),
    ['g1'],
  );
});

test('a pod whose labels change joins or leaves the Service', () => {
  const scenario = [
    '- at: 20s',
    '  patch: {kind: Pod, name: g1, merge: {metadata: {labels: {app: blue}}}}',
    '- at: 21s',
    '  patch: {kind: Pod, name: b1, merge: {metadata: {labels: {app: green}}}}',
    '',
  ].join('\n');
  assert.deepEqual(endpointsAfter(scenario, 40_000), ['b2', 'g1']);
});

test('a pod that is deleted leaves the Service', () => {
  assert.deepEqual(endpointsAfter('- at: 20s\n  delete: {kind: Pod, name: b2, gracePeriodSeconds: 0}\n', 60_000), [
    'b1',
  ]);
});

test("a consumer names at most 10 of a Service's addresses and counts the rest", () => {
  const c = new SimCluster({ seed: 4, version: '1.35', nodeCount: 2 });
  const pods = Array.from({ length: 12 }, (_, i) => pod(`b${i}`, 'blue'));
  c.apply(parseAllObjects([...pods, service].join('---\n')) as KubeObject[]);
  c.run({ untilMs: 30_000 });
  const synced = c.ctx.trace.events
    .filter((e) => e.lane === 'kube-proxy' && e.reason === 'EndpointsSynced')
    .map((e) => e.message);
  const full = synced.find((m) => m.includes('→ 12 backend(s)'));
  assert.ok(full, synced.join('\n'));
  assert.match(full, /^synced iptables rules: default\/web → 12 backend\(s\) \[(\d+\.\d+\.\d+\.\d+, ){10}… 2 more\]$/);
});
