// The trace as the app holds it: one typed-array column per event field, grown by doubling;
// the string, object and source tables the chunks build; a track per lane and per object
// (entity), sorted by time; the causes of each event and, reversed, its effects; the pods'
// phases and the routing windows. Nothing here makes an object per event: strings are
// resolved only for what is drawn or shown.
import {
  eventFlags,
  lanes,
  type ChunkSource,
  type PodRow,
  type TraceChunk,
  type TraceTableSizes,
  type WindowRow,
} from '../protocol/traceColumns';
import { EntityRegistry, type Entity } from './entities';
import { ensureRoom, ensureRoomFilled } from './growable';
import { Track } from './track';

export class TraceStore {
  count = 0;
  time = new Float64Array(1024);
  /** A span's length in ms; -1 for an instant. */
  duration = new Float64Array(1024);
  lane = new Uint8Array(1024);
  node = new Int32Array(1024);
  object = new Int32Array(1024);
  fieldPath = new Int32Array(1024);
  reason = new Int32Array(1024);
  message = new Int32Array(1024);
  flags = new Uint8Array(1024);
  source = new Int32Array(1024);
  /** Event i's causes are `causes[causeStart[i] .. causeStart[i + 1])`. */
  causeStart = new Int32Array(1025);
  causes = new Int32Array(1024);
  /** Effects as linked lists in arrays: the latest edge out of an event, and each edge's next. */
  private effectHead = new Int32Array(1024).fill(-1);
  private edgeNext = new Int32Array(1024);
  private edgeTarget = new Int32Array(1024);
  private edges = 0;

  readonly strings: string[] = [];
  /** Four string indices per object: kind, namespace (-1), name, uid (-1). */
  objects = new Int32Array(256);
  objectCount = 0;
  /** The entity of each object. */
  entityOf = new Int32Array(256);
  readonly sources: ChunkSource[] = [];
  readonly laneTracks: readonly Track[] = lanes.map((_, i) => new Track(i));
  readonly entities = new EntityRegistry(lanes.length);
  /** The latest summary of each pod, by uid. */
  readonly pods = new Map<string, PodRow>();
  readonly windows: WindowRow[] = [];
  /** The source's clock: at least the end of the last event. */
  clockMs = 0;
  /** The latest end of any event. */
  endMs = 0;
  warningCount = 0;

  reset(): void {
    this.count = 0;
    this.causeStart[0] = 0;
    this.edges = 0;
    this.effectHead.fill(-1);
    this.strings.length = 0;
    this.objectCount = 0;
    this.sources.length = 0;
    for (const t of this.laneTracks) {
      t.length = 0;
      t.maxDuration = 0;
      t.version++;
    }
    this.entities.reset();
    this.pods.clear();
    this.windows.length = 0;
    this.clockMs = 0;
    this.endMs = 0;
    this.warningCount = 0;
  }

  get sizes(): TraceTableSizes {
    return {
      events: this.count,
      strings: this.strings.length,
      objects: this.objectCount,
      sources: this.sources.length,
    };
  }

  /**
   * Appends a chunk that `chunkProblem` accepted against `sizes`. Returns whether the rows
   * may have changed (new objects or lanes, a pod's creation time, which orders the pods);
   * otherwise only the rows' contents did.
   */
  append(chunk: TraceChunk): boolean {
    const entitiesBefore = this.entities.list.length;
    const lanesBefore = this.laneTracks.filter((t) => t.length > 0).length;
    for (const s of chunk.strings) this.strings.push(s);
    this.appendObjects(chunk.objects);
    for (const s of chunk.sources) this.sources.push(s);
    const n = chunk.time.length;
    const from = this.count;
    const to = from + n;
    this.grow(to, chunk.causes.length);
    const entityOf = this.entityOf;
    const list = this.entities.list;
    const laneTracks = this.laneTracks;
    // The columns in locals: the loop calls out (tracks, causes), after which the engine
    // would otherwise load each field again. A trace's first chunks are appended before the
    // code is optimized, so this is what the first frame waits on.
    const {
      time,
      duration: durations,
      lane,
      node,
      object: objectColumn,
      fieldPath,
      reason,
      message,
      flags: flagColumn,
      source,
      causeStart,
    } = this;
    const inTime = chunk.time;
    const inDuration = chunk.duration;
    const inLane = chunk.lane;
    const inNode = chunk.node;
    const inObject = chunk.object;
    const inFieldPath = chunk.fieldPath;
    const inReason = chunk.reason;
    const inMessage = chunk.message;
    const inFlags = chunk.flags;
    const inSource = chunk.source;
    const inCauseCount = chunk.causeCount;
    const inCauses = chunk.causes;
    let endMs = this.endMs;
    let warnings = 0;
    let c = causeStart[from];
    let k = 0;
    for (let i = 0; i < n; i++) {
      const id = from + i;
      const end = inTime[i];
      const duration = inDuration[i];
      const laneIndex = inLane[i];
      const object = inObject[i];
      const flags = inFlags[i];
      time[id] = end;
      durations[id] = duration;
      lane[id] = laneIndex;
      node[id] = inNode[i];
      objectColumn[id] = object;
      fieldPath[id] = inFieldPath[i];
      reason[id] = inReason[i];
      message[id] = inMessage[i];
      flagColumn[id] = flags;
      source[id] = inSource[i];
      if (end > endMs) endMs = end;
      laneTracks[laneIndex].add(id, end, duration);
      const entity = list[entityOf[object]];
      entity.track.add(id, end, duration);
      const start = duration > 0 ? end - duration : end;
      if (start < entity.firstTime) entity.firstTime = start;
      if (flags & eventFlags.warning) {
        entity.warnings++;
        warnings++;
      }
      causeStart[id] = c;
      for (let j = inCauseCount[i]; j > 0; j--) this.addCause(c++, id, inCauses[k++]);
      causeStart[id + 1] = c;
    }
    this.endMs = endMs;
    this.warningCount += warnings;
    this.count = to;
    let podsMoved = false;
    for (const pod of chunk.pods) {
      podsMoved ||= this.pods.get(pod.uid)?.phases.created !== pod.phases.created;
      this.pods.set(pod.uid, pod);
    }
    for (const w of chunk.windows) this.windows[w.index] = w;
    this.clockMs = Math.max(this.clockMs, chunk.clockMs, this.endMs);
    const lanesAfter = this.laneTracks.filter((t) => t.length > 0).length;
    return podsMoved || this.entities.list.length !== entitiesBefore || lanesAfter !== lanesBefore;
  }

