import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import { traceCase } from './traceCase';

const dir = path.resolve(__dirname, '../../../test/fixtures/trace/web-through-ingress-and-mesh');

test('the same input and seed give byte-identical JSON', () => {
  assert.equal(traceCase(dir, ['--seed', '7']), traceCase(dir, ['--seed', '7']));
});

test('another seed changes timings, within the profile: every pod still becomes ready, a few seconds in', () => {
  const a = JSON.parse(traceCase(dir, ['--seed', '7']));
  const b = JSON.parse(traceCase(dir, ['--seed', '8']));
  assert.notDeepEqual(
    a.pods.map((p: { phases: unknown }) => p.phases),
    b.pods.map((p: { phases: unknown }) => p.phases),
  );
  for (const doc of [a, b]) {
    assert.equal(doc.pods.length, 3);
    for (const pod of doc.pods) {
      assert.ok(
        pod.phases.ready !== null && pod.phases.ready > 1000 && pod.phases.ready < 30_000,
        `ready at ${pod.phases.ready}`,
      );
      assert.ok(pod.phases.routable >= pod.phases.inEndpoints && pod.phases.inEndpoints >= pod.phases.ready);
    }
  }
});

test('clusters run one after another in a process name their \
own objects: the same seed gives the same uids to other pods', () => {
  const podNamed = (name: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers: [{name: app, image: nginx:1.27}]\n`;
  const kubeletNames = (name: string) => {
    const c = new SimCluster({ seed: 3, version: '1.35', nodeCount: 1 });
    c.apply(parseAllObjects(podNamed(name)));
    c.run({});
    const events = c.ctx.trace.events.filter((e) => e.lane === 'kubelet' && e.object.kind === 'Pod');
    assert.ok(events.length > 0);
    return { uid: events[0].object.uid, names: new Set(events.map((e) => e.object.name)) };
  };
  const first = kubeletNames('first');
  const second = kubeletNames('second');
  assert.equal(second.uid, first.uid, 'the same seed gives the same uid');
  assert.deepEqual([...first.names], ['first']);
  assert.deepEqual([...second.names], ['second']);
});
