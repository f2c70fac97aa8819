// Event objects as the recorders store them: core/v1 repeats aggregated with count and
// lastTimestamp, the scheduler's events.k8s.io/v1 repeats grouped in a series; the same
// objects whether someone watched events all along or read them at the end.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import type { KubeObject } from '../../src/core/sim/store/objects';
import { crasherPod } from './crasher';

const manifests = `${crasherPod}---
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers: [{name: app, image: nginx:1.27, resources: {requests: {cpu: "64"}}}]
`;

/* eslint-disable @typescript-eslint/no-explicit-any -- Event fields are read loosely. */
function run(watchFromStart: boolean): { events: any[]; seen: string[] } {
  const cluster = new SimCluster({ seed: 4, version: '1.35', nodeCount: 1 });
  const seen: string[] = [];
  if (watchFromStart)
    cluster.ctx.store.watch('events', {}, (e) =>
      seen.push(`${e.type} ${(e.object as any).reason} ${(e.object as any).count}@${cluster.engine.now()}`),
    );
  cluster.apply(parseAllObjects(manifests) as KubeObject[]);
  cluster.run({ untilMs: 400_000 });
  return { events: cluster.ctx.store.list('events'), seen };
}

// A watcher's deliveries draw watch latencies too, so the two runs' clocks drift by a few
// milliseconds: compare what each Event says, not when or at which resourceVersion.
const essence = (e: any) =>
  `${e.involvedObject.name} ${e.involvedObject.fieldPath ?? ''} ${e.type} ${e.reason} ` +
  `${e.count} ${e.series ? `series ${e.series.count}` : ''} ${e.source.component} ${e.message}`;

test('repeated kubelet events are one Event with a count; the scheduler repeats in a series', () => {
  const { events } = run(false);
  const backOff = events.filter((e) => e.reason === 'BackOff');
  assert.equal(backOff.length, 1, 'one BackOff Event, aggregated');
  const b = backOff[0];
  assert.ok(b.count >= 3, `BackOff count ${b.count}`);
  assert.equal(
    b.message,
    'Back-off restarting failed container app in pod crasher_default(' + b.involvedObject.uid + ')',
  );
  assert.equal(b.involvedObject.fieldPath, 'spec.containers{app}');
  assert.equal(b.source.component, 'kubelet');
  assert.ok(b.firstTimestamp < b.lastTimestamp, `${b.firstTimestamp} < ${b.lastTimestamp}`);
  assert.equal(b.metadata.creationTimestamp, b.firstTimestamp, 'created when it first happened');
  assert.ok(b.metadata.name.startsWith('crasher.'));

  const failed = events.filter((e) => e.reason === 'FailedScheduling');
  assert.equal(failed.length, 1);
  const f = failed[0];
  assert.equal(f.reportingComponent, 'default-scheduler');
  assert.equal(f.action, 'Scheduling');
  assert.equal(f.type, 'Warning');
  assert.match(f.message, /^0\/1 nodes are available: 1 Insufficient cpu\./);
  assert.ok(
    f.series && f.series.count === f.count && f.count >= 2,
    `series ${JSON.stringify(f.series)} count ${f.count}`,
  );
  assert.match(f.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
});

test('a watcher sees each Event when it happens; a reader at the end gets the same Events', () => {
  const watched = run(true);
  const read = run(false);
  assert.deepEqual(watched.events.map(essence).sort(), read.events.map(essence).sort());
  assert.ok(read.events.length >= 8, `${read.events.length} Events`);
  // While watched, every occurrence is written at once: the first BackOff is ADDED, each repeat MODIFIED.
  const backOffs = watched.seen.filter((s) => s.includes(' BackOff '));
  assert.match(backOffs[0], /^ADDED BackOff 1@/);
  assert.ok(
    backOffs.slice(1).every((s, i) => s.startsWith(`MODIFIED BackOff ${i + 2}@`)),
    backOffs.join('\n'),
  );
});
