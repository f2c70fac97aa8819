// The panel's Export: a trace the host has streamed to the timeline, written in one of four
// formats from what the host keeps (its host messages, and the trace decoded from their
// chunks). Each writer gives the file as string chunks, so a large trace streams to disk:
//   html        the self-contained report (the same messages inlined in the app's page)
//   trace-json  the document of `podtrace trace --json`
//   perfetto    Chrome trace event JSON (`podtrace trace --perfetto`)
//   otlp        OTLP JSON Lines (`podtrace trace --otlp`)
// For the same run the bytes are those the command line writes (the compact form loses
// nothing, owners included).
import { chromeTraceChunks } from '../core/trace/chromeTrace';
import { otlpTraceLines } from '../core/trace/otlpTrace';
import { traceJsonChunks } from '../core/trace/traceJson';
import type { OwnerOf } from '../core/trace/traceObjects';
import type { TraceEvent } from '../core/trace/model/traceEvent';
import type {
  ExportFormat,
  HostToWebviewMessage,
  TraceFinishedNotification,
  TraceResetNotification,
} from '../protocol/messages';
import { TraceChunkDecoder } from '../protocol/traceChunkDecoder';
import type { PodRow } from '../protocol/traceColumns';
import { reportHtmlChunks, type TimelineApp } from './reportFile';

/** What a saved file of each format is called, for the save dialog. */
export const exportFileTypes: Readonly<Record<ExportFormat, { readonly label: string; readonly extension: string }>> = {
  html: { label: 'HTML report', extension: 'html' },
  'trace-json': { label: 'podtrace trace JSON', extension: 'json' },
  perfetto: { label: 'Perfetto (Chrome trace event JSON)', extension: 'perfetto.json' },
  otlp: { label: 'OTLP JSON Lines', extension: 'otlp.jsonl' },
};

export interface ExportSource {
  /** The trace's host messages as the host sent them: traceReset, eventsAppended…, traceFinished once it ended. */
  readonly messages: readonly HostToWebviewMessage[];
  /** The trace decoded from those chunks, if the host keeps one; decoded here otherwise. */
  readonly decoder?: TraceChunkDecoder;
}

export interface ExportOptions {
  /** The built timeline app, for `html` (`readTimelineApp`). */
  readonly app?: TimelineApp;
  /** The report's nonce (tests); a fresh one by default. */
  readonly nonce?: string;
  /** Objects' controller owners, for `otlp`; by default those the trace's chunks carry. */
  readonly ownerOf?: OwnerOf;
  /** podtrace's version, for OTLP's instrumentation scope. */
  readonly version?: string;
}

/** The trace's start and end messages; throws when the messages are not a trace. */
function framing(messages: readonly HostToWebviewMessage[]): {
  reset: TraceResetNotification;
  finished: TraceFinishedNotification | undefined;
} {
  const reset = messages.find((m): m is TraceResetNotification => m.type === 'traceReset');
  if (!reset)
    throw new Error(
      `export: expected the trace's messages to start with traceReset, ` +
        `found ${messages.length === 0 ? 'none' : messages.map((m) => m.type).join(', ')}`,
    );
  const finished = messages.find((m): m is TraceFinishedNotification => m.type === 'traceFinished');
  return { reset, finished };
}

function decode(messages: readonly HostToWebviewMessage[]): TraceChunkDecoder {
  const decoder = new TraceChunkDecoder();
  for (const m of messages) if (m.type === 'eventsAppended') decoder.append(m.chunk);
  return decoder;
}

/** The trace-json document's word for why the run stopped (the engine's). */
const documentStopReason: Readonly<Record<TraceFinishedNotification['stopReason'], string>> = {
  quiescent: 'quiescent',
  'time-limit': 'time-limit',
  cancelled: 'stopped',
  failed: 'failed',
};

/** Pods in the order the command line lists them: by creation, then name. */
function podsInOrder(decoder: TraceChunkDecoder): PodRow[] {
  return [...decoder.pods.values()].sort(
    (a, b) =>
      (a.phases.created ?? 0) - (b.phases.created ?? 0) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0),
  );
}

/** Events with the --json document's keys in its order (a decoded event also has fieldPath, the document not). */
function documentEvents(events: readonly TraceEvent[]): TraceEvent[] {
  return events.map((e) => ({
    id: e.id,
    time: e.time,
    lane: e.lane,
    node: e.node,
    object: e.object,
    reason: e.reason,
    message: e.message,
    severity: e.severity,
    causes: e.causes,
    duration: e.duration,
    source: e.source,
    observed: e.observed,
  }));
}

/** The file of `format` for the trace, as chunks of text. */
export function exportChunks(
  format: ExportFormat,
  source: ExportSource,
  options: ExportOptions = {},
): Iterable<string> {
  const { reset, finished } = framing(source.messages);
  if (format === 'html') {
    if (!options.app)
      throw new Error('export html: the timeline app is needed (readTimelineApp of the built dist/webview)');
    // A saved report is a finished trace to read, not a run to follow.
    const messages = source.messages.map((m) => (m.type === 'traceReset' ? { ...m, live: false } : m));
    return reportHtmlChunks(messages, options.app, { title: reset.title, nonce: options.nonce });
  }
  const decoder = source.decoder ?? decode(source.messages);
  const endedAtMs = finished?.endedAtMs ?? decoder.clockMs;
  const windows = decoder.windows.filter((w) => w !== undefined);
  switch (format) {
    case 'trace-json': {
      const { meta } = reset;
      const documentMeta = {
        seed: meta.seed,
        profile: meta.profile,
        kubernetesVersion: meta.kubernetesVersion,
        nodes: meta.nodes,
        endedAtMs,
        stopReason: finished ? documentStopReason[finished.stopReason] : 'running',
      };
      return traceJsonChunks(
        documentMeta,
        documentEvents(decoder.events),
        podsInOrder(decoder),
        windows,
        decoder.sources,
      );
    }
    case 'perfetto':
      return chromeTraceChunks(decoder.events);
    case 'otlp':
      return otlpTraceLines({
        events: decoder.events,
        pods: podsInOrder(decoder),
        windows,
        sourceOf: (e) => (e.source === undefined ? undefined : decoder.sources[e.source]),
        ownerOf: options.ownerOf ?? decoder.ownerOf,
        endedAtMs,
        version: options.version,
      });
  }
}
