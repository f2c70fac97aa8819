// Collects TraceEvents as the simulator emits them. Events are appended in emission
// order, which is virtual-time order because the engine only moves forward; ids are
// their index, so `causes` are cheap integer references.
import { flat } from '../base/flatString';
import type { EventSeverity, Lane, ObjectRef, TraceEvent } from './traceEvent';

export interface EmitInput {
  readonly time: number;
  readonly lane: Lane;
  readonly node: string | null;
  readonly object: ObjectRef;
  readonly fieldPath?: string;
  readonly reason: string;
  readonly message: string;
  readonly severity?: EventSeverity;
  readonly causes?: readonly number[];
  readonly duration?: number;
}

/** Where a recorded event keeps its field path: a symbol, so that JSON.stringify leaves it out (the document has no such field). */
const fieldPathKey = Symbol('podtrace.fieldPath');

/**
 * A recorded event. Its fields are written in the order of the `--json` document's keys and
 * every event has all of them (`undefined` when unset, which JSON.stringify skips), so all
 * events share one shape and the document serializes the events themselves. (Assigned in the
 * constructor rather than declared as class fields: defining fields costs more, per event.)
 */
class RecordedEvent implements TraceEvent {
  declare readonly id: number;
  declare readonly time: number;
  declare readonly lane: Lane;
  declare readonly node: string | null;
  declare readonly object: ObjectRef;
  declare readonly reason: string;
  declare readonly message: string;
  declare readonly severity: EventSeverity;
  declare readonly causes: readonly number[];
  declare duration: number | undefined;
  /** The event's index in the document's `sources` table, once a source index is attached. */
  declare source: number | undefined;
  declare [fieldPathKey]: string | undefined;

  constructor(id: number, time: number, lane: Lane, node: string | null, object: ObjectRef, reason: string, message: string, severity: EventSeverity, causes: readonly number[], duration: number | undefined, fieldPath: string | undefined) {
    const self = this as { -readonly [K in keyof RecordedEvent]: RecordedEvent[K] };
    self.id = id;
    self.time = time;
    self.lane = lane;
    self.node = node;
    self.object = object;
    self.reason = reason;
    self.message = message;
    self.severity = severity;
    self.causes = causes;
    self.duration = duration;
    self.source = undefined;
    self[fieldPathKey] = fieldPath;
  }

  get fieldPath(): string | undefined {
    return this[fieldPathKey];
  }
}

/** Gives an event its index in a document's sources table (undefined: none). */
export type SourceIndexer = (event: TraceEvent) => number | undefined;

export class TraceRecorder {
  readonly events: TraceEvent[] = [];
  private indexer: SourceIndexer | undefined;

  /** Indexes every event, those recorded so far and those to come, by the YAML range that caused it. */
  indexSources(indexer: SourceIndexer): void {
    this.indexer = indexer;
    const events = this.events;
    for (let i = 0; i < events.length; i++) (events[i] as RecordedEvent).source = indexer(events[i]);
  }

  emit(input: EmitInput): number {
    const id = this.events.length;
    // A span's length is in whole ms, as the engine waits them (it rounds every delay).
    const duration = input.duration === undefined ? undefined : Math.round(input.duration);
    const event = new RecordedEvent(id, input.time, input.lane, input.node, input.object, input.reason, flat(input.message), input.severity ?? 'Normal', input.causes ?? noCauses, duration, input.fieldPath);
    if (this.indexer !== undefined) event.source = this.indexer(event);
    this.events.push(event);
    return id;
  }
}

/** No causes: one list for every event without any. */
export const noCauses: readonly number[] = Object.freeze([]);
