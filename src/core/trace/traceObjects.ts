// The objects of a trace as a forest: each object under its controller owner (a pod under
// its ReplicaSet, that under its Deployment), each tree one trace of the OTLP export, with
// every object's time range (its own events, phases and routing windows, and its
// descendants'). An event the apiserver records before the object is stored has no uid yet;
// it belongs to the object of that kind and name stored next (or, for a request after the
// last store, the one stored last).
import { podPhaseNames, type PodPhase } from './model/podObserver';
import { spanIdOf } from './otlpEncoding';
import type { OwnerLineage } from './sourceMapping';
import type { ObjectRef, TraceEvent } from './model/traceEvent';

/** An object's controller owner, or undefined for an object nothing owns (or that cannot be told). */
export type OwnerOf = (object: ObjectRef) => ObjectRef | undefined;

/** Owners as the simulator's store recorded them (ownerReferences with controller: true). */
export function ownersFromLineage(lineage: OwnerLineage): OwnerOf {
  const refs = new Map<string, ObjectRef | null>();
  return (object) => {
    const owner = object.uid === null ? undefined : lineage.get(object.uid)?.owner;
    if (owner === undefined) return undefined;
    let ref = refs.get(owner);
    if (ref === undefined) {
      const known = lineage.get(owner);
      ref = known ? { kind: known.kind, namespace: known.namespace ?? null, name: known.name, uid: owner } : null;
      refs.set(owner, ref);
    }
    return ref ?? undefined;
  };
}

export interface ObjectPod {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly phases: Readonly<Record<PodPhase, number | null>>;
}

export interface ObjectWindow {
  readonly podUid: string;
  readonly pod: string;
  readonly start: number;
  readonly end: number | null;
}

export interface TraceObject<P extends ObjectPod = ObjectPod> {
  /** The uid, or for an object never stored, `kind namespace name`. */
  readonly key: string;
  readonly ref: ObjectRef;
  readonly spanId: string;
  owner: TraceObject<P> | undefined;
  root: TraceObject<P>;
  depth: number;
  /** Its pod summary, for a pod. */
  pod: P | undefined;
  /** Virtual ms of its own first and last moment (events, phases, windows). */
  ownStart: number;
  ownEnd: number;
  /** The same with its descendants'. */
  start: number;
  end: number;
}

export interface ObjectTrace<P extends ObjectPod, W extends ObjectWindow> {
  readonly root: TraceObject<P>;
  /** Root first, then by depth, each depth in the order the objects first appeared. */
  readonly objects: TraceObject<P>[];
  /** Ids of its events, in order. */
  readonly events: number[];
  readonly windows: { readonly window: W; readonly index: number }[];
}

const objectNameKey = (r: ObjectRef) => `${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}`;

export class TraceObjects<P extends ObjectPod, W extends ObjectWindow> {
  private readonly byKey = new Map<string, TraceObject<P>>();
  private readonly list: TraceObject<P>[] = [];
  /** Each object's place in `list`: the order objects first appeared in. */
  private readonly indexes = new Map<TraceObject<P>, number>();
  private readonly eventObject: Int32Array;
  private readonly ordered: ObjectTrace<P, W>[] = [];

