// OTLP JSON Lines, checked strictly for the structure Jaeger and the OpenTelemetry collector
// read (Jaeger itself cannot run here): one JSON document per line, ids of the right length
// and alphabet, times as decimal strings of Unix nanoseconds, parents in the same trace,
// links to spans that exist; and what a Jaeger user looks for: a Deployment's pods in its
// trace, warnings as errors, the same bytes from the same run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { hash64, unixNanos } from '../../src/core/trace/otlpEncoding';
import { otlpEpochMs } from '../../src/core/trace/otlpTrace';
import { caseArgs, repoRoot, traceOutputs } from './traceRun';

interface Attribute {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean };
}
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Attribute[];
  links?: { traceId: string; spanId: string }[];
  status?: { code: number; message: string };
}
interface Line {
  resourceSpans: {
    resource: { attributes: Attribute[] };
    scopeSpans: { scope: { name: string; version?: string }; spans: Span[] }[];
  }[];
}

const web = [path.relative(process.cwd(), path.join(repoRoot, 'examples/web'))];
const fixture = (name: string) => caseArgs(path.join(repoRoot, 'test/fixtures/trace', name));

function attr(span: Span, key: string): string | boolean | undefined {
  const a = span.attributes.find((x) => x.key === key);
  return a?.value.stringValue ?? a?.value.intValue ?? a?.value.boolValue;
}

/** Every line parsed, with its spans and their services; fails on the first structural fault. */
function checkStructure(otlp: string): { lines: Line[]; spans: (Span & { service: string })[] } {
  assert.ok(otlp.endsWith('\n'), 'the file ends with a line break');
  const texts = otlp.slice(0, -1).split('\n');
  assert.ok(!/[\u2028\u2029\r]/.test(otlp), 'no character any reader takes for a line break inside a line');
  const lines = texts.map((t, i) => {
    const line = JSON.parse(t) as Line;
    assert.deepEqual(Object.keys(line), ['resourceSpans'], `line ${i + 1}: one ExportTraceServiceRequest`);
    return line;
  });
  const spans: (Span & { service: string })[] = [];
  const traceIds = new Set<string>();
  const allIds = new Set<string>();
  for (const [i, line] of lines.entries()) {
    const where = `line ${i + 1}`;
    const lineSpans = line.resourceSpans.flatMap((rs) => {
      const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
      assert.ok(service, `${where}: every resource names its service`);
      assert.ok(
        rs.scopeSpans.length > 0 && rs.scopeSpans.every((s) => s.scope.name === 'podtrace' && s.spans.length > 0),
        `${where}: no empty envelope`,
      );
      return rs.scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, service })));
    });
    const traceId = lineSpans[0].traceId;
    assert.match(traceId, /^[0-9a-f]{32}$/, `${where}: a trace id is 16 bytes of lowercase hex`);
    assert.notEqual(traceId, '0'.repeat(32));
    assert.ok(!traceIds.has(traceId), `${where}: one line per trace`);
    traceIds.add(traceId);
    const ids = new Set<string>();
    for (const s of lineSpans) {
      const span = `${where} span ${s.name}`;
      assert.equal(s.traceId, traceId, `${span}: in the line's trace`);
      assert.match(s.spanId, /^[0-9a-f]{16}$/, `${span}: a span id is 8 bytes of lowercase hex`);
      assert.notEqual(s.spanId, '0'.repeat(16));
      assert.ok(!ids.has(s.spanId), `${span}: span ids are unique in a trace`);
      ids.add(s.spanId);
      allIds.add(`${traceId}/${s.spanId}`);
      assert.equal(s.kind, 1, `${span}: SPAN_KIND_INTERNAL, as a number`);
      for (const t of [s.startTimeUnixNano, s.endTimeUnixNano])
        assert.match(t, /^[1-9]\d*$/, `${span}: times are decimal strings`);
      assert.ok(BigInt(s.startTimeUnixNano) <= BigInt(s.endTimeUnixNano), `${span}: starts before it ends`);
      assert.ok(BigInt(s.startTimeUnixNano) >= BigInt(otlpEpochMs) * 1_000_000n, `${span}: not before virtual time 0`);
      for (const a of s.attributes) {
        const kinds = Object.keys(a.value);
        assert.equal(kinds.length, 1, `${span}: attribute ${a.key} has one value`);
        if (a.value.intValue !== undefined)
          assert.match(a.value.intValue, /^-?\d+$/, `${span}: ${a.key} is an int64 as a decimal string`);
        else
          assert.ok(
            typeof a.value.stringValue === 'string' || typeof a.value.boolValue === 'boolean',
            `${span}: ${a.key}`,
          );
      }
      if (s.status) assert.equal(s.status.code, 2, `${span}: a status is STATUS_CODE_ERROR, as a number`);
    }
    const roots = lineSpans.filter((s) => s.parentSpanId === undefined);
    assert.equal(roots.length, 1, `${where}: one root span`);
    for (const s of lineSpans)
      if (s.parentSpanId !== undefined)
        assert.ok(ids.has(s.parentSpanId), `${where}: the parent of ${s.name} is in the same trace`);
    spans.push(...lineSpans);
  }
  for (const s of spans)
    for (const l of s.links ?? [])
      assert.ok(allIds.has(`${l.traceId}/${l.spanId}`), `a link of ${s.name} points at a span in the file`);
  return { lines, spans };
}

