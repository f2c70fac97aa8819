// The host messages of a finished trace, as the timeline app receives them: `traceReset`
// with what the trace was run against, the events in the compact form (each chunk with the
// YAML ranges its events map to; the pods and routing windows with the last chunk), then
// `traceFinished` with the summary line. The HTML report inlines exactly these messages, so
// the report and the panel feed the app the same way, and the exports can be written back
// from them (exportTrace.ts).
import type { RoutingWindow } from '../core/sim/consumers/routingLedger';
import type { StopReason } from '../core/sim/engine/engine';
import type { KubernetesVersion } from '../core/base/kubernetesVersion';
import type { PodSummary } from '../core/trace/podSummary';
import { summaryLine, type SimulatedTrace } from '../core/trace/simulatedTrace';
import type { TraceSource } from '../core/trace/sourceMapping';
import type { TraceEvent } from '../core/trace/model/traceEvent';
import { ownersFromLineage, type OwnerOf } from '../core/trace/traceObjects';
import type { HostToWebviewMessage, ReportData, TraceFinishedNotification, TraceMeta } from '../protocol/messages';
import { TraceChunkEncoder } from '../protocol/traceChunkEncoder';
import type { PodRow, WindowRow } from '../protocol/traceColumns';

/** A trace that has stopped: what the report and the exports are written from. */
export interface FinishedTrace {
  /** The app's title bar and the report's page title. */
  readonly title: string;
  readonly meta: TraceMeta;
  readonly events: readonly TraceEvent[];
  readonly pods: readonly PodSummary[];
  readonly windows: readonly RoutingWindow[];
  /** The YAML range that caused each event, when known. */
  readonly sourceOf: (event: TraceEvent) => TraceSource | undefined;
  /** Each object's controller owner, when known. */
  readonly ownerOf: OwnerOf;
  readonly stopReason: TraceFinishedNotification['stopReason'];
  readonly endedAtMs: number;
  readonly summary: string;
}

/**
 * Events per chunk of a finished trace. Large, because the report parses its whole data block
 * at once anyway and each chunk repeats the column names; the benchmark trace's 212,000
 * events make five chunks.
 */
export const finishedTraceChunkEvents = 50_000;

/** Why the engine stopped, as the protocol says it: a run stopped from outside was cancelled. */
export function stopReasonOf(reason: StopReason): TraceFinishedNotification['stopReason'] {
  switch (reason) {
    case 'quiescent':
    case 'time-limit':
      return reason;
    case 'stopped':
      return 'cancelled';
    case 'event-limit':
      // The engine's guard against a run that never settles: the trace is incomplete.
      return 'failed';
  }
}

/** How a simulated trace was run: what its meta and summary line say. */
export interface SimulatedRun {
  readonly title: string;
  readonly seed: number;
  /** The latency profile's name. */
  readonly profile: string;
  readonly version: KubernetesVersion;
  /** The manifest files the trace's sources name, as they name them. */
  readonly files: readonly string[];
}

/** A run of the embedded simulator (`traceInSimulator`) as a finished trace. */
export function finishedSimulatedTrace(trace: SimulatedTrace, run: SimulatedRun): FinishedTrace {
  return {
    title: run.title,
    meta: {
      target: 'embedded simulator',
      kubernetesVersion: run.version,
      seed: run.seed,
      profile: run.profile,
      nodes: trace.cluster.kubelets.size,
      files: [...new Set(run.files)],
    },
    events: trace.events,
    pods: trace.pods,
    windows: trace.windows,
    sourceOf: trace.sourceOf,
    ownerOf: ownersFromLineage(trace.cluster.ctx.store.lineage),
    stopReason: stopReasonOf(trace.result.reason),
    endedAtMs: trace.result.time,
    summary: summaryLine(trace, { seed: run.seed, profile: run.profile, version: run.version }),
  };
}

/** A pod's summary as the compact form carries it. */
export function podRow(p: PodSummary): PodRow {
  return {
    uid: p.uid,
    namespace: p.namespace,
    name: p.name,
    node: p.node,
    phases: p.phases,
    phaseEvents: p.phaseEvents,
    restarts: p.restarts,
    heldBy: p.heldBy,
  };
}

/** A routing window as the compact form carries it, with its place in the trace's list. */
export function windowRow(w: RoutingWindow, index: number): WindowRow {
  return {
    index,
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
    eventId: w.eventId,
  };
}

/**
 * The trace's host messages, made one at a time (a chunk of the benchmark trace is megabytes:
 * the report writes each before the next is made). There is always at least one chunk, so
 * that the pods and windows of a trace without events still arrive.
 */
export function* finishedTraceMessages(
  trace: FinishedTrace,
  chunkEvents: number = finishedTraceChunkEvents,
): Generator<HostToWebviewMessage> {
  if (!(Number.isInteger(chunkEvents) && chunkEvents > 0))
    throw new Error(`finishedTraceMessages: expected a chunk size ≥ 1 event, got ${chunkEvents}`);
  yield { type: 'traceReset', title: trace.title, meta: trace.meta, live: false };
  const encoder = new TraceChunkEncoder(trace.sourceOf, trace.ownerOf);
  const { events } = trace;
  for (let from = 0; ; from += chunkEvents) {
    const last = from + chunkEvents >= events.length;
    const pods = last ? trace.pods.map(podRow) : [];
    const windows = last ? trace.windows.map(windowRow) : [];
    yield {
      type: 'eventsAppended',
      chunk: encoder.encode(events.slice(from, from + chunkEvents), pods, windows, trace.endedAtMs),
    };
    if (last) break;
  }
  yield { type: 'traceFinished', stopReason: trace.stopReason, endedAtMs: trace.endedAtMs, summary: trace.summary };
}

/** The report's data as JSON, one message per piece: the same text as `JSON.stringify(reportData)`. */
export function* reportDataChunks(messages: Iterable<HostToWebviewMessage>): Generator<string> {
  yield '{"format":1,"messages":[';
  let first = true;
  for (const message of messages) {
    // The separator on its own: a chunk's JSON is megabytes, and is not copied to prefix it.
    if (!first) yield ',';
    yield JSON.stringify(message);
    first = false;
  }
  yield ']}';
}

/** The report's data as one object (for small traces and tests). */
export function reportData(messages: Iterable<HostToWebviewMessage>): ReportData {
  return { format: 1, messages: [...messages] };
}
