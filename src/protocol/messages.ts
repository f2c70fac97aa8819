// Every message between the extension host and the timeline webview. Messages are named
// by direction; both sides validate what they receive before acting on it.
import { isLane, type TraceEvent } from '../core/trace/traceEvent';

/** Host → webview: the whole trace so far (sent on open and after a reload). */
export interface TraceSnapshotNotification {
  readonly type: 'traceSnapshot';
  readonly title: string;
  readonly events: readonly TraceEvent[];
}

/** Host → webview: events appended since the last message. */
export interface TraceEventsNotification {
  readonly type: 'traceEvents';
  readonly events: readonly TraceEvent[];
}

export type HostToWebviewMessage = TraceSnapshotNotification | TraceEventsNotification;

/** Webview → host: the app has loaded and wants the trace. */
export interface ReadyNotification {
  readonly type: 'ready';
}

/** Webview → host: the user clicked an event; reveal the YAML that caused it. */
export interface RevealSourceRequest {
  readonly type: 'revealSource';
  readonly eventId: number;
}

export type WebviewToHostMessage = ReadyNotification | RevealSourceRequest;

export function assertNever(value: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(value)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isTraceEvent(value: unknown): value is TraceEvent {
  if (!isRecord(value)) return false;
  const object = value.object;
  return (
    Number.isInteger(value.id) &&
    typeof value.time === 'number' &&
    Number.isFinite(value.time) &&
    isLane(value.lane) &&
    (value.node === null || isString(value.node)) &&
    isRecord(object) &&
    isString(object.kind) &&
    isString(object.name) &&
    isString(value.reason) &&
    isString(value.message) &&
    (value.severity === 'Normal' || value.severity === 'Warning') &&
    Array.isArray(value.causes) &&
    value.causes.every((c) => Number.isInteger(c))
  );
}

/** Validates a message from the host; undefined when it is not one. */
export function parseHostMessage(value: unknown): HostToWebviewMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'traceSnapshot':
      return isString(value.title) && Array.isArray(value.events) && value.events.every(isTraceEvent)
        ? (value as unknown as TraceSnapshotNotification)
        : undefined;
    case 'traceEvents':
      return Array.isArray(value.events) && value.events.every(isTraceEvent) ? (value as unknown as TraceEventsNotification) : undefined;
    default:
      return undefined;
  }
}

/** Validates a message from the webview; undefined when it is not one. */
export function parseWebviewMessage(value: unknown): WebviewToHostMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'revealSource':
      return Number.isInteger(value.eventId) ? { type: 'revealSource', eventId: value.eventId as number } : undefined;
    default:
      return undefined;
  }
}