test('OTLP of examples/web: well-formed, one trace per top-level \
object, the Deployment with its ReplicaSet and pods', () => {
  const { json, otlp } = traceOutputs(web);
  const doc = JSON.parse(json);
  const { lines, spans } = checkStructure(otlp);
  const rootNames = lines.map(
    (l) => l.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).find((s) => !s.parentSpanId)!.name,
  );
  assert.deepEqual(rootNames, ['Deployment default/web', 'Ingress default/web', 'Service default/web']);

  const eventSpans = spans.filter((s) => attr(s, 'podtrace.event.id') !== undefined);
  assert.deepEqual(
    eventSpans.map((s) => Number(attr(s, 'podtrace.event.id'))).sort((a, b) => a - b),
    doc.events.map((e: { id: number }) => e.id),
    'a span per event',
  );
  for (const s of eventSpans) {
    const e = doc.events[Number(attr(s, 'podtrace.event.id'))];
    assert.equal(s.service, e.lane, 'the component is the service');
    assert.equal(s.name, `${e.object.kind}.${e.reason}`);
    assert.equal(BigInt(s.endTimeUnixNano), BigInt(otlpEpochMs + e.time) * 1_000_000n);
    assert.equal(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano), BigInt(e.duration ?? 0) * 1_000_000n);
    assert.equal(s.links?.length ?? 0, e.causes.length, 'a link per cause');
  }

  const deployment = spans.find((s) => s.name === 'Deployment default/web')!;
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (const pod of doc.pods) {
    const span = spans.find((s) => attr(s, 'k8s.pod.uid') === pod.uid)!;
    assert.equal(span.traceId, deployment.traceId, `pod ${pod.name} is in the Deployment's trace`);
    const replicaSet = byId.get(span.parentSpanId!)!;
    assert.match(replicaSet.name, /^ReplicaSet default\/web-[a-z0-9]+$/);
    assert.equal(replicaSet.parentSpanId, deployment.spanId);
    // Its steps, created to routable, end to end; the one that held it back is marked.
    const steps = spans.filter((s) => s.parentSpanId === span.spanId && attr(s, 'podtrace.phase') !== undefined);
    assert.deepEqual(
      steps.map((s) => s.name),
      [
        'scheduling',
        'volumes, sandbox and CNI',
        'image pulls',
        'container start',
        'readiness',
        'EndpointSlice update',
        'propagation to consumers',
      ],
    );
    assert.equal(steps[0].startTimeUnixNano, unixNanos(otlpEpochMs, pod.phases.created));
    assert.equal(steps.at(-1)!.endTimeUnixNano, unixNanos(otlpEpochMs, pod.phases.routable));
    for (let i = 1; i < steps.length; i++) assert.equal(steps[i].startTimeUnixNano, steps[i - 1].endTimeUnixNano);
    assert.deepEqual(
      steps.filter((s) => attr(s, 'podtrace.critical') === true).map((s) => s.name),
      [pod.heldBy.step],
    );
  }
  // An event's YAML line, as OpenTelemetry's code attributes say it.
  const pulling = eventSpans.find((s) => attr(s, 'podtrace.event.reason') === 'Pulling')!;
  assert.equal(attr(pulling, 'code.file.path'), 'examples/web/deployment.yaml');
  assert.equal(attr(pulling, 'podtrace.source.path'), 'spec.template.spec.containers[0].image');
});