  constructor(
    events: readonly TraceEvent[],
    pods: readonly P[],
    private readonly windows: readonly W[],
    ownerOf: OwnerOf,
    endedAtMs: number,
  ) {
    this.eventObject = new Int32Array(events.length);
    const keys = eventKeys(events);
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const key = keys[i];
      // An event without a uid that belongs to a stored object names it by the uid found for it.
      const o =
        this.byKey.get(key) ??
        this.object(key, e.object.uid === null && !key.includes('\u0000') ? { ...e.object, uid: key } : e.object);
      this.eventObject[i] = this.indexes.get(o)!;
      extend(o, e.time - (e.duration ?? 0), e.time);
    }
    for (const p of pods) {
      const o = this.object(p.uid, { kind: 'Pod', namespace: p.namespace, name: p.name, uid: p.uid });
      o.pod = p;
      for (const phase of podPhaseNames) {
        const t = p.phases[phase];
        if (t !== null) extend(o, t, t);
      }
    }
    for (const w of windows)
      if (w)
        extend(
          this.object(w.podUid, { kind: 'Pod', namespace: null, name: w.pod, uid: w.podUid }),
          w.start,
          w.end ?? Math.max(w.start, endedAtMs),
        );
    // Owners, and their owners: the list grows while it is walked.
    for (let i = 0; i < this.list.length; i++) {
      const o = this.list[i];
      const owner = ownerOf(o.ref);
      if (owner) o.owner = this.object(owner.uid ?? objectNameKey(owner), owner);
    }
    this.link();
    this.group(events.length);
  }

  private object(key: string, ref: ObjectRef): TraceObject<P> {
    let o = this.byKey.get(key);
    if (!o) {
      o = {
        key,
        ref,
        spanId: spanIdOf(`object\u0000${key}`),
        owner: undefined,
        root: undefined!,
        depth: 0,
        pod: undefined,
        ownStart: Infinity,
        ownEnd: -Infinity,
        start: 0,
        end: 0,
      };
      o.root = o;
      this.byKey.set(key, o);
      this.indexes.set(o, this.list.length);
      this.list.push(o);
    }
    return o;
  }

  /**
   * Roots and depths, cutting an ownership cycle (which Kubernetes forbids) where it closes;
   * then every range grown by its descendants'.
   */
  private link(): void {
    for (const o of this.list) {
      const seen = new Set<TraceObject<P>>([o]);
      let top = o;
      while (top.owner) {
        if (seen.has(top.owner)) top.owner = undefined;
        else seen.add((top = top.owner));
      }
      o.root = top;
      o.depth = seen.size - 1;
    }
    // Every range starts empty, then takes its own moments and those of everything below it.
    for (const o of this.list) [o.start, o.end] = [Infinity, -Infinity];
    for (const o of this.list) {
      if (o.ownStart > o.ownEnd) continue;
      for (let a: TraceObject<P> | undefined = o; a; a = a.owner)
        [a.start, a.end] = [Math.min(a.start, o.ownStart), Math.max(a.end, o.ownEnd)];
    }
    for (const o of this.list) {
      // Every object is made for a moment of its own or as the owner of one, so neither is empty but in theory.
      if (o.start > o.end) [o.start, o.end] = [0, 0];
      if (o.ownStart > o.ownEnd) [o.ownStart, o.ownEnd] = [o.start, o.start];
    }
  }

  private group(eventCount: number): void {
    const byRoot = new Map<TraceObject<P>, ObjectTrace<P, W>>();
    const traceOf = (root: TraceObject<P>) => {
      let t = byRoot.get(root);
      if (!t) {
        byRoot.set(root, (t = { root, objects: [], events: [], windows: [] }));
        this.ordered.push(t);
      }
      return t;
    };
    for (let i = 0; i < eventCount; i++) traceOf(this.list[this.eventObject[i]].root).events.push(i);
    const byDepth = [...this.list].sort((a, b) => a.depth - b.depth || this.indexes.get(a)! - this.indexes.get(b)!);
    for (const o of byDepth) traceOf(o.root).objects.push(o);
    this.windows.forEach((window, index) => {
      if (window) traceOf(this.ofPod(window.podUid).root).windows.push({ window, index });
    });
  }

  /** The object an event concerns. */
  ofEvent(id: number): TraceObject<P> {
    return this.list[this.eventObject[id]];
  }

  /** A pod by uid (every pod of the summaries and windows has one). */
  ofPod(uid: string): TraceObject<P> {
    const o = this.byKey.get(uid);
    if (!o) throw new Error(`trace objects: no pod with uid ${uid}`);
    return o;
  }

  /** The traces, in the order of their first events. */
  traces(): readonly ObjectTrace<P, W>[] {
    return this.ordered;
  }
}

function extend(o: TraceObject, start: number, end: number): void {
  if (start < o.ownStart) o.ownStart = start;
  if (end > o.ownEnd) o.ownEnd = end;
}

/**
 * Each event's object key: its uid; for an event without one, the uid of the object of that
 * kind and name stored next, else the one stored last; else its kind, namespace and name.
 */
function eventKeys(events: readonly TraceEvent[]): string[] {
  const keys = new Array<string>(events.length);
  // Made once per reference: the events of an object share theirs.
  const nameKeys = new Map<ObjectRef, string>();
  const nameKey = (r: ObjectRef): string => {
    let key = nameKeys.get(r);
    if (key === undefined) nameKeys.set(r, (key = objectNameKey(r)));
    return key;
  };
  const next = new Map<string, string>();
  for (let i = events.length - 1; i >= 0; i--) {
    const r = events[i].object;
    if (r.uid !== null) {
      keys[i] = r.uid;
      next.set(nameKey(r), r.uid);
    } else {
      const uid = next.get(nameKey(r));
      if (uid !== undefined) keys[i] = uid;
    }
  }
  const last = new Map<string, string>();
  for (let i = 0; i < events.length; i++) {
    const r = events[i].object;
    if (r.uid !== null) last.set(nameKey(r), r.uid);
    else if (keys[i] === undefined) keys[i] = last.get(nameKey(r)) ?? nameKey(r);
  }
  return keys;
}
