// Every message between the extension host and the timeline webview, one discriminated
// union per direction. Messages are named by direction (`…Notification` for news, `…Request`
// for asking the other side to act). Both sides validate what they receive with the parse
// functions below and drop what does not validate, logging the reason.
//
// The HTML report feeds the same host messages to the same app from data inlined in the page.
import { lanes, type Lane, type SourceLocation } from '../core/trace/model/traceEvent';
import { chunkShapeProblem } from './traceChunkChecks';
import type { TraceChunk } from './traceColumns';

/** What a trace was run against and how; shown in the app's title bar and kept in the report. */
export interface TraceMeta {
  /** `embedded simulator`, or the kubeconfig context's name. */
  readonly target: string;
  readonly kubernetesVersion: string;
  readonly seed: number | null;
  readonly profile: string | null;
  readonly nodes: number | null;
  /** The manifest files the trace's sources name, as they name them. */
  readonly files: readonly string[];
}

// ---------------------------------------------------------------------------------------
// Host → webview

/** A new trace starts: the app forgets the one it shows. */
export interface TraceResetNotification {
  readonly type: 'traceReset';
  readonly title: string;
  readonly meta: TraceMeta;
  /** Whether events will stream in (follow live makes sense) or the trace is complete. */
  readonly live: boolean;
  /**
   * The filters the user last chose in this workspace, which a new panel starts with. The
   * app applies them unless it has a view state of its own for this trace (a reloaded
   * webview keeps its own). The HTML report never carries them.
   */
  readonly filters?: TimelineFilters;
}

/** The trace's next events, in the compact form. */
export interface EventsAppendedNotification {
  readonly type: 'eventsAppended';
  readonly chunk: TraceChunk;
}

/** The trace is complete: it settled, hit its time limit, or was cancelled. */
export interface TraceFinishedNotification {
  readonly type: 'traceFinished';
  /** `quiescent`, `time-limit`, `cancelled`, or `failed` (with `summary` saying why). */
  readonly stopReason: 'quiescent' | 'time-limit' | 'cancelled' | 'failed';
  readonly endedAtMs: number;
  /** One line for the status bar: events, pods, ready, nodes, when it settled. */
  readonly summary: string;
}

/** Where the cursor is in the YAML: the app highlights that object's rows and events. */
export interface SourceSelection {
  /** The file as the trace's sources name it. */
  readonly file: string;
  /** 1-based, as SourceLocation. */
  readonly line: number;
  readonly column: number;
  /** The YAML document (one object, or a List) holding the cursor, 1-based lines, inclusive. */
  readonly documentStartLine: number;
  readonly documentEndLine: number;
}

export interface SourceSelectionChangedNotification {
  readonly type: 'sourceSelectionChanged';
  /** null: the cursor is in no manifest of the trace. */
  readonly selection: SourceSelection | null;
}

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** VS Code's colour theme changed: the canvas reads its colours again. */
export interface ThemeChangedNotification {
  readonly type: 'themeChanged';
  readonly theme: ThemeKind;
}

export type HostToWebviewMessage =
  | TraceResetNotification
  | EventsAppendedNotification
  | TraceFinishedNotification
  | SourceSelectionChangedNotification
  | ThemeChangedNotification;

// ---------------------------------------------------------------------------------------
// Webview → host

/** The app has loaded (or reloaded) and wants the trace from the start. */
export interface ReadyNotification {
  readonly type: 'ready';
}

/** The user picked an event: reveal and select the YAML range that caused it. */
export interface RevealSourceRequest {
  readonly type: 'revealSource';
  readonly eventId: number;
  readonly source: SourceLocation;
}

export const exportFormats = ['html', 'trace-json', 'perfetto', 'otlp'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** The user asked to save the trace: the report, the trace JSON, Perfetto's JSON or OTLP JSON. */
export interface ExportRequestedNotification {
  readonly type: 'exportRequested';
  readonly format: ExportFormat;
}

export const severityFilters = ['all', 'warning'] as const;

/** What the timeline shows; the host keeps the latest for the next trace it opens. */
export interface TimelineFilters {
  readonly hiddenLanes: readonly Lane[];
  readonly severity: (typeof severityFilters)[number];
  /** Events whose reason, message or object holds this text (case-insensitive); empty: all. */
  readonly text: string;
  /** Rows of objects whose `kind/name` holds this text; empty: all. */
  readonly object: string;
}

export interface FiltersChangedNotification {
  readonly type: 'filtersChanged';
  readonly filters: TimelineFilters;
}

export const runControlActions = ['skipToEnd', 'cancel'] as const;

/** The user asked the run to skip to its end (no more pacing) or to stop. */
export interface RunControlRequest {
  readonly type: 'runControl';
  readonly action: (typeof runControlActions)[number];
}

export type WebviewToHostMessage =
  | ReadyNotification
  | RevealSourceRequest
  | ExportRequestedNotification
  | FiltersChangedNotification
  | RunControlRequest;

// ---------------------------------------------------------------------------------------
// Validation

export type Parsed<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly reason: string };

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isNullableInt = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isInteger(v));

function ok<T>(message: T): Parsed<T> {
  return { ok: true, message };
}

function bad<T>(type: unknown, reason: string): Parsed<T> {
  return { ok: false, reason: `${typeof type === 'string' ? type : 'message'}: ${reason}` };
}

function metaProblem(meta: unknown): string | undefined {
  if (!isRecord(meta)) return 'meta: expected an object';
  if (!isString(meta.target) || !isString(meta.kubernetesVersion))
    return 'meta: expected target and kubernetesVersion as strings';
  if (!isNullableInt(meta.seed) || !isNullableInt(meta.nodes) || !(meta.profile === null || isString(meta.profile)))
    return 'meta: expected seed, nodes and profile as numbers, strings or null';
  if (!Array.isArray(meta.files) || !meta.files.every(isString)) return 'meta: expected files as a list of strings';
  return undefined;
}

