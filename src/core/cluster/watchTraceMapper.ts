// A real cluster's watches turned into the trace model (DESIGN section 6): the applied objects
// and what they own (by controller ownerReferences, transitively), their Events, Pods and
// EndpointSlices become TraceEvents on the lanes the simulator uses, with its reasons, and each
// pod gets the simulator's phases from its status. Events of a real cluster are observed; what
// is read from an object's change (a write stored, a status patch, an EndpointSlice update) is
// marked inferred. The watches come in separately (a pod may arrive before its ReplicaSet), so
// a change whose owner is not known yet waits until it is.
//
// This file never imports @kubernetes/client-node: it is fed plain objects, so it is tested
// with recorded watch events.
import { statusSummary } from '../sim/kubelet/statusSummary';
import { resourceForKind, selectorMatches, type KubeObject } from '../sim/store/objects';
import { PodObserver, type PodPhase } from '../trace/model/podObserver';
import { TraceRecorder, type EmitInput } from '../trace/model/recorder';
import type { ObjectRef } from '../trace/model/traceEvent';
import { summarizePod, type PodSummary } from '../trace/podSummary';
import type { LineageEntry, OwnerLineage } from '../trace/sourceMapping';
import type { TargetTraceStep } from './clusterTarget';
import { laneOfEvent } from './eventLanes';
import { viewOfEvent } from './kubeEvent';
import { reachedPhases, restartsOf, secondsTime } from './podStatusPhases';
import { objectKey } from './simTraceFollower';

/** One change a watch (or a list standing in for one) delivered. */
export interface WatchedChange {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: KubeObject;
  /** Wall time it arrived, in epoch ms. */
  readonly receivedMs: number;
}

/** Changes kept at most while their owner is unknown: a bound on what an unrelated namespace costs. */
const maxPending = 10_000;

export class WatchTraceMapper {
  private readonly recorder = new TraceRecorder();
  private readonly observer = new PodObserver();
  private readonly entries = new Map<string, LineageEntry>();
  private readonly last = new Map<string, KubeObject>();
  private readonly eventCounts = new Map<string, number>();
  private readonly summaries = new Map<string, string>();
  private readonly services = new Map<string, KubeObject>();
  /** The id of the last etcd event of each object, by uid. */
  private readonly lastWrite = new Map<string, number>();
  private pending: WatchedChange[] = [];
  private taken = 0;
  readonly lineage: OwnerLineage = { get: (uid) => this.entries.get(uid) };

  /**
   * @param keys the followed objects, as `objectKey(kind, namespace, name)`
   * @param originMs the wall time the trace counts from, in epoch ms
   */
  constructor(
    private readonly keys: ReadonlySet<string>,
    private readonly originMs: number,
  ) {
    this.observer.trackChanges();
  }

  /** Whether the object with this uid is followed; undefined while an owner on its chain is unknown. */
  private follows(uid: string): boolean | undefined {
    for (let at = this.entries.get(uid), hops = 0; hops < 32; hops++) {
      if (!at) return undefined;
      if (this.keys.has(objectKey(at.kind, at.namespace, at.name))) return true;
      if (at.owner === undefined) return false;
      at = this.entries.get(at.owner);
    }
    return false;
  }

  handle(change: WatchedChange): void {
    const { object } = change;
    if (object.kind === 'Event') return this.handleEvent(change);
    const uid = object.metadata.uid;
    if (uid === undefined) return;
    const owner = object.metadata.ownerReferences?.find((r) => r.controller)?.uid;
    const isNew = !this.entries.has(uid);
    this.entries.set(uid, {
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      owner,
    });
    const follows = this.follows(uid);
    if (follows === undefined) return this.wait(change);
    if (follows) this.apply(change);
    // A new object may be the owner (or involved object) changes were waiting for.
    if (isNew && this.pending.length > 0) this.retryPending();
  }

  private wait(change: WatchedChange): void {
    if (this.pending.length >= maxPending) this.pending.shift();
    this.pending.push(change);
  }

  private retryPending(): void {
    const waiting = this.pending;
    this.pending = [];
    for (const change of waiting) {
      if (change.object.kind === 'Event') this.handleEvent(change);
      else {
        const follows = this.follows(change.object.metadata.uid!);
        if (follows === undefined) this.pending.push(change);
        else if (follows) this.apply(change);
      }
    }
  }

  private time(epochMs: number): number {
    return Math.max(0, Math.round(epochMs - this.originMs));
  }

  private refOf(object: KubeObject): ObjectRef {
    return this.recorder.refs.of(object);
  }

