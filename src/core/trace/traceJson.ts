// The `--json` document: events (ids, integer ms, lane, node, object, reason, message,
// severity, causes, duration, source), the YAML source ranges events refer to by index,
// pods with their phases and critical step, and routing windows. Written by hand so that
// large traces serialize fast and byte-identically.
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

function objectJson(o: TraceEvent['object']): string {
  return `{"kind":${q(o.kind)},"namespace":${o.namespace === null ? 'null' : q(o.namespace)},"name":${q(o.name)},"uid":${o.uid === null ? 'null' : q(o.uid)}}`;
}

/**
 * Writes events; an object's JSON is made once per uid, whose kind, namespace and name never
 * change (a pod appears in a score of events). A source range is written once, in the
 * document's `sources` table, and events refer to it by index.
 */
function eventWriter(sourceOf: SourceOf | undefined, sources: Map<TraceSource, number>): (e: TraceEvent) => string {
  const objects = new Map<string, string>();
  return (e) => {
    const o = e.object;
    let object = o.uid === null ? undefined : objects.get(o.uid);
    if (object === undefined) {
      object = objectJson(o);
      if (o.uid !== null) objects.set(o.uid, object);
    }
    const source = sourceOf?.(e);
    let index: number | undefined;
    if (source) {
      index = sources.get(source);
      if (index === undefined) sources.set(source, (index = sources.size));
    }
    return eventJson(e, object, index === undefined ? '' : `,"source":${index}`);
  };
}

/** The YAML range an event maps back to, when known. */
export type SourceOf = (e: TraceEvent) => TraceSource | undefined;

/** JSON of the strings that recur (node names, reasons), made once each. */
const recurring = new Map<string, string>();

function recurringJson(text: string): string {
  let json = recurring.get(text);
  if (json === undefined) {
    if (recurring.size > 100_000) recurring.clear();
    recurring.set(text, (json = q(text)));
  }
  return json;
}

function eventJson(e: TraceEvent, object: string, source: string): string {
  return (
    `{"id":${e.id},"time":${e.time},"lane":"${e.lane}","node":${e.node === null ? 'null' : recurringJson(e.node)},` +
    `"object":${object},` +
    `"reason":${recurringJson(e.reason)},"message":${q(e.message)},"severity":"${e.severity}","causes":[${e.causes.join(',')}]` +
    (e.duration !== undefined ? `,"duration":${Math.round(e.duration)}` : '') +
    source +
    '}'
  );
}

/** Writes the document as chunks (so a caller can stream a large trace to disk). */
export function* traceJsonChunks(meta: TraceDocumentMeta, events: readonly TraceEvent[], pods: readonly PodSummary[], windows: readonly RoutingWindow[], sourceOf?: SourceOf): Generator<string> {
  yield `{"meta":${q(meta)},\n"events":[\n`;
  const batch = 2000;
  const sources = new Map<TraceSource, number>();
  const write = eventWriter(sourceOf, sources);
  for (let i = 0; i < events.length; i += batch) {
    const parts: string[] = [];
    for (let j = i; j < Math.min(events.length, i + batch); j++) parts.push(write(events[j]));
    yield parts.join(',\n') + (i + batch < events.length ? ',\n' : '\n');
  }
  yield '],\n"sources":[\n';
  yield [...sources.keys()].map((r) => `{"file":${q(r.file)},"line":${r.line},"column":${r.column},"endLine":${r.endLine},"endColumn":${r.endColumn},"path":${q(r.path)}}`).join(',\n');
  yield '\n],\n"pods":[\n';
  yield pods.map((p) => q({ namespace: p.namespace, name: p.name, uid: p.uid, node: p.node, phases: p.phases, restarts: p.restarts, heldBy: p.heldBy })).join(',\n');
  yield '\n],\n"windows":[\n';
  yield windows.map((w) => q({ consumer: w.consumer, lane: w.lane, node: w.node, service: w.service, pod: w.pod, podUid: w.podUid, ip: w.ip, why: w.why, start: w.start, end: w.end, durationMs: w.end === null ? null : w.end - w.start, eventId: w.eventId })).join(',\n');
  yield '\n]}\n';
}
