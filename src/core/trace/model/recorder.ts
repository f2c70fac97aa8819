// Collects TraceEvents as the simulator emits them. Events are appended in emission
// order, which is virtual-time order because the engine only moves forward; ids are
// their index, so `causes` are cheap integer references.
import { flat } from '../../base/flatString';
import type { EventCause } from './eventCause';
import { ObjectRefs } from './objectRefs';
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
  /** What in the object made the event happen, where the emitter knows it (what source mapping reads). */
  readonly cause?: EventCause;
  readonly duration?: number;
}

/** A recorded event: the document's fields (`source` set once a source index is attached). */
interface RecordedEvent extends TraceEvent {
  duration: number | undefined;
  source: number | undefined;
}

/** Gives an event its index in a document's sources table (undefined: none). */
export type SourceIndexer = (event: TraceEvent) => number | undefined;

export class TraceRecorder {
  readonly events: TraceEvent[] = [];
  /** The references the events name their objects by, one per object. */
  readonly refs = new ObjectRefs();
  /** Each event's field path, by id: beside the events rather than in them (the document has no such field). */
  private readonly fieldPaths: (string | undefined)[] = [];
  /** Each event's cause, by id, kept beside the events for the same reason. */
  private readonly eventCauses: (EventCause | undefined)[] = [];
  /** What every event of this recorder inherits: `fieldPath` and `cause`, read from the tables above. */
  private readonly eventPrototype: object;

  constructor() {
    const fieldPaths = this.fieldPaths;
    const eventCauses = this.eventCauses;
    this.eventPrototype = {
      get fieldPath(): string | undefined {
        return fieldPaths[(this as TraceEvent).id];
      },
      get cause(): EventCause | undefined {
        return eventCauses[(this as TraceEvent).id];
      },
    };
  }

  /** Indexes every event recorded so far by the YAML range that caused it (once the run is over: one pass). */
  indexSources(indexer: SourceIndexer): void {
    const events = this.events;
    for (let i = 0; i < events.length; i++) (events[i] as RecordedEvent).source = indexer(events[i]);
  }

  emit(input: EmitInput): number {
    const id = this.events.length;
    // A span's length is in whole ms, as the engine waits them (it rounds every delay).
    const duration = input.duration === undefined ? undefined : Math.round(input.duration);
    // The fields in the order of the document's keys, every one present (`undefined` when
    // unset, which JSON.stringify skips): all events share one shape and the document
    // serializes the events themselves. An object literal rather than `new`: V8 allocates
    // the objects of a literal that mostly survive (every recorded event lives to the end of
    // the run) straight into the old generation, where a class's instances are first copied
    // through the young one twice.
    const event = {
      __proto__: this.eventPrototype,
      id,
      time: input.time,
      lane: input.lane,
      node: input.node,
      object: input.object,
      reason: input.reason,
      message: flat(input.message),
      severity: input.severity ?? 'Normal',
      causes: input.causes ?? noCauses,
      duration,
      source: undefined,
    } as unknown as RecordedEvent;
    this.fieldPaths.push(input.fieldPath);
    this.eventCauses.push(input.cause);
    this.events.push(event);
    return id;
  }
}

/** No causes: one list for every event without any. */
export const noCauses: readonly number[] = Object.freeze([]);