function selectionProblem(s: unknown): string | undefined {
  if (s === null) return undefined;
  if (!isRecord(s) || !isString(s.file)) return 'selection: expected null or an object with a file';
  if (![s.line, s.column, s.documentStartLine, s.documentEndLine].every(isPositiveInt))
    return 'selection: expected 1-based line, column and document lines';
  if ((s.documentStartLine as number) > (s.documentEndLine as number))
    return 'selection: the document ends before it starts';
  return undefined;
}

function sourceProblem(s: unknown): string | undefined {
  if (!isRecord(s) || !isString(s.file)) return 'source: expected an object with a file';
  if (![s.line, s.column, s.endLine, s.endColumn].every(isPositiveInt))
    return 'source: expected 1-based line, column, endLine and endColumn';
  return undefined;
}

function filtersProblem(f: unknown): string | undefined {
  if (!isRecord(f)) return 'filters: expected an object';
  if (!Array.isArray(f.hiddenLanes) || !f.hiddenLanes.every((l) => (lanes as readonly unknown[]).includes(l)))
    return 'filters: hiddenLanes must be lanes';
  if (!(severityFilters as readonly unknown[]).includes(f.severity))
    return `filters: severity must be one of ${severityFilters.join(', ')}`;
  if (!isString(f.text) || !isString(f.object)) return 'filters: text and object must be strings';
  return undefined;
}

const themes: readonly ThemeKind[] = ['light', 'dark', 'high-contrast', 'high-contrast-light'];
const stopReasons: readonly TraceFinishedNotification['stopReason'][] = [
  'quiescent',
  'time-limit',
  'cancelled',
  'failed',
];

/** Validates a message from the host. The chunk's indexes are checked by whoever holds the tables. */
export function parseHostMessage(value: unknown): Parsed<HostToWebviewMessage> {
  if (!isRecord(value)) return bad(undefined, 'expected an object');
  const { type } = value;
  let problem: string | undefined;
  switch (type) {
    case 'traceReset':
      problem = !isString(value.title)
        ? 'title: expected a string'
        : typeof value.live !== 'boolean'
          ? 'live: expected a boolean'
          : (metaProblem(value.meta) ?? (value.filters === undefined ? undefined : filtersProblem(value.filters)));
      break;
    case 'eventsAppended':
      problem = chunkShapeProblem(value.chunk);
      break;
    case 'traceFinished':
      problem = !stopReasons.includes(value.stopReason as never)
        ? `stopReason: expected one of ${stopReasons.join(', ')}`
        : typeof value.endedAtMs !== 'number' || !Number.isFinite(value.endedAtMs)
          ? 'endedAtMs: expected a number'
          : !isString(value.summary)
            ? 'summary: expected a string'
            : undefined;
      break;
    case 'sourceSelectionChanged':
      problem = selectionProblem(value.selection);
      break;
    case 'themeChanged':
      problem = themes.includes(value.theme as ThemeKind) ? undefined : `theme: expected one of ${themes.join(', ')}`;
      break;
    default:
      return bad(undefined, `unknown message type ${JSON.stringify(type)}`);
  }
  return problem ? bad(type, problem) : ok(value as unknown as HostToWebviewMessage);
}

/** Validates a message from the webview. */
export function parseWebviewMessage(value: unknown): Parsed<WebviewToHostMessage> {
  if (!isRecord(value)) return bad(undefined, 'expected an object');
  const { type } = value;
  switch (type) {
    case 'ready':
      return ok({ type });
    case 'revealSource': {
      if (!(typeof value.eventId === 'number' && Number.isInteger(value.eventId) && value.eventId >= 0))
        return bad(type, 'eventId: expected an integer ≥ 0');
      const problem = sourceProblem(value.source);
      if (problem) return bad(type, problem);
      const s = value.source as SourceLocation;
      return ok({
        type,
        eventId: value.eventId,
        source: { file: s.file, line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn },
      });
    }
    case 'exportRequested':
      return (exportFormats as readonly unknown[]).includes(value.format)
        ? ok({ type, format: value.format as ExportFormat })
        : bad(type, `format: expected one of ${exportFormats.join(', ')}`);
    case 'filtersChanged': {
      const problem = filtersProblem(value.filters);
      if (problem) return bad(type, problem);
      const f = value.filters as unknown as TimelineFilters;
      return ok({
        type,
        filters: { hiddenLanes: [...f.hiddenLanes], severity: f.severity, text: f.text, object: f.object },
      });
    }
    case 'runControl':
      return (runControlActions as readonly unknown[]).includes(value.action)
        ? ok({ type, action: value.action as RunControlRequest['action'] })
        : bad(type, `action: expected one of ${runControlActions.join(', ')}`);
    default:
      return bad(undefined, `unknown message type ${JSON.stringify(type)}`);
  }
}

// ---------------------------------------------------------------------------------------
// The HTML report

/** What the report inlines in its data block: the host messages that make up the trace, in order. */
export interface ReportData {
  readonly format: 1;
  readonly messages: readonly HostToWebviewMessage[];
}

/** Validates the report's data block (each message is then parsed as the host's are). */
export function reportDataProblem(value: unknown): string | undefined {
  if (!isRecord(value) || value.format !== 1) return 'expected {"format": 1, "messages": [...]}';
  if (!Array.isArray(value.messages)) return 'messages: expected a list';
  return undefined;
}
