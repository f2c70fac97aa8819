// The compact form of a trace is lossless (what is encoded decodes to the same events, pods,
// windows and sources, chunk by chunk) and refuses chunks that do not fit the tables so far.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { defaultProfile } from '../../src/core/sim/profile/profile';
import { manifestObjects, traceInSimulator } from '../../src/core/trace/simulatedTrace';
import { ownersFromLineage } from '../../src/core/trace/traceObjects';
import { chunkProblem, chunkShapeProblem } from '../../src/protocol/traceChunkChecks';
import { TraceChunkDecoder } from '../../src/protocol/traceChunkDecoder';
import { TraceChunkEncoder } from '../../src/protocol/traceChunkEncoder';
import type { TraceChunk } from '../../src/protocol/traceColumns';

const repoRoot = path.resolve(__dirname, '../../..');

function webTrace() {
  const files = ['examples/web/deployment.yaml', 'examples/web/service.yaml'].map((f) => ({
    name: f,
    file: parseManifestText(fs.readFileSync(path.join(repoRoot, f), 'utf8')),
  }));
  return traceInSimulator({
    files,
    objects: manifestObjects(files),
    seed: 1,
    profile: defaultProfile,
    version: '1.35',
    nodes: 3,
    nodesGiven: false,
  });
}

function encodeAll(size: number): { trace: ReturnType<typeof webTrace>; chunks: TraceChunk[] } {
  const trace = webTrace();
  const encoder = new TraceChunkEncoder(trace.sourceOf, ownersFromLineage(trace.cluster.ctx.store.lineage));
  const chunks: TraceChunk[] = [];
  for (let i = 0; i < trace.events.length; i += size) {
    const last = i + size >= trace.events.length;
    chunks.push(
      encoder.encode(
        trace.events.slice(i, i + size),
        last ? trace.pods : [],
        last ? trace.windows.map((w, index) => ({ index, ...w })) : [],
        trace.result.time,
      ),
    );
  }
  return { trace, chunks };
}

test('a simulated trace decodes to the same events, sources, pods and windows, whatever the chunk size', () => {
  for (const size of [1, 7, 100_000]) {
    const { trace, chunks } = encodeAll(size);
    // Through JSON, as the report and VS Code's postMessage carry it.
    const decoder = new TraceChunkDecoder();
    for (const chunk of chunks) decoder.append(JSON.parse(JSON.stringify(chunk)) as TraceChunk);
    assert.equal(decoder.events.length, trace.events.length);
    for (const e of trace.events) {
      const d = decoder.events[e.id];
      const source = trace.sourceOf(e);
      assert.deepEqual(
        { ...d, source: d.source === undefined ? undefined : decoder.sources[d.source] },
        {
          id: e.id,
          time: e.time,
          lane: e.lane,
          node: e.node,
          object: e.object,
          reason: e.reason,
          message: e.message,
          severity: e.severity,
          causes: [...e.causes],
          ...(e.duration === undefined ? {} : { duration: e.duration }),
          ...(e.fieldPath === undefined ? {} : { fieldPath: e.fieldPath }),
          source: source && {
            file: source.file,
            line: source.line,
            column: source.column,
            endLine: source.endLine,
            endColumn: source.endColumn,
            path: source.path,
          },
        },
        `event ${e.id} with chunks of ${size}`,
      );
    }
    assert.deepEqual([...decoder.pods.values()], JSON.parse(JSON.stringify(trace.pods)));
    assert.equal(decoder.clockMs, trace.result.time);
  }
});

test('the compact form is smaller than the events as JSON objects', () => {
  const { trace, chunks } = encodeAll(100_000);
  const compact = JSON.stringify(chunks).length;
  const objects = JSON.stringify(trace.events).length;
  assert.ok(
    compact < objects * 0.6,
    `expected the columns well under the ${objects} bytes of the objects, got ${compact}`,
  );
});

test('a chunk that does not fit the tables so far is refused with the reason', () => {
  const { chunks } = encodeAll(50);
  const [first, second] = chunks;
  const sizes = { events: 0, strings: 0, objects: 0, sources: 0 };
  assert.equal(chunkProblem(first, sizes), undefined);
  assert.match(chunkProblem(second, sizes)!, /expected the chunk starting at event 0, got one starting at 50/);
  assert.match(
    chunkProblem({ ...first, reason: first.reason.map(() => 10_000) }, sizes)!,
    /^reason: an entry outside 0…/,
  );
  assert.match(chunkProblem({ ...first, lane: first.lane.map(() => 15) }, sizes)!, /^lane: an entry outside 0…14/);
  const withCause = first.causeCount.findIndex((n) => n > 0);
  const causes = [...first.causes];
  causes[first.causeCount.slice(0, withCause).reduce((a, b) => a + b, 0)] = withCause;
  assert.match(chunkProblem({ ...first, causes }, sizes)!, /is not an earlier event/);
  assert.match(
    chunkShapeProblem({ ...first, message: first.message.slice(1) })!,
    /^message: expected 50 numbers, one per event/,
  );
  assert.match(chunkShapeProblem({ ...first, strings: [1] })!, /^strings: expected a list of strings/);
  assert.match(chunkShapeProblem({ ...first, pods: [{ uid: 'u' }] })!, /^pods:/);
  assert.equal(chunkShapeProblem('chunk'), 'expected an object');
  const decoder = new TraceChunkDecoder();
  assert.throws(() => decoder.append(second), /trace chunk at event 50: expected the chunk starting at event 0/);
});

test('objects carry their controller owner, which enters the table before what it owns', () => {
  const { trace, chunks } = encodeAll(5);
  const decoder = new TraceChunkDecoder();
  for (const chunk of chunks) {
    chunk.owners.forEach((owner, i) =>
      assert.ok(
        owner < decoder.objects.length + i,
        `owner ${owner} of object ${decoder.objects.length + i} comes first`,
      ),
    );
    decoder.append(chunk);
  }
  const pod = trace.pods[0];
  const podRef = decoder.objects.find((o) => o.uid === pod.uid)!;
  const replicaSet = decoder.ownerOf(podRef);
  assert.equal(replicaSet?.kind, 'ReplicaSet');
  assert.match(pod.name, new RegExp(`^${replicaSet!.name}-[a-z0-9]{5}$`));
  assert.deepEqual(
    decoder.ownerOf(replicaSet!),
    decoder.objects.find((o) => o.kind === 'Deployment' && o.name === 'web' && o.uid !== null),
  );
  const lineage = trace.cluster.ctx.store.lineage;
  for (const o of decoder.objects)
    assert.equal(
      decoder.ownerOf(o)?.uid,
      o.uid === null ? undefined : lineage.get(o.uid)?.owner,
      `${o.kind}/${o.name}`,
    );
  assert.match(
    chunkProblem(
      { ...chunks[0], owners: chunks[0].owners.map((_, i) => i) },
      { events: 0, strings: 0, objects: 0, sources: 0 },
    )!,
    /^owners\[0\]: expected -1 or an earlier object, got 0/,
  );
});
