import type { OwnerOf } from '../core/trace/traceObjects';
import type { ObjectRef, TraceEvent } from '../core/trace/model/traceEvent';
import {
  eventColumns,
  eventFlags,
  lanes,
  type ChunkSource,
  type PodRow,
  type TraceChunk,
  type WindowRow,
} from './traceColumns';

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
    const key =
      `${source.file}\u0000${source.line}\u0000${source.column}` +
      `\u0000${source.endLine}\u0000${source.endColumn}\u0000${source.path}`;
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