test('OTLP: a warning is an error span, and a step a warning held back is an open error span', () => {
  const { json, otlp } = traceOutputs(fixture('image-pull-backoff'));
  const doc = JSON.parse(json);
  const { spans } = checkStructure(otlp);
  const warnings = doc.events.filter((e: { severity: string }) => e.severity === 'Warning');
  assert.ok(warnings.length > 0);
  for (const w of warnings) {
    const span = spans.find((s) => attr(s, 'podtrace.event.id') === String(w.id))!;
    assert.deepEqual(span.status, { message: w.message, code: 2 });
  }
  for (const s of spans.filter(
    (x) =>
      attr(x, 'podtrace.event.id') !== undefined &&
      !warnings.some((w: { id: number }) => String(w.id) === attr(x, 'podtrace.event.id')),
  )) {
    assert.equal(s.status, undefined, `${s.name}: a normal event leaves the status unset`);
  }
  const stuck = spans.find((s) => s.name === 'image pulls')!;
  assert.equal(attr(stuck, 'podtrace.phase.reached'), false);
  assert.equal(stuck.status?.message, doc.pods[0].heldBy.detail);
});

test('OTLP: routing windows are error spans under the pod that was still routed to', () => {
  const { json, otlp } = traceOutputs(fixture('deletion-routing-window'));
  const doc = JSON.parse(json);
  assert.ok(doc.windows.length > 0);
  const { spans } = checkStructure(otlp);
  const windows = spans.filter((s) => attr(s, 'podtrace.window.consumer') !== undefined);
  assert.equal(windows.length, doc.windows.length);
  const podOf = (span: Span) => spans.find((s) => s.spanId === span.parentSpanId && s.traceId === span.traceId);
  for (const w of doc.windows) {
    const start = unixNanos(otlpEpochMs, w.start);
    const matching = windows.filter(
      (s) =>
        attr(s, 'podtrace.window.consumer') === w.consumer &&
        s.startTimeUnixNano === start &&
        attr(podOf(s)!, 'k8s.pod.uid') === w.podUid,
    );
    assert.equal(matching.length, 1, `one span for the window of ${w.consumer} to ${w.pod} from ${w.start} ms`);
    const [span] = matching;
    assert.equal(span.service, w.lane);
    assert.equal(span.status?.code, 2);
    assert.equal(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano), BigInt(w.durationMs) * 1_000_000n);
  }
});

test('OTLP: two runs of the same input give the same bytes; another seed gives other trace ids', () => {
  const first = traceOutputs(fixture('rolling-update')).otlp;
  checkStructure(first);
  assert.equal(traceOutputs(fixture('rolling-update')).otlp, first);
  const other = traceOutputs([...fixture('rolling-update'), '--seed', '2']).otlp;
  const ids = (text: string) =>
    new Set(
      text
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as Line).resourceSpans[0].scopeSpans[0].spans[0].traceId),
    );
  const shared = [...ids(first)].filter((id) => ids(other).has(id));
  assert.deepEqual(shared, [], 'objects of another run (other uids) are other traces');
});

test('OTLP of every golden trace case is well-formed, with a span per event', () => {
  for (const name of fs.readdirSync(path.join(repoRoot, 'test/fixtures/trace')).sort()) {
    const { json, otlp } = traceOutputs(fixture(name));
    const { spans } = checkStructure(otlp);
    const events = spans.filter((s) => attr(s, 'podtrace.event.id') !== undefined).length;
    assert.equal(events, JSON.parse(json).events.length, name);
  }
});

test('OTLP encoding: ids are stable hashes, times exact beyond 2^53 nanoseconds', () => {
  assert.equal(hash64('event\u00000'), hash64('event\u00000'));
  assert.notEqual(hash64('event\u00000'), hash64('event\u00001'));
  assert.match(hash64(''), /^[0-9a-f]{16}$/);
  // Distinct for the ids of a large trace.
  const seen = new Set<string>();
  for (let i = 0; i < 300_000; i++) seen.add(hash64(`event\u0000${i}`));
  assert.equal(seen.size, 300_000);
  assert.equal(unixNanos(otlpEpochMs, 11_706), '946684811706000000');
  assert.equal(unixNanos(0, 0), '0');
  assert.throws(() => unixNanos(otlpEpochMs, -otlpEpochMs - 1), /expected whole milliseconds ≥ 0 from the Unix epoch/);
  assert.throws(() => unixNanos(otlpEpochMs, 0.5), /expected whole milliseconds/);
});
