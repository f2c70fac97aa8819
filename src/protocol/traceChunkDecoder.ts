import type { OwnerOf } from '../core/trace/traceObjects';
import type { EventSeverity, ObjectRef, TraceEvent } from '../core/trace/model/traceEvent';
import {
  eventFlags,
  lanes,
  type ChunkSource,
  type PodRow,
  type TraceChunk,
  type TraceTableSizes,
  type WindowRow,
} from './traceColumns';
import { chunkProblem, chunkShapeProblem } from './traceChunkChecks';

/**
 * A decoded event: the model's fields, with `source` its index in the decoder's `sources` and `object` one of its
 * `objects`.
 */
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
