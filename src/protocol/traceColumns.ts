// The compact form a trace travels in: from the host (the simulator's worker today, a real
// cluster's watches later) to the timeline app, and inlined in the HTML report. A trace of
// 200,000 events is not sent as 200,000 objects: each chunk carries the strings, objects and
// YAML ranges it adds to three tables, and one column of numbers per event field, which
// indexes into those tables. Chunks come in order; event ids are consecutive from 0.
//
// The form is lossless: TraceChunkDecoder gives back the TraceEvents, pods and routing
// windows that TraceChunkEncoder was given, so the exports can be written from it.
import type { PodPhase } from '../core/trace/model/podObserver';
import type { OwnerOf } from '../core/trace/traceObjects';
import {
  lanes,
  type EventSeverity,
  type Lane,
  type ObjectRef,
  type SourceLocation,
  type TraceEvent,
} from '../core/trace/model/traceEvent';

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
  /** Objects this chunk adds to the object table: four numbers each, string indices of kind, namespace (-1: none), name, uid (-1: none). */
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

const eventColumns = [
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

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function allInts(list: readonly unknown[] | Int32Array, min: number, max: number): boolean {
  if (list instanceof Int32Array) {
    // Integers by construction (the panel sends its columns so): only the range is checked.
    for (let i = 0; i < list.length; i++) if (list[i] < min || list[i] > max) return false;
    return true;
  }
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return false;
  }
  return true;
}

/**
 * Why a chunk cannot be appended to tables of `sizes`, or undefined when it can: every
 * index it holds must point into the tables as they will be with it, and its causes must be
 * earlier events. Times need not be in order (a real cluster's events can arrive late); the
 * simulator's always are. The shape (`chunkShapeProblem`) is checked first.
 */