  private addCause(slot: number, effect: number, cause: number): void {
    this.causes[slot] = cause;
    const e = this.edges++;
    this.edgeTarget[e] = effect;
    this.edgeNext[e] = this.effectHead[cause];
    this.effectHead[cause] = e;
  }

  private appendObjects(objects: readonly number[]): void {
    const added = objects.length / 4;
    this.objects = ensureRoom(this.objects, (this.objectCount + added) * 4);
    this.entityOf = ensureRoom(this.entityOf, this.objectCount + added);
    const s = this.strings;
    for (let i = 0; i < objects.length; i += 4) {
      const o = this.objectCount++;
      const kind = objects[i];
      const namespace = objects[i + 1];
      const name = objects[i + 2];
      const uid = objects[i + 3];
      this.objects[o * 4] = kind;
      this.objects[o * 4 + 1] = namespace;
      this.objects[o * 4 + 2] = name;
      this.objects[o * 4 + 3] = uid;
      this.entityOf[o] = this.entities.entityFor(
        s[kind],
        namespace < 0 ? null : s[namespace],
        s[name],
        uid < 0 ? null : s[uid],
      ).index;
    }
  }

  private grow(events: number, newCauses: number): void {
    this.time = ensureRoom(this.time, events);
    this.duration = ensureRoom(this.duration, events);
    this.lane = ensureRoom(this.lane, events);
    this.node = ensureRoom(this.node, events);
    this.object = ensureRoom(this.object, events);
    this.fieldPath = ensureRoom(this.fieldPath, events);
    this.reason = ensureRoom(this.reason, events);
    this.message = ensureRoom(this.message, events);
    this.flags = ensureRoom(this.flags, events);
    this.source = ensureRoom(this.source, events);
    this.causeStart = ensureRoom(this.causeStart, events + 1);
    this.effectHead = ensureRoomFilled(this.effectHead, events, -1);
    const causes = this.causeStart[this.count] + newCauses;
    this.causes = ensureRoom(this.causes, causes);
    this.edgeNext = ensureRoom(this.edgeNext, this.edges + newCauses);
    this.edgeTarget = ensureRoom(this.edgeTarget, this.edges + newCauses);
  }

  /** When event `id` began: its time, or for a span its time less its length. */
  startOf(id: number): number {
    const d = this.duration[id];
    return d > 0 ? this.time[id] - d : this.time[id];
  }

  isWarning(id: number): boolean {
    return (this.flags[id] & eventFlags.warning) !== 0;
  }

  entityOfEvent(id: number): Entity {
    return this.entities.list[this.entityOf[this.object[id]]];
  }

  causesOf(id: number): number[] {
    return Array.from(this.causes.subarray(this.causeStart[id], this.causeStart[id + 1]));
  }

  /** The events that name `id` among their causes, in order. */
  effectsOf(id: number): number[] {
    const out: number[] = [];
    for (let e = this.effectHead[id]; e >= 0; e = this.edgeNext[e]) out.push(this.edgeTarget[e]);
    return out.reverse();
  }

  /** The pod summary of an entity, when it is a pod the trace summarised. */
  podOf(entity: Entity): PodRow | undefined {
    return entity.kind === 'Pod' && entity.uid !== null ? this.pods.get(entity.uid) : undefined;
  }

  sourceOf(id: number): ChunkSource | undefined {
    const s = this.source[id];
    return s < 0 ? undefined : this.sources[s];
  }
}
