// One trace stream of the in-process target: the part of the simulator's trace that concerns a
// set of objects and everything they own (a Deployment's ReplicaSets and pods, a Service's
// EndpointSlices), from the moment the stream starts. The simulator records one trace for the
// whole cluster; a stream renumbers the events it keeps from 0 (causes and pod phase events
// follow), and counts time from its own start, so that it reads as a trace of its own, as a
// real cluster's stream does.
import type { SimCluster } from '../sim/cluster';
import { resourceForKind } from '../sim/store/objects';
import type { PodRecord } from '../trace/model/podObserver';
import { podPhaseNames } from '../trace/model/podObserver';
import type { TraceEvent } from '../trace/model/traceEvent';
import { summarizePod, type PodSummary } from '../trace/podSummary';
import { expectsEndpoints, type IndexedWindow } from '../trace/simulatedTrace';
import { TraceRecorder } from '../trace/model/recorder';
import type { TargetTraceStep } from './clusterTarget';

/** `kind/namespace/name`, the key a request names an object by. */
export function objectKey(kind: string, namespace: string | null | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** Collects before this many collects pass an event whose object is not stored yet, then drops it. */
const pendingRounds = 20;

export class SimTraceFollower {
  /** The stream's own recorder: renumbered events, with their field paths and causes. */
  private readonly recorder = new TraceRecorder();
  /** The simulator's event id → the stream's. */
  private readonly ids = new Map<number, number>();
  /** Uids known to be followed (true) or not (false), so each owner chain is walked once. */
  private readonly followedUids = new Map<string, boolean>();
  private readonly origin: number;
  private nextEvent: number;
  private taken = 0;
  /** Events about objects not stored yet (an apiserver request in flight): decided on a later collect. */
  private pending: { readonly event: TraceEvent; rounds: number }[] = [];
  private readonly windowIndex = new Map<number, number>();
  private readonly openWindows = new Set<number>();
  private nextWindow = 0;

  constructor(
    private readonly cluster: SimCluster,
    private readonly keys: ReadonlySet<string>,
  ) {
    this.origin = cluster.engine.now();
    this.nextEvent = cluster.ctx.trace.events.length;
  }

  /** Milliseconds since the stream started. */
  get clockMs(): number {
    return this.cluster.engine.now() - this.origin;
  }

  /** Whether the stream follows the object with this uid (it, or an owner up its chain, is followed). */
  followsUid(uid: string): boolean {
    const known = this.followedUids.get(uid);
    if (known !== undefined) return known;
    const lineage = this.cluster.ctx.store.lineage;
    const entry = lineage.get(uid);
    let follows = false;
    if (entry) {
      follows =
        this.keys.has(objectKey(entry.kind, entry.namespace, entry.name)) ||
        (entry.owner !== undefined && entry.owner !== uid && this.followsUid(entry.owner));
      this.followedUids.set(uid, follows);
    }
    return follows;
  }

  /** Whether an event is about a followed object; undefined while that cannot be told yet. */
  private follows(event: TraceEvent): boolean | undefined {
    const { object } = event;
    if (this.keys.has(objectKey(object.kind, object.namespace, object.name))) return true;
    if (object.uid !== null) return this.followsUid(object.uid);
    // An apiserver step recorded before the object was stored: the stored object decides.
    const info = resourceForKind(object.kind);
    const stored = info && this.cluster.ctx.store.get(info.resource, object.namespace ?? undefined, object.name);
    const uid = stored?.metadata.uid;
    return uid === undefined ? undefined : this.followsUid(uid);
  }

  private keep(event: TraceEvent): void {
    const causes = event.causes.flatMap((c) => {
      const id = this.ids.get(c);
      return id === undefined ? [] : [id];
    });
    const id = this.recorder.emit({
      time: event.time - this.origin,
      lane: event.lane,
      node: event.node,
      object: event.object,
      fieldPath: event.fieldPath,
      reason: event.reason,
      message: event.message,
      severity: event.severity,
      causes,
      cause: event.cause,
      duration: event.duration,
    });
    this.ids.set(event.id, id);
  }

  /** What is new since the last collect: events, the followed pods among `changedPods`, windows. */
  collect(changedPods: readonly string[]): TargetTraceStep {
    const recorded = this.cluster.ctx.trace.events;
    const waiting = this.pending;
    this.pending = [];
    for (const entry of waiting) {
      const follows = this.follows(entry.event);
      if (follows) this.keep(entry.event);
      else if (follows === undefined && ++entry.rounds < pendingRounds) this.pending.push(entry);
    }
    for (let i = this.nextEvent; i < recorded.length; i++) {
      const event = recorded[i];
      const follows = this.follows(event);
      if (follows) this.keep(event);
      else if (follows === undefined) this.pending.push({ event, rounds: 0 });
    }
    this.nextEvent = recorded.length;
    const events = this.recorder.events.slice(this.taken);
    this.taken = this.recorder.events.length;
    const pods: PodSummary[] = [];
    for (const uid of changedPods) {
      const record = this.cluster.observer.pods.get(uid);
      if (record && this.followsUid(uid)) pods.push(this.summary(record));
    }
    return { events, pods, windows: this.collectWindows(), clockMs: this.clockMs };
  }

  /** A pod's summary in the stream's terms: its times from the stream's start, its phase events renumbered. */
  private summary(record: PodRecord): PodSummary {
    const s = summarizePod(record, expectsEndpoints(this.cluster.ctx.store, record));
    const phases = { ...s.phases };
    const phaseEvents: PodSummary['phaseEvents'] = {};
    for (const phase of podPhaseNames) {
      const t = phases[phase];
      if (t !== null) phases[phase] = t - this.origin;
      const id = s.phaseEvents[phase];
      const mapped = id === undefined ? undefined : this.ids.get(id);
      if (mapped !== undefined) phaseEvents[phase] = mapped;
    }
    return { ...s, phases, phaseEvents };
  }

  /** Routing windows of followed pods opened or closed since the last collect, indexed in the stream. */
  private collectWindows(): IndexedWindow[] {
    const all = this.cluster.consumers.ledger.windows;
    const out: IndexedWindow[] = [];
    const shifted = (index: number): IndexedWindow => {
      const w = all[index];
      const eventId = w.eventId === null ? null : (this.ids.get(w.eventId) ?? null);
      const window = {
        ...w,
        start: w.start - this.origin,
        end: w.end === null ? null : w.end - this.origin,
        eventId,
      };
      return { index: this.windowIndex.get(index)!, window };
    };
    for (const index of this.openWindows) {
      if (all[index].end === null) continue;
      this.openWindows.delete(index);
      out.push(shifted(index));
    }
    for (let index = this.nextWindow; index < all.length; index++) {
      if (!this.followsUid(all[index].podUid)) continue;
      this.windowIndex.set(index, this.windowIndex.size);
      out.push(shifted(index));
      if (all[index].end === null) this.openWindows.add(index);
    }
    this.nextWindow = all.length;
    return out;
  }
}
