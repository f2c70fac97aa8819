// What the panel's Export writes, made from the trace's host messages as the panel keeps them
// (traceReset, the worker's chunks, traceFinished once the run ended) with the writers of
// src/report: the trace decoded a chunk at a time with turns of the event loop in between,
// and for the HTML report the trace cut again into the chunks `podtrace trace --report` cuts,
// so that the same run gives the same file. No 'vscode' here: tests run it under Node.
import type { PodSummary } from '../core/trace/podSummary';
import type { ExportFormat, HostToWebviewMessage, TraceFinishedNotification } from '../protocol/messages';
import { TraceChunkDecoder } from '../protocol/traceChunkDecoder';
import type { PodRow } from '../protocol/traceColumns';
import { exportChunks, exportFileTypes } from '../report/exportTrace';
import type { TimelineApp } from '../report/reportFile';
import { finishedTraceMessages } from '../report/traceMessages';

/** A trace ready to be written: decoded, with its framing. */
export interface DecodedTrace {
  readonly messages: readonly HostToWebviewMessage[];
  readonly decoder: TraceChunkDecoder;
  readonly title: string;
  /** The end of the trace, or undefined while it is still running. */
  readonly finished: TraceFinishedNotification | undefined;
}

/** Gives the event loop a turn (the extension host answers everything else in between). */
export type Pause = () => Promise<void>;

export const nextTurn: Pause = () => new Promise((resolve) => setImmediate(resolve));

/** Wall milliseconds of work between turns. */
const sliceMs = 10;

/** Runs `step` over `items`, pausing whenever a slice of work has taken its time. */
async function inSlices<T>(items: Iterable<T>, step: (item: T) => void, pause: Pause): Promise<void> {
  let started = performance.now();
  for (const item of items) {
    step(item);
    if (performance.now() - started >= sliceMs) {
      await pause();
      started = performance.now();
    }
  }
}

/**
 * Decodes the trace from its messages, a chunk at a time. Throws, saying what it found, when
 * the messages are not a trace (no traceReset first) or a chunk does not fit the ones before.
 */
export async function decodeTrace(messages: readonly HostToWebviewMessage[], pause: Pause): Promise<DecodedTrace> {
  const reset = messages[0];
  if (reset?.type !== 'traceReset')
    throw new Error(
      `expected the trace to start with traceReset, found ${reset ? reset.type : 'no message (no trace yet)'}`,
    );
  const decoder = new TraceChunkDecoder();
  let finished: TraceFinishedNotification | undefined;
  await inSlices(
    messages,
    (m) => {
      if (m.type === 'eventsAppended') decoder.append(m.chunk);
      else if (m.type === 'traceFinished') finished = m;
    },
    pause,
  );
  return { messages, decoder, title: reset.title, finished };
}

/** Pods in the order `podtrace trace` lists them: by creation, then name, then namespace. */
function podsInOrder(decoder: TraceChunkDecoder): PodRow[] {
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...decoder.pods.values()].sort(
    (a, b) =>
      (a.phases.created ?? 0) - (b.phases.created ?? 0) || byName(a.name, b.name) || byName(a.namespace, b.namespace),
  );
}

/**
 * The trace's messages cut as `podtrace trace --report` cuts a finished trace (chunks of
 * 50,000 events, the pods and windows with the last), encoded a chunk at a time. A trace still
 * running ends without traceFinished: its report says it is incomplete.
 */
export async function reportMessages(trace: DecodedTrace, pause: Pause): Promise<HostToWebviewMessage[]> {
  const { decoder, finished } = trace;
  const reset = trace.messages[0];
  if (reset.type !== 'traceReset') throw new Error(`expected traceReset first, found ${reset.type}`);
  const pods: PodSummary[] = podsInOrder(decoder);
  const messages: HostToWebviewMessage[] = [];
  await inSlices(
    finishedTraceMessages({
      title: reset.title,
      meta: reset.meta,
      events: decoder.events,
      pods,
      windows: decoder.windows.filter((w) => w !== undefined),
      sourceOf: (e) => (e.source === undefined ? undefined : decoder.sources[e.source]),
      ownerOf: decoder.ownerOf,
      stopReason: finished?.stopReason ?? 'cancelled',
      endedAtMs: finished?.endedAtMs ?? decoder.clockMs,
      summary: finished?.summary ?? '',
    }),
    (m) => {
      if (m.type !== 'traceFinished' || finished) messages.push(m);
    },
    pause,
  );
  return messages;
}

export interface PiecesOptions {
  /** The built timeline app, for `html`. */
  readonly app?: TimelineApp;
  /** podtrace's version, for OTLP's instrumentation scope. */
  readonly version: string;
  /** The report's nonce (tests); a fresh one by default. */
  readonly nonce?: string;
}

/** The file of `format` as pieces of text, taken one at a time by the writer. */
export async function exportPieces(
  format: ExportFormat,
  trace: DecodedTrace,
  options: PiecesOptions,
  pause: Pause,
): Promise<Iterable<string>> {
  if (format === 'html') {
    const messages = await reportMessages(trace, pause);
    return exportChunks('html', { messages }, { app: options.app, nonce: options.nonce });
  }
  return exportChunks(format, { messages: trace.messages, decoder: trace.decoder }, { version: options.version });
}

/**
 * The file name the save dialog proposes: the trace's title as a file name (`Timeline:
 * deployment.yaml, service.yaml` gives `deployment-service`) and the format's extension.
 */
export function defaultExportName(title: string, format: ExportFormat): string {
  const base = title
    .replace(/^Timeline:\s*/, '')
    .replace(/\.(ya?ml|json)\b/gi, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/, '');
  return `${base || 'podtrace-trace'}.${exportFileTypes[format].extension}`;
}
