import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { traceCase } from './traceCase';

const dir = path.resolve(__dirname, '../../../test/fixtures/trace/web-through-ingress-and-mesh');

test('the same input and seed give byte-identical JSON', () => {
  assert.equal(traceCase(dir, ['--seed', '7']), traceCase(dir, ['--seed', '7']));
});

test('another seed changes timings, within the profile: every pod still becomes ready, a few seconds in', () => {
  const a = JSON.parse(traceCase(dir, ['--seed', '7']));
  const b = JSON.parse(traceCase(dir, ['--seed', '8']));
  assert.notDeepEqual(a.pods.map((p: { phases: unknown }) => p.phases), b.pods.map((p: { phases: unknown }) => p.phases));
  for (const doc of [a, b]) {
    assert.equal(doc.pods.length, 3);
    for (const pod of doc.pods) {
      assert.ok(pod.phases.ready !== null && pod.phases.ready > 1000 && pod.phases.ready < 30_000, `ready at ${pod.phases.ready}`);
      assert.ok(pod.phases.routable >= pod.phases.inEndpoints && pod.phases.inEndpoints >= pod.phases.ready);
    }
  }
});
