// The compact form a trace travels in: from the host (the simulator's worker today, a real
// cluster's watches later) to the timeline app, and inlined in the HTML report. A trace of
// 200,000 events is not sent as 200,000 objects: each chunk carries the strings, objects and
// YAML ranges it adds to three tables, and one column of numbers per event field, which
// indexes into those tables. Chunks come in order; event ids are consecutive from 0.
//
// The form is lossless: TraceChunkDecoder gives back the TraceEvents, pods and routing
// windows that TraceChunkEncoder was given, so the exports can be written from it.
//
// This file holds the form's types and table sizes; traceChunkChecks.ts validates a chunk,
// traceChunkEncoder.ts and traceChunkDecoder.ts make and read chunks.
import type { PodPhase } from '../core/trace/model/podObserver';
import type { Lane, SourceLocation } from '../core/trace/model/traceEvent';

// The timeline app may import only src/protocol at run time; it reads the lane order from here.
export { lanes, type Lane } from '../core/trace/model/traceEvent';

/** A pod's phases in the order a pod reaches them (the trace model's, DESIGN section 6). */
export const podPhases = [
  'created',
  'scheduled',
  'ipAssigned',
  'imagesReady',
  'started',
  'ready',
  'inEndpoints',
  'routable',
] as const satisfies readonly PodPhase[];

/** A YAML range with the field path it stands for (`spec.template.spec.containers[0].image`). */
export interface ChunkSource extends SourceLocation {
  readonly path: string;
}

/** A pod's phases and the step that held it back, replaced whole whenever it changes. */
export interface PodRow {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly node: string | null;
  /** Virtual ms at which each phase was first reached, or null. */
  readonly phases: Readonly<Record<PodPhase, number | null>>;
  /** The id of the event that set each phase, where one did. */
  readonly phaseEvents: Readonly<Partial<Record<PodPhase, number>>>;
  readonly restarts: number;
  readonly heldBy: { readonly step: string; readonly ms: number | null; readonly detail: string | null } | null;
}

/** A window in which an endpoint consumer still routed to a pod that no longer served. */
export interface WindowRow {
  /** Its place in the trace's list of windows: a later chunk may close a window it opened. */
  readonly index: number;
  readonly consumer: string;
  readonly lane: Lane;
  readonly node: string | null;
  readonly service: string;
  readonly pod: string;
  readonly podUid: string;
  readonly ip: string;
  readonly why: string;
  readonly start: number;
  readonly end: number | null;
  readonly eventId: number | null;
}

/** Bits of the `flags` column. */
export const eventFlags = { warning: 1, inferred: 2 } as const;

export interface TraceChunk {
  /** The id of the chunk's first event: the number of events in the chunks before it. */
  readonly firstId: number;
  /** Strings this chunk adds to the string table (their indices go on from the earlier chunks'). */
  readonly strings: readonly string[];
  /**
   * Objects this chunk adds to the object table: four numbers each,
   * string indices of kind, namespace (-1: none), name, uid (-1: none).
   */
  readonly objects: readonly number[];
  /**
   * One per object this chunk adds: the object index of its controller owner (an earlier
   * object: an owner enters the table before what it owns), -1 for none or not known.
   */
  readonly owners: readonly number[];
  /** YAML ranges this chunk adds to the source table. */
  readonly sources: readonly ChunkSource[];
  // One entry per event in each of these columns.
  /** Integer virtual ms from the start of the trace; for a span, when it ended. */
  readonly time: readonly number[];
  /** A span's length in ms; -1 for an instant. */
  readonly duration: readonly number[];
  /** Index in `lanes`. */
  readonly lane: readonly number[];
  /** String index of the node; -1: none. */
  readonly node: readonly number[];
  /** Index in the object table. */
  readonly object: readonly number[];
  /** String index of the part of the object (`spec.containers{web}`); -1: none. */
  readonly fieldPath: readonly number[];
  readonly reason: readonly number[];
  readonly message: readonly number[];
  /** `eventFlags` bits. */
  readonly flags: readonly number[];
  /** Index in the source table; -1: none. */
  readonly source: readonly number[];
  /** How many causes each event has; its causes follow those of the events before it in `causes`. */
  readonly causeCount: readonly number[];
  readonly causes: readonly number[];
  /** Pods whose summary changed since the last chunk. */
  readonly pods: readonly PodRow[];
  /** Routing windows opened or closed since the last chunk. */
  readonly windows: readonly WindowRow[];
  /** The source's virtual time when the chunk was cut (later than its last event while the trace goes on quietly). */
  readonly clockMs: number;
}

/** The sizes of the tables after the chunks so far: what a new chunk may refer to. */
export interface TraceTableSizes {
  readonly events: number;
  readonly strings: number;
  readonly objects: number;
  readonly sources: number;
}

export const emptyTableSizes: TraceTableSizes = { events: 0, strings: 0, objects: 0, sources: 0 };

/** The columns with one number per event, in the order the encoder fills them. */
export const eventColumns = [
  'time',
  'duration',
  'lane',
  'node',
  'object',
  'fieldPath',
  'reason',
  'message',
  'flags',
  'source',
  'causeCount',
] as const;

/** The number of events in a chunk. */
export function chunkLength(chunk: TraceChunk): number {
  return chunk.time.length;
}

/** The sizes after `chunk` is appended to tables of `sizes`. */
export function sizesAfter(sizes: TraceTableSizes, chunk: TraceChunk): TraceTableSizes {
  return {
    events: sizes.events + chunkLength(chunk),
    strings: sizes.strings + chunk.strings.length,
    objects: sizes.objects + chunk.objects.length / 4,
    sources: sizes.sources + chunk.sources.length,
  };
}
