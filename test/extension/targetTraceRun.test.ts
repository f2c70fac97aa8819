// A cluster target's trace stream as the timeline gets it: the host's TargetTraceRun follows
// the applied objects on the embedded simulator's in-process target (the same interface as a
// kubeconfig context), maps events to the YAML and encodes them as the protocol's chunks,
// which fit one after another; it ends once the cluster settles, or when cancelled, and
// hands on nothing after.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { InProcessTarget } from '../../src/core/cluster/inProcessTarget';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { chunkProblem } from '../../src/protocol/traceChunkChecks';
import { emptyTableSizes, sizesAfter, type TraceChunk } from '../../src/protocol/traceColumns';
import { appliedObjectsOf } from '../../src/extension/appliedObjects';
import { TargetTraceRun } from '../../src/extension/targetTraceRun';
import type { TraceOutcome } from '../../src/extension/traceSession';
import { appManifestText } from '../cluster/appManifest';
import { ManualWall } from '../cluster/manualWall';

function setUp() {
  const wall = new ManualWall();
  const target = new InProcessTarget({ seed: 1, version: '1.35', nodes: 3, speed: 1, wall });
  const file = parseManifestText(appManifestText);
  const objects = appliedObjectsOf([{ name: '/w/app.yaml', parsed: file }]).map((a) => a.object);
  const chunks: TraceChunk[] = [];
  const outcomes: TraceOutcome[] = [];
  const run = new TargetTraceRun(
    { target, objects, files: [{ name: '/w/app.yaml', file }], where: 'the test target' },
    { chunk: (c) => chunks.push(c), finished: (o) => outcomes.push(o) },
  );
  return { wall, target, objects, chunks, outcomes, run };
}

test('the stream reaches the timeline as chunks that fit, with YAML sources, until the cluster settles', async () => {
  const { wall, target, objects, chunks, outcomes, run } = setUp();
  const applied = await wall.until(target.apply(objects));
  assert.ok(applied.every((o) => o.ok));
  const outcome = await wall.until(run.done);
  assert.equal(outcome.stopReason, 'quiescent');
  assert.equal(outcomes.length, 1);
  assert.deepEqual([outcome.pods, outcome.ready], [2, 2]);
  assert.match(outcome.summary, /^the test target: \d+ events, 2 pods \(2 ready\), settled at \d+\.\d{3}s$/);
  let sizes = emptyTableSizes;
  for (const chunk of chunks) {
    assert.equal(chunkProblem(chunk, sizes), undefined);
    sizes = sizesAfter(sizes, chunk);
  }
  assert.equal(sizes.events, outcome.events);
  assert.ok(outcome.events > 20, `expected the pods' lifecycle, got ${outcome.events} events`);
  // Events map to the manifest: the pods' to the Deployment's template, the Service's to its spec.
  const sources = chunks.flatMap((c) => c.sources);
  assert.ok(sources.length > 0, 'expected events mapped to YAML ranges');
  assert.ok(
    sources.every((s) => s.file === '/w/app.yaml' && s.line >= 1),
    JSON.stringify(sources.slice(0, 3)),
  );
  assert.ok(
    sources.some((s) => s.path.startsWith('spec.template')),
    JSON.stringify(sources.map((s) => s.path)),
  );
  // Pods are grouped under their owners: the chunks name a ReplicaSet owner for the pods.
  const strings = chunks.flatMap((c) => c.strings);
  assert.ok(strings.includes('ReplicaSet'), 'expected the ReplicaSet among the owners');
  await target.close();
});

test('cancelled, the run hands on nothing more and says what it saw', async () => {
  const { wall, target, objects, chunks, outcomes, run } = setUp();
  await wall.until(target.apply(objects));
  wall.advance(200);
  await new Promise<void>((resolve) => setImmediate(resolve));
  run.cancel();
  const seen = chunks.length;
  const outcome = await run.done;
  assert.equal(outcome.stopReason, 'cancelled');
  assert.match(outcome.summary, /^the test target: stopped following at \d+\.\d{3}s: \d+ events/);
  wall.advance(60_000);
  assert.equal(chunks.length, seen, 'expected no chunk after cancel');
  assert.equal(outcomes.length, 1);
  run.fail('too late');
  assert.equal(outcomes.length, 1, 'expected a run to settle once');
  await target.close();
});
