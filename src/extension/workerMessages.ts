// The messages between the extension host and the trace worker (dist/traceWorker.js), one
// union per direction, each validated on arrival like the webview's: a message that does not
// validate is dropped with its reason. This module must not import 'vscode' (the worker
// bundles it).
import { supportedKubernetesVersions, type KubernetesVersion } from '../core/base/kubernetesVersion';
import { runtimeFindingCodes, type RuntimeFinding } from '../core/trace/runtimeFindings';
import { chunkShapeProblem } from '../protocol/traceChunkChecks';
import type { TraceChunk } from '../protocol/traceColumns';
import type { Parsed } from '../protocol/messages';

/** A manifest to apply, by the name the trace's sources will give it. */
export interface ManifestInput {
  readonly name: string;
  readonly text: string;
}

export interface TraceSettings {
  readonly kubernetesVersion: KubernetesVersion;
  readonly seed: number;
  /** Nodes to start with, unless the manifests have Node objects and `nodesGiven` is false. */
  readonly nodes: number;
  readonly nodesGiven: boolean;
  /** Virtual milliseconds per wall millisecond. */
  readonly speed: number;
  /** Run exactly this long in virtual time; null: until quiescent (at most 900 s). */
  readonly untilMs: number | null;
}

// ---------------------------------------------------------------------------------------
// Host → worker

export interface StartTraceRequest {
  readonly type: 'start';
  readonly manifests: readonly ManifestInput[];
  readonly settings: TraceSettings;
}

/** Stop pacing: run the rest at full speed (still in bounded chunks). */
export interface SkipToEndRequest {
  readonly type: 'skipToEnd';
}

export type HostToWorkerMessage = StartTraceRequest | SkipToEndRequest;

// ---------------------------------------------------------------------------------------
// Worker → host

/** The cluster is up and the manifests are being applied. */
export interface TraceStartedNotification {
  readonly type: 'started';
  readonly nodes: number;
  readonly profile: string;
}

export interface TraceChunkNotification {
  readonly type: 'chunk';
  readonly chunk: TraceChunk;
}

/** The run ended by itself: settled, or reached its time limit. */
export interface TraceDoneNotification {
  readonly type: 'done';
  readonly stopReason: 'quiescent' | 'time-limit';
  readonly endedAtMs: number;
  /** `podtrace trace`'s closing line. */
  readonly summary: string;
  /** The text timeline, condensed for large runs, as `podtrace trace` prints it. */
  readonly timeline: string;
  readonly events: number;
  readonly pods: number;
  readonly ready: number;
  readonly findings: readonly RuntimeFinding[];
}

/** The run could not start or broke: `message` says why. */
export interface TraceFailedNotification {
  readonly type: 'failed';
  readonly message: string;
}

/** A line for the Podtrace output channel (a message the worker dropped, and why). */
export interface WorkerLogNotification {
  readonly type: 'log';
  readonly line: string;
}

export type WorkerToHostMessage =
  | TraceStartedNotification
  | TraceChunkNotification
  | TraceDoneNotification
  | TraceFailedNotification
  | WorkerLogNotification;

// ---------------------------------------------------------------------------------------
// Validation

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function result<T>(type: unknown, problem: string | undefined, value: unknown): Parsed<T> {
  if (problem) return { ok: false, reason: `${typeof type === 'string' ? type : 'message'}: ${problem}` };
  return { ok: true, message: value as T };
}

function settingsProblem(s: unknown): string | undefined {
  if (!isRecord(s)) return 'settings: expected an object';
  if (!(supportedKubernetesVersions as readonly unknown[]).includes(s.kubernetesVersion))
    return (
      `settings.kubernetesVersion: expected one of ${supportedKubernetesVersions.join(', ')}, ` +
      `got ${JSON.stringify(s.kubernetesVersion)}`
    );
  if (!isCount(s.seed)) return `settings.seed: expected an integer ≥ 0, got ${JSON.stringify(s.seed)}`;
  if (!isCount(s.nodes)) return `settings.nodes: expected an integer ≥ 0, got ${JSON.stringify(s.nodes)}`;
  if (typeof s.nodesGiven !== 'boolean') return 'settings.nodesGiven: expected a boolean';
  if (!(typeof s.speed === 'number' && Number.isFinite(s.speed) && s.speed > 0))
    return `settings.speed: expected a number above 0, got ${JSON.stringify(s.speed)}`;
  if (!(s.untilMs === null || (isTime(s.untilMs) && s.untilMs > 0)))
    return `settings.untilMs: expected null or a time above 0, got ${JSON.stringify(s.untilMs)}`;
  return undefined;
}