  private emit(input: Omit<EmitInput, 'time'> & { readonly at: number }, observed: boolean): number {
    const { at, ...rest } = input;
    const id = this.recorder.emit({ ...rest, time: this.time(at) });
    // The recorder's events are plain objects; only inferred ones carry the flag, as the model has it.
    if (!observed) (this.recorder.events[id] as { observed?: boolean }).observed = false;
    return id;
  }

  /** A change of a followed object: its writes on the etcd lane, and what its kind adds. */
  private apply(change: WatchedChange): void {
    const { object, receivedMs, type } = change;
    const uid = object.metadata.uid!;
    const before = this.last.get(uid);
    const ref = this.refOf(object);
    const rv = object.metadata.resourceVersion;
    const stored = (reason: string, message: string, at: number) =>
      this.lastWrite.set(uid, this.emit({ at, lane: 'etcd', node: null, object: ref, reason, message }, false));
    if (type === 'DELETED') {
      this.last.delete(uid);
      stored('Deleted', 'removed', receivedMs);
    } else {
      this.last.set(uid, object);
      const created = secondsTime(object.metadata.creationTimestamp, receivedMs) ?? receivedMs;
      // An object that existed before the trace started was not created by it.
      if (!before && created >= this.originMs - 1000) stored('Stored', `created at resourceVersion ${rv}`, created);
      else if (before && before.metadata.generation !== object.metadata.generation)
        stored('Stored', `updated at resourceVersion ${rv}`, receivedMs);
      if (object.metadata.deletionTimestamp && !before?.metadata.deletionTimestamp) {
        const grace = object.metadata.deletionGracePeriodSeconds;
        stored(
          'Deleted',
          `marked for deletion (deletionTimestamp ${object.metadata.deletionTimestamp}` +
            `${grace ? `, grace ${grace}s` : ''})`,
          receivedMs,
        );
      }
    }
    if (object.kind === 'Pod' && type !== 'DELETED') this.applyPod(object, ref, receivedMs);
    if (object.kind === 'EndpointSlice') this.applySlice(object, type, receivedMs);
    if (object.kind === 'Service') {
      if (type === 'DELETED') this.services.delete(uid);
      else this.services.set(uid, object);
    }
  }

  private applyPod(pod: KubeObject, ref: ObjectRef, receivedMs: number): void {
    const uid = pod.metadata.uid!;
    const namespace = pod.metadata.namespace ?? 'default';
    const record = this.observer.record(uid, namespace, pod.metadata.name);
    record.labels = pod.metadata.labels ?? {};
    record.restarts = restartsOf(pod);
    const status = (pod.status ?? {}) as { phase?: string; conditions?: { type: string; status: string }[] };
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? null;
    if (node !== null) record.node = node;
    // The event a newly reached phase follows from: the status patch that shows it, else the write.
    let cause: number | undefined = this.lastWrite.get(uid);
    if (status.phase !== undefined && status.conditions !== undefined) {
      const summary = statusSummary({ phase: status.phase, conditions: status.conditions });
      if (this.summaries.get(uid) !== summary) {
        this.summaries.set(uid, summary);
        cause = this.emit(
          { at: receivedMs, lane: 'kubelet', node, object: ref, reason: 'StatusPatched', message: summary },
          false,
        );
      }
    }
    for (const [phase, at] of Object.entries(reachedPhases(pod, receivedMs)))
      this.observer.mark(uid, namespace, pod.metadata.name, phase as PodPhase, this.time(at), cause);
  }

  /** An EndpointSlice update, on its Service as the simulator traces it; its ready endpoints' pods are in endpoints. */
  private applySlice(slice: KubeObject, type: WatchedChange['type'], receivedMs: number): void {
    const owner = slice.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Service');
    const endpoints = type === 'DELETED' ? [] : ((slice.endpoints ?? []) as readonly SliceEndpoint[]);
    const ready = endpoints.filter((e) => e.conditions?.ready !== false).length;
    const terminating = endpoints.filter((e) => e.conditions?.terminating === true).length;
    if (owner) {
      const service: ObjectRef = {
        kind: 'Service',
        namespace: slice.metadata.namespace ?? null,
        name: owner.name,
        uid: owner.uid,
      };
      this.emit(
        {
          at: receivedMs,
          lane: 'endpoints',
          node: null,
          object: service,
          reason: 'EndpointSliceUpdated',
          message:
            `${slice.metadata.name}: ${endpoints.length} endpoint(s), ` +
            `${ready} ready${terminating ? `, ${terminating} terminating` : ''}`,
        },
        false,
      );
    }
    for (const e of endpoints) {
      const target = e.targetRef;
      if (target?.kind !== 'Pod' || !target.uid || e.conditions?.ready === false) continue;
      const namespace = target.namespace ?? slice.metadata.namespace ?? 'default';
      const at = this.time(receivedMs);
      this.observer.mark(target.uid, namespace, target.name ?? '', 'inEndpoints', at);
      // The consumers that route by it (kube-proxy, DNS, ingress) cannot be watched: routable is
      // inferred as the same moment.
      this.observer.mark(target.uid, namespace, target.name ?? '', 'routable', at);
    }
  }

