// The `--json` document: events (ids, integer ms, lane, node, object, reason, message,
// severity, causes, duration, source), the YAML source ranges events refer to by index,
// pods with their phases and critical step, and routing windows. The framing is written by
// hand and the events are serialized in batches, so that large traces serialize fast and
// byte-identically.
import type { RoutingWindow } from '../sim/consumers/routingLedger';
import type { PodSummary } from './podSummary';
import type { TraceSource } from './sourceMapping';
import type { TraceEvent } from './model/traceEvent';

export interface TraceDocumentMeta {
  /**
   * null for a trace of a real cluster (exported from the
   * timeline), which has no seed, profile or node count of its own.
   */
  readonly seed: number | null;
  readonly profile: string | null;
  readonly kubernetesVersion: string;
  readonly nodes: number | null;
  readonly endedAtMs: number;
  readonly stopReason: string;
}

const q = JSON.stringify;

/** The YAML range an event maps back to, when known. */
export type SourceOf = (e: TraceEvent) => TraceSource | undefined;

/**
 * The document's `sources` table: each YAML range once, in the order events first name it;
 * an event refers to its range by index (`TraceRecorder.indexSources(sources.indexOf)` gives
 * each recorded event its index).
 */
export class TraceSources {
  readonly ranges = new Map<TraceSource, number>();

  constructor(private readonly sourceOf: SourceOf) {}

  readonly indexOf = (e: TraceEvent): number | undefined => {
    const source = this.sourceOf(e);
    if (!source) return undefined;
    let index = this.ranges.get(source);
    if (index === undefined) this.ranges.set(source, (index = this.ranges.size));
    return index;
  };
}

/**
 * Writes the document as chunks (so a caller can stream a large trace to disk). The events
 * are serialized as they are: recorded events have the document's keys, in its order, and
 * their `source` index in `sources`.
 */
export function* traceJsonChunks(
  meta: TraceDocumentMeta,
  events: readonly TraceEvent[],
  pods: readonly PodSummary[],
  windows: readonly RoutingWindow[],
  sources: Iterable<TraceSource> = [],
): Generator<string> {
  yield `{"meta":${q(meta)},\n"events":[\n`;
  const batch = 2000;
  for (let i = 0; i < events.length; i += batch) {
    // One native JSON.stringify per batch (far cheaper than joining each event's pieces), then
    // one event per line: `{"id":` with a bare quote only ever opens an event, since a quote
    // inside a string is always escaped.
    // The brackets are cut off after the line breaks go in, as a slice that shares the
    // replaced string's characters, and the separator is a chunk of its own: no copy of the
    // batch is made on the way to the file.
    const json = JSON.stringify(events.slice(i, i + batch)).replaceAll('},{"id":', '},\n{"id":');
    yield json.slice(1, -1);
    yield i + batch < events.length ? ',\n' : '\n';
  }
  yield '],\n"sources":[\n';
  yield [...sources]
    .map(
      (r) =>
        `{"file":${q(r.file)},"line":${r.line},"column":${r.column},` +
        `"endLine":${r.endLine},"endColumn":${r.endColumn},"path":${q(r.path)}}`,
    )
    .join(',\n');
  yield '\n],\n"pods":[\n';
  yield pods
    .map((p) =>
      q({
        namespace: p.namespace,
        name: p.name,
        uid: p.uid,
        node: p.node,
        phases: p.phases,
        restarts: p.restarts,
        heldBy: p.heldBy,
      }),
    )
    .join(',\n');
  yield '\n],\n"windows":[\n';
  yield windows
    .map((w) =>
      q({
        consumer: w.consumer,
        lane: w.lane,
        node: w.node,
        service: w.service,
        pod: w.pod,
        podUid: w.podUid,
        ip: w.ip,
        why: w.why,
        start: w.start,
        end: w.end,
        durationMs: w.end === null ? null : w.end - w.start,
        eventId: w.eventId,
      }),
    )
    .join(',\n');
  yield '\n]}\n';
}