/** Validates a message from the host (in the worker). */
export function parseHostToWorker(value: unknown): Parsed<HostToWorkerMessage> {
  if (!isRecord(value)) return result(undefined, 'expected an object', value);
  switch (value.type) {
    case 'start': {
      const manifests = value.manifests;
      const problem =
        !Array.isArray(manifests) ||
        manifests.length === 0 ||
        !manifests.every((m) => isRecord(m) && isString(m.name) && isString(m.text))
          ? 'manifests: expected a list of at least one {name, text}'
          : settingsProblem(value.settings);
      return result(value.type, problem, value);
    }
    case 'skipToEnd':
      return result(value.type, undefined, value);
    default:
      return result(undefined, `unknown message type ${JSON.stringify(value.type)}`, value);
  }
}

function findingProblem(f: unknown, i: number): string | undefined {
  if (!isRecord(f)) return `findings[${i}]: expected an object`;
  if (!(runtimeFindingCodes as readonly unknown[]).includes(f.code))
    return `findings[${i}].code: expected one of ${runtimeFindingCodes.join(', ')}, got ${JSON.stringify(f.code)}`;
  if (f.severity !== 'warning' || !isString(f.message) || !isCount(f.eventId))
    return `findings[${i}]: expected severity 'warning', a message and an eventId`;
  if (!Array.isArray(f.pods) || !f.pods.every(isString)) return `findings[${i}].pods: expected a list of names`;
  const s = f.source;
  if (
    !isRecord(s) ||
    !isString(s.file) ||
    !isString(s.path) ||
    ![s.line, s.column, s.endLine, s.endColumn].every((n) => isCount(n) && n >= 1)
  )
    return `findings[${i}].source: expected a file, a path and 1-based line, column, endLine and endColumn`;
  return undefined;
}

/**
 * Validates a message from the worker (on the host). A chunk's
 * indexes are checked by whoever keeps the tables (`chunkProblem`).
 */
export function parseWorkerToHost(value: unknown): Parsed<WorkerToHostMessage> {
  if (!isRecord(value)) return result(undefined, 'expected an object', value);
  const { type } = value;
  switch (type) {
    case 'started':
      return result(
        type,
        isCount(value.nodes) && isString(value.profile)
          ? undefined
          : 'expected nodes (an integer ≥ 0) and profile (a string)',
        value,
      );
    case 'chunk':
      return result(type, chunkShapeProblem(value.chunk), value);
    case 'done': {
      let problem: string | undefined;
      if (value.stopReason !== 'quiescent' && value.stopReason !== 'time-limit')
        problem = `stopReason: expected quiescent or time-limit, got ${JSON.stringify(value.stopReason)}`;
      else if (!isTime(value.endedAtMs)) problem = 'endedAtMs: expected a time ≥ 0';
      else if (!isString(value.summary) || !isString(value.timeline))
        problem = 'summary and timeline: expected strings';
      else if (![value.events, value.pods, value.ready].every(isCount))
        problem = 'events, pods and ready: expected counts';
      else if (!Array.isArray(value.findings)) problem = 'findings: expected a list';
      else problem = value.findings.map(findingProblem).find((p) => p !== undefined);
      return result(type, problem, value);
    }
    case 'failed':
      return result(type, isString(value.message) ? undefined : 'message: expected a string', value);
    case 'log':
      return result(type, isString(value.line) ? undefined : 'line: expected a string', value);
    default:
      return result(undefined, `unknown message type ${JSON.stringify(type)}`, value);
  }
}
