// The `--json` document: events (ids, integer ms, lane, node, object, reason, message,
// severity, causes, duration, source), the YAML source ranges events refer to by index,
// pods with their phases and critical step, and routing windows. The framing is written by
// hand and the events are serialized in batches, so that large traces serialize fast and
// byte-identically.
import type { RoutingWindow } from '../sim/consumers/routingLedger';
import type { PodSummary } from './podSummary';
import type { TraceSource } from './sourceMapping';
import type { TraceEvent } from './traceEvent';

export interface TraceDocumentMeta {
  readonly seed: number;
  readonly profile: string;
  readonly kubernetesVersion: string;
  readonly nodes: number;
  readonly endedAtMs: number;
  readonly stopReason: string;
}

const q = JSON.stringify;

/** An event as the document writes it: a plain object with the document's keys in order. */
interface EventRecord {
  id: number;
  time: number;
  lane: string;
  node: string | null;
  object: ObjectRecord;
  reason: string;
  message: string;
  severity: string;
  causes: readonly number[];
  duration?: number;
  source?: number;
}

interface ObjectRecord {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly uid: string | null;
}

/** The YAML range an event maps back to, when known. */
export type SourceOf = (e: TraceEvent) => TraceSource | undefined;

/**
 * Turns events into records: an object's record is made once per uid (its kind, namespace and
 * name never change; a pod appears in a score of events), and a source range is written once,
 * in the document's `sources` table, which events refer to by index.
 */
function eventRecorder(sourceOf: SourceOf | undefined, sources: Map<TraceSource, number>): (e: TraceEvent) => EventRecord {
  const objects = new Map<string, ObjectRecord>();
  return (e) => {
    const o = e.object;
    let object = o.uid === null ? undefined : objects.get(o.uid);
    if (object === undefined) {
      object = { kind: o.kind, namespace: o.namespace, name: o.name, uid: o.uid };
      if (o.uid !== null) objects.set(o.uid, object);
    }
    const record: EventRecord = { id: e.id, time: e.time, lane: e.lane, node: e.node, object, reason: e.reason, message: e.message, severity: e.severity, causes: e.causes };
    if (e.duration !== undefined) record.duration = Math.round(e.duration);
    const source = sourceOf?.(e);
    if (source) {
      let index = sources.get(source);
      if (index === undefined) sources.set(source, (index = sources.size));
      record.source = index;
    }
    return record;
  };
}

/** Writes the document as chunks (so a caller can stream a large trace to disk). */
export function* traceJsonChunks(meta: TraceDocumentMeta, events: readonly TraceEvent[], pods: readonly PodSummary[], windows: readonly RoutingWindow[], sourceOf?: SourceOf): Generator<string> {
  yield `{"meta":${q(meta)},\n"events":[\n`;
  const batch = 2000;
  const sources = new Map<TraceSource, number>();
  const record = eventRecorder(sourceOf, sources);
  for (let i = 0; i < events.length; i += batch) {
    const records: EventRecord[] = [];
    for (let j = i; j < Math.min(events.length, i + batch); j++) records.push(record(events[j]));
    // One native JSON.stringify per batch (far cheaper than joining each event's pieces), then
    // one event per line: `{"id":` with a bare quote only ever opens an event, since a quote
    // inside a string is always escaped.
    const json = JSON.stringify(records);
    yield json.slice(1, -1).replaceAll('},{"id":', '},\n{"id":') + (i + batch < events.length ? ',\n' : '\n');
  }
  yield '],\n"sources":[\n';
  yield [...sources.keys()].map((r) => `{"file":${q(r.file)},"line":${r.line},"column":${r.column},"endLine":${r.endLine},"endColumn":${r.endColumn},"path":${q(r.path)}}`).join(',\n');
  yield '\n],\n"pods":[\n';
  yield pods.map((p) => q({ namespace: p.namespace, name: p.name, uid: p.uid, node: p.node, phases: p.phases, restarts: p.restarts, heldBy: p.heldBy })).join(',\n');
  yield '\n],\n"windows":[\n';
  yield windows.map((w) => q({ consumer: w.consumer, lane: w.lane, node: w.node, service: w.service, pod: w.pod, podUid: w.podUid, ip: w.ip, why: w.why, start: w.start, end: w.end, durationMs: w.end === null ? null : w.end - w.start, eventId: w.eventId })).join(',\n');
  yield '\n]}\n';
}