  private handleEvent(change: WatchedChange): void {
    const view = viewOfEvent(change.object);
    const { involved } = view;
    let follows: boolean | undefined = this.keys.has(objectKey(involved.kind, involved.namespace, involved.name));
    if (!follows && involved.uid !== null) follows = this.follows(involved.uid);
    if (follows === undefined) return this.wait(change);
    if (!follows || change.type === 'DELETED') return;
    const seen = this.eventCounts.get(view.uid) ?? 0;
    if (view.count <= seen) return;
    this.eventCounts.set(view.uid, view.count);
    const at = view.precise ? view.lastMs : Math.min(Math.max(change.receivedMs, view.lastMs), view.lastMs + 999);
    // Events from before the trace started (an object applied again) are history, not this trace.
    if (at < this.originMs - 1000) return;
    const uid = involved.uid;
    const record = involved.kind === 'Pod' && uid !== null ? this.observer.pods.get(uid) : undefined;
    const ref: ObjectRef = { kind: involved.kind, namespace: involved.namespace, name: involved.name, uid };
    const id = this.emit(
      {
        at,
        lane: laneOfEvent(view.component, view.reason, view.message),
        node: view.host ?? record?.node ?? null,
        object: ref,
        fieldPath: involved.fieldPath,
        reason: view.reason,
        message: view.message,
        severity: view.severity,
      },
      true,
    );
    if (uid !== null && involved.kind === 'Pod') {
      const r = this.observer.record(uid, involved.namespace ?? 'default', involved.name);
      if (view.severity === 'Warning') r.lastWarning = view.message;
      if (view.reason === 'Scheduled') {
        this.observer.mark(uid, r.namespace, r.name, 'scheduled', this.time(at), id);
        // The status may have shown the binding first: the Event is still what the phase follows from.
        r.phaseEvents.scheduled = id;
      }
    }
  }

  /** Whether a Service the trace follows selects the pod: its summary then waits for endpoints. */
  private expectsEndpoints(labels: Readonly<Record<string, string>>, namespace: string, inEndpoints: boolean): boolean {
    if (inEndpoints) return true;
    for (const s of this.services.values()) {
      const selector = (s.spec as { selector?: Record<string, string> } | undefined)?.selector;
      if (s.metadata.namespace !== namespace || !selector || Object.keys(selector).length === 0) continue;
      if (selectorMatches({ matchLabels: selector }, labels)) return true;
    }
    return false;
  }

  /** What is new since the last step: events, and the followed pods whose summary may have changed. */
  takeStep(nowMs: number): TargetTraceStep {
    const events = this.recorder.events.slice(this.taken);
    this.taken = this.recorder.events.length;
    const pods: PodSummary[] = [];
    for (const uid of this.observer.takeChanged()) {
      const record = this.observer.pods.get(uid);
      if (!record || this.follows(uid) !== true) continue;
      pods.push(
        summarizePod(
          record,
          this.expectsEndpoints(record.labels, record.namespace, record.phases.inEndpoints !== null),
        ),
      );
    }
    return { events, pods, windows: [], clockMs: this.time(nowMs) };
  }
}

interface SliceEndpoint {
  readonly conditions?: { readonly ready?: boolean; readonly terminating?: boolean };
  readonly targetRef?: {
    readonly kind?: string;
    readonly namespace?: string;
    readonly name?: string;
    readonly uid?: string;
  };
}

/** The keys of the objects a trace follows, with the namespace a target defaults to. */
export function followedKeys(objects: readonly KubeObject[], defaultNamespace: string): Set<string> {
  return new Set(
    objects.map((o) => {
      const namespaced = resourceForKind(o.kind)?.namespaced ?? true;
      const namespace = namespaced ? (o.metadata?.namespace ?? defaultNamespace) : null;
      return objectKey(o.kind, namespace, o.metadata?.name ?? '');
    }),
  );
}