export function chunkProblem(chunk: TraceChunk, sizes: TraceTableSizes): string | undefined {
  if (chunk.firstId !== sizes.events)
    return `expected the chunk starting at event ${sizes.events}, got one starting at ${chunk.firstId}`;
  const after = sizesAfter(sizes, chunk);
  const n = chunkLength(chunk);
  const strings = after.strings - 1;
  if (!Number.isInteger(after.objects)) return `objects: expected four numbers per object, got ${chunk.objects.length}`;
  for (let i = 0; i < chunk.objects.length; i += 4) {
    const [kind, namespace, name, uid] = [
      chunk.objects[i],
      chunk.objects[i + 1],
      chunk.objects[i + 2],
      chunk.objects[i + 3],
    ];
    if (!(
      kind >= 0 &&
      kind <= strings &&
      namespace >= -1 &&
      namespace <= strings &&
      name >= 0 &&
      name <= strings &&
      uid >= -1 &&
      uid <= strings
    )) {
      return `objects[${i / 4}]: a string index outside the table of ${after.strings}`;
    }
  }
  if (chunk.owners.length !== chunk.objects.length / 4)
    return `owners: expected one per object added (${chunk.objects.length / 4}), got ${chunk.owners.length}`;
  for (let i = 0; i < chunk.owners.length; i++) {
    const owner = chunk.owners[i];
    if (!(isInt(owner) && owner >= -1 && owner < sizes.objects + i))
      return `owners[${i}]: expected -1 or an earlier object, got ${owner}`;
  }
  const ranges: readonly [string, number, number][] = [
    ['lane', 0, lanes.length - 1],
    ['node', -1, strings],
    ['object', 0, after.objects - 1],
    ['fieldPath', -1, strings],
    ['reason', 0, strings],
    ['message', 0, strings],
    ['flags', 0, 3],
    ['source', -1, after.sources - 1],
    ['causeCount', 0, Number.MAX_SAFE_INTEGER],
    ['duration', -1, Number.MAX_SAFE_INTEGER],
  ];
  for (const [column, min, max] of ranges) {
    if (!allInts(chunk[column as keyof TraceChunk] as readonly number[], min, max))
      return `${column}: an entry outside ${min}…${max}`;
  }
  for (let i = 0; i < n; i++) {
    const t = chunk.time[i];
    if (!(typeof t === 'number' && Number.isFinite(t) && t >= 0))
      return `time[${i}]: expected a finite time ≥ 0, got ${t}`;
  }
  let causes = 0;
  for (let i = 0; i < n; i++) causes += chunk.causeCount[i];
  if (causes !== chunk.causes.length)
    return `causes: the counts add up to ${causes}, the list holds ${chunk.causes.length}`;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const id = sizes.events + i;
    for (let k = 0; k < chunk.causeCount[i]; k++, c++) {
      const cause = chunk.causes[c];
      if (!(isInt(cause) && cause >= 0 && cause < id)) return `causes of event ${id}: ${cause} is not an earlier event`;
    }
  }
  if (!(Number.isFinite(chunk.clockMs) && chunk.clockMs >= 0))
    return `clockMs: expected a finite time ≥ 0, got ${chunk.clockMs}`;
  for (const w of chunk.windows)
    if (w.eventId !== null && w.eventId >= after.events)
      return `windows[${w.index}]: event ${w.eventId} is not in the trace`;
  for (const p of chunk.pods) {
    for (const phase of podPhases) {
      const id = p.phaseEvents[phase];
      if (id !== undefined && id >= after.events)
        return `pod ${p.namespace}/${p.name}: the event of phase ${phase}, ${id}, is not in the trace`;
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isNullableNumber = (v: unknown): v is number | null =>
  v === null || (typeof v === 'number' && Number.isFinite(v));

function isSource(v: unknown): v is ChunkSource {
  return (
    isRecord(v) &&
    isString(v.file) &&
    isString(v.path) &&
    [v.line, v.column, v.endLine, v.endColumn].every((n) => isInt(n) && n >= 1)
  );
}

function isPodRow(v: unknown): v is PodRow {
  if (
    !isRecord(v) ||
    !isString(v.uid) ||
    !isString(v.namespace) ||
    !isString(v.name) ||
    !isNullableString(v.node) ||
    !isInt(v.restarts)
  )
    return false;
  const { phases, phaseEvents, heldBy } = v;
  if (!isRecord(phases) || !podPhases.every((p) => isNullableNumber(phases[p]))) return false;
  if (
    !isRecord(phaseEvents) ||
    !Object.entries(phaseEvents).every(
      ([k, id]) => (podPhases as readonly string[]).includes(k) && isInt(id) && id >= 0,
    )
  )
    return false;
  return (
    heldBy === null ||
    (isRecord(heldBy) && isString(heldBy.step) && isNullableNumber(heldBy.ms) && isNullableString(heldBy.detail))
  );
}

function isWindowRow(v: unknown): v is WindowRow {
  return (
    isRecord(v) &&
    isInt(v.index) &&
    v.index >= 0 &&
    [v.consumer, v.service, v.pod, v.podUid, v.ip, v.why].every(isString) &&
    typeof v.lane === 'string' &&
    (lanes as readonly string[]).includes(v.lane) &&
    isNullableString(v.node) &&
    typeof v.start === 'number' &&
    Number.isFinite(v.start) &&
    isNullableNumber(v.end) &&
    (v.eventId === null || (isInt(v.eventId) && v.eventId >= 0))
  );
}

function isNumberList(v: unknown): v is readonly number[] {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Why `value` is not a TraceChunk in shape, or undefined when it is one (the indexes are `chunkProblem`'s). */
export function chunkShapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'expected an object';
  if (!isInt(value.firstId) || value.firstId < 0) return 'firstId: expected an integer ≥ 0';
  if (!Array.isArray(value.strings) || !value.strings.every(isString)) return 'strings: expected a list of strings';
  if (!isNumberList(value.objects)) return 'objects: expected a list of numbers';
  if (!isNumberList(value.owners)) return 'owners: expected a list of numbers';
  if (!Array.isArray(value.sources) || !value.sources.every(isSource)) return 'sources: expected a list of YAML ranges';
  const n = isNumberList(value.time) ? value.time.length : -1;
  if (n < 0) return 'time: expected a list of numbers';
  for (const column of eventColumns) {
    const list = value[column];
    if (!isNumberList(list) || list.length !== n) return `${column}: expected ${n} numbers, one per event`;
  }
  if (!isNumberList(value.causes)) return 'causes: expected a list of numbers';
  if (!Array.isArray(value.pods) || !value.pods.every(isPodRow)) return 'pods: expected a list of pod summaries';
  if (!Array.isArray(value.windows) || !value.windows.every(isWindowRow))
    return 'windows: expected a list of routing windows';
  if (typeof value.clockMs !== 'number') return 'clockMs: expected a number';
  return undefined;
}

/** Turns TraceEvents into chunks, keeping the tables the chunks so far have built. */
export class TraceChunkEncoder {
  private readonly strings = new Map<string, number>();
  private readonly objectsByRef = new Map<ObjectRef, number>();
  private readonly objectsByKey = new Map<string, number>();
  private readonly sources = new Map<ChunkSource, number>();
  private readonly sourcesByKey = new Map<string, number>();
  private nextEvent = 0;
  private objectCount = 0;
  private lastClock = 0;

  /**
   * `sourceOf` gives each event the YAML range that caused it, when known; `ownerOf` each
   * object's controller owner (the simulator's store knows them: `ownersFromLineage`).
   */
  constructor(
    private readonly sourceOf: (event: TraceEvent) => ChunkSource | undefined = () => undefined,
    private readonly ownerOf: OwnerOf = () => undefined,
  ) {}

  /** The events encoded so far: the id the next chunk starts at. */
  get encodedEvents(): number {
    return this.nextEvent;
  }

  /**
   * The chunk of `events` (the trace's next events, ids consecutive from `encodedEvents`),
   * with the pods and windows that changed and the source's clock.
   */
  encode(
    events: readonly TraceEvent[],
    pods: readonly PodRow[] = [],
    windows: readonly WindowRow[] = [],
    clockMs?: number,
  ): TraceChunk {
    const strings: string[] = [];
    const objects: number[] = [];
    const owners: number[] = [];
    const sources: ChunkSource[] = [];
    const n = events.length;
    const column = () => new Array<number>(n);
    const [time, duration, lane, node, object, fieldPath, reason, message, flags, source, causeCount] =
      eventColumns.map(column);
    const causes: number[] = [];
    const str = (s: string): number => {
      let i = this.strings.get(s);
      if (i === undefined) {
        i = this.strings.size;
        this.strings.set(s, i);
        strings.push(s);
      }
      return i;
    };
    const laneIndex = new Map(lanes.map((l, i) => [l, i]));
    for (let i = 0; i < n; i++) {
      const e = events[i];
      if (e.id !== this.nextEvent + i)
        throw new Error(`TraceChunkEncoder: expected event ${this.nextEvent + i}, got ${e.id}`);
      time[i] = e.time;
      duration[i] = e.duration ?? -1;
      lane[i] = laneIndex.get(e.lane)!;
      node[i] = e.node === null ? -1 : str(e.node);
      object[i] = this.objectIndex(e.object, str, objects, owners);
      fieldPath[i] = e.fieldPath === undefined ? -1 : str(e.fieldPath);
      reason[i] = str(e.reason);
      message[i] = str(e.message);
      flags[i] = (e.severity === 'Warning' ? eventFlags.warning : 0) | (e.observed === false ? eventFlags.inferred : 0);
      source[i] = this.sourceIndex(this.sourceOf(e), sources);
      causeCount[i] = e.causes.length;
      for (const c of e.causes) causes.push(c);
    }
    const firstId = this.nextEvent;
    this.nextEvent += n;
    const last = n > 0 ? time[n - 1] : 0;
    this.lastClock = Math.max(this.lastClock, last, clockMs ?? 0);
    return {
      firstId,
      strings,
      objects,
      owners,
      sources,
      time,
      duration,
      lane,
      node,
      object,
      fieldPath,
      reason,
      message,
      flags,
      source,
      causeCount,
      causes,
      pods,
      windows,
      clockMs: this.lastClock,
    };
  }

  private objectIndex(ref: ObjectRef, str: (s: string) => number, out: number[], owners: number[], depth = 0): number {
    let index = this.objectsByRef.get(ref);
    if (index !== undefined) return index;
    const key = `${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}\u0000${ref.uid ?? ''}`;
    index = this.objectsByKey.get(key);
    if (index === undefined) {
      // The owner first, so that it is an earlier object (a chain of owners is short; the
      // bound only guards against a cycle in what `ownerOf` says).
      const owner = this.ownerOf(ref);
      const ownerIndex = owner && depth < 16 ? this.objectIndex(owner, str, out, owners, depth + 1) : -1;
      index = this.objectCount++;
      this.objectsByKey.set(key, index);
      out.push(
        str(ref.kind),
        ref.namespace === null ? -1 : str(ref.namespace),
        str(ref.name),
        ref.uid === null ? -1 : str(ref.uid),
      );
      owners.push(ownerIndex);
    }
    this.objectsByRef.set(ref, index);
    return index;
  }

  private sourceIndex(source: ChunkSource | undefined, out: ChunkSource[]): number {
    if (!source) return -1;
    let index = this.sources.get(source);
    if (index !== undefined) return index;
    const key = `${source.file}\u0000${source.line}\u0000${source.column}\u0000${source.endLine}\u0000${source.endColumn}\u0000${source.path}`;
    index = this.sourcesByKey.get(key);
    if (index === undefined) {
      index = this.sourcesByKey.size;
      this.sourcesByKey.set(key, index);
      out.push({
        file: source.file,
        line: source.line,
        column: source.column,
        endLine: source.endLine,
        endColumn: source.endColumn,
        path: source.path,
      });
    }
    this.sources.set(source, index);
    return index;
  }
}

/** A decoded event: the model's fields, with `source` its index in the decoder's `sources` and `object` one of its `objects`. */
export type DecodedEvent = TraceEvent;

/**
 * Rebuilds the trace from its chunks (on the host, for the exports): the events with their
 * `source` index into `sources`, the latest summary of every pod, every window.
 */
export class TraceChunkDecoder {
  readonly events: DecodedEvent[] = [];
  readonly strings: string[] = [];
  readonly objects: ObjectRef[] = [];
  /** Each object's controller owner, by object index (undefined: none known). */
  readonly owners: (ObjectRef | undefined)[] = [];
  readonly sources: ChunkSource[] = [];
  readonly pods = new Map<string, PodRow>();
  /** Owners by the owned object's uid (what callers hold may be a copy of a decoded object). */
  private readonly ownersByUid = new Map<string, ObjectRef>();
  readonly windows: WindowRow[] = [];
  clockMs = 0;

  /** The controller owner of an object, by its uid (as the encoder's `ownerOf` said). */
  readonly ownerOf: OwnerOf = (object) => (object.uid === null ? undefined : this.ownersByUid.get(object.uid));

  get sizes(): TraceTableSizes {
    return {
      events: this.events.length,
      strings: this.strings.length,
      objects: this.objects.length,
      sources: this.sources.length,
    };
  }

  /** Appends a chunk; throws with the reason when it does not fit the chunks before it. */
  append(chunk: TraceChunk): void {
    const problem = chunkShapeProblem(chunk) ?? chunkProblem(chunk, this.sizes);
    if (problem) throw new Error(`trace chunk at event ${chunk.firstId}: ${problem}`);
    for (const s of chunk.strings) this.strings.push(s);
    const s = this.strings;
    for (let i = 0; i < chunk.objects.length; i += 4) {
      const [kind, namespace, name, uid] = [
        chunk.objects[i],
        chunk.objects[i + 1],
        chunk.objects[i + 2],
        chunk.objects[i + 3],
      ];
      const ref: ObjectRef = {
        kind: s[kind],
        namespace: namespace < 0 ? null : s[namespace],
        name: s[name],
        uid: uid < 0 ? null : s[uid],
      };
      const owner = chunk.owners[i / 4] < 0 ? undefined : this.objects[chunk.owners[i / 4]];
      this.objects.push(ref);
      this.owners.push(owner);
      if (owner && ref.uid !== null) this.ownersByUid.set(ref.uid, owner);
    }
    for (const source of chunk.sources) this.sources.push(source);
    let c = 0;
    for (let i = 0; i < chunk.time.length; i++) {
      const causes = chunk.causes.slice(c, c + chunk.causeCount[i]);
      c += chunk.causeCount[i];
      const flags = chunk.flags[i];
      const event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = {
        id: chunk.firstId + i,
        time: chunk.time[i],
        lane: lanes[chunk.lane[i]],
        node: chunk.node[i] < 0 ? null : s[chunk.node[i]],
        object: this.objects[chunk.object[i]],
        reason: s[chunk.reason[i]],
        message: s[chunk.message[i]],
        severity: (flags & eventFlags.warning ? 'Warning' : 'Normal') as EventSeverity,
        causes,
      };
      if (chunk.duration[i] >= 0) event.duration = chunk.duration[i];
      if (chunk.fieldPath[i] >= 0) event.fieldPath = s[chunk.fieldPath[i]];
      if (flags & eventFlags.inferred) event.observed = false;
      if (chunk.source[i] >= 0) event.source = chunk.source[i];
      this.events.push(event);
    }
    for (const pod of chunk.pods) this.pods.set(pod.uid, pod);
    for (const w of chunk.windows) this.windows[w.index] = w;
    this.clockMs = chunk.clockMs;
  }
}
