// The ClusterTarget interface, held to its word by an in-memory fake: every call answers per
// object in the order given, failures come back as a Status with causes rather than as thrown
// errors, a dry run stores nothing, and a trace stream gets events with consecutive ids from 0
// until it is stopped.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetRefOf, type ClusterTarget, type TargetTraceStep } from '../../src/core/cluster/clusterTarget';
import type { KubeObject } from '../../src/core/sim/store/objects';
import { MemoryTarget } from './memoryTarget';

const config = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

function memoryTarget(): ClusterTarget {
  return new MemoryTarget({
    name: 'memory',
    kind: 'simulator',
    context: null,
    server: null,
    namespace: 'default',
  });
}

test('apply answers per object, in order, with a Status and its causes for the one refused', async () => {
  const target = memoryTarget();
  const outcomes = await target.apply([config('a', { x: '1' }), config('', {}), config('b', {})]);
  assert.deepEqual(
    outcomes.map((o) => (o.ok ? o.operation : `${o.status.code} ${o.status.reason}`)),
    ['created', '422 Invalid', 'created'],
  );
  const refused = outcomes[1];
  assert.ok(!refused.ok);
  assert.deepEqual(
    refused.status.causes.map((c) => c.field),
    ['metadata.name'],
  );
  assert.equal(refused.ref.kind, 'ConfigMap');
  const again = await target.apply([config('a', { x: '1' }), config('b', { y: '2' })]);
  assert.deepEqual(
    again.map((o) => o.ok && o.operation),
    ['unchanged', 'configured'],
  );
});

test('a dry run answers as apply would and stores nothing', async () => {
  const target = memoryTarget();
  const dry = await target.dryRun([config('a', {})]);
  assert.equal(dry[0].ok && dry[0].operation, 'created');
  const deleted = await target.delete([config('a', {})]);
  assert.ok(!deleted[0].ok);
  assert.equal(deleted[0].status.code, 404);
});

test('a trace stream sees its objects with consecutive ids, and nothing after stop', async () => {
  const target = memoryTarget();
  const steps: TargetTraceStep[] = [];
  const stream = target.trace(
    { objects: [config('a', {})] },
    { onStep: (s) => steps.push(s), onEnd: () => assert.fail('the fake never ends a stream by itself') },
  );
  await target.apply([config('a', {}), config('other', {})]);
  await target.delete([config('a', {})]);
  const events = steps.flatMap((s) => s.events);
  assert.deepEqual(
    events.map((e) => `${e.id} ${e.reason} ${e.object.name}`),
    ['0 Created a', '1 Deleted a'],
  );
  const uid = events[0].object.uid;
  assert.ok(uid !== null);
  assert.equal(stream.lineage.get(uid)?.name, 'a');
  stream.stop();
  await target.apply([config('a', {})]);
  assert.equal(steps.flatMap((s) => s.events).length, 2);
  await target.close();
  await assert.rejects(target.apply([config('a', {})]), /expected an open target, found it closed/);
});

test('targetRefOf defaults the namespace the way the target was given it', () => {
  assert.deepEqual(targetRefOf(config('a', {}), 'team'), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'team',
    name: 'a',
    uid: null,
  });
  const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } };
  assert.equal(targetRefOf(node, null).namespace, null);
});
