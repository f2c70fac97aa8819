// Kubernetes Events as the real recorders write them. Components of kube-controller-manager
// and the kubelet use the core/v1 recorder (client-go tools/record): identical events are
// aggregated by bumping `count` and `lastTimestamp` (events_cache.go EventCorrelator). The
// scheduler uses the events.k8s.io/v1 recorder: repeats are grouped in a `series` with a
// count and lastObservedTime. Both APIs read the same storage, as upstream.
import type { EventCause } from '../../trace/model/eventCause';
import type { EventSeverity, Lane, ObjectRef } from '../../trace/model/traceEvent';
import type { TraceRecorder } from '../../trace/model/recorder';
import type { SimEngine } from '../engine/engine';
import type { KubeObject } from '../store/objects';
import type { CoreEvent } from '../store/kinds';
import type { ObjectStore } from '../store/store';
import { rfc3339, rfc3339Micro, epochMs } from '../store/naming';
import { doubled } from '../../base/typedArrays';

export interface EventSource {
  /** `kubelet`, `default-scheduler`, `deployment-controller`, ... */
  readonly component: string;
  readonly host?: string;
  /** True for events.k8s.io/v1 recorders (the scheduler): reportingController, action and series. */
  readonly eventsV1?: boolean;
}

export interface RecordOptions {
  readonly lane: Lane;
  readonly node: string | null;
  readonly fieldPath?: string;
  readonly action?: string;
  readonly causes?: readonly number[];
  /** What in the involved object made it happen (the trace keeps it; the Event object has no such field). */
  readonly cause?: EventCause;
  readonly duration?: number;
}

/**
 * One Event and what makes a repeat of it (source, involved object, field path, type,
 * reason and message), kept flat: the Event object is built when it is written.
 */
interface Aggregate {
  readonly component: string;
  readonly host: string;
  readonly fieldPath: string;
  readonly severity: EventSeverity;
  readonly reason: string;
  readonly message: string;
  readonly action: string;
  readonly eventsV1: boolean;
  readonly involved: ObjectRef;
  readonly involvedApiVersion: string;
  /** The involved object's resourceVersion when the event first happened. */
  readonly involvedVersion: string | undefined;
  /** Which Event this recorder created, for the name's suffix. */
  readonly serial: number;
  readonly first: number;
  last: number;
  count: number;
  /** The count the stored object has; 0 while it is not stored yet. */
  written: number;
  queued: boolean;
}

/** One occurrence, as it was when it happened: what aggregating it needs. */
interface Occurrence {
  readonly source: EventSource;
  readonly involved: ObjectRef;
  readonly involvedApiVersion: string;
  readonly involvedVersion: string | undefined;
  readonly severity: EventSeverity;
  readonly reason: string;
  readonly message: string;
  readonly fieldPath: string;
  readonly action: string;
  readonly time: number;
}

export class EventRecorder {
  /** Aggregates by involved object uid: an object has a handful of distinct events, compared field by field. */
  private readonly aggregates = new Map<string, Aggregate[]>();
  private created = 0;
  /** Aggregates recorded or repeated since the last write to the store, in the order they changed. */
  private pending: Aggregate[] = [];
  /**
   * Occurrences not aggregated yet: while nobody reads or watches events, aggregating (which
   * only the stored Event objects show) waits for the first read, and happens then in the
   * order the occurrences came, as it would have as they came.
   */
  private unaggregated = new Occurrences();

  constructor(
    private readonly engine: SimEngine,
    private readonly store: ObjectStore,
    private readonly trace: TraceRecorder,
    /** Storing Event objects can be turned off for very large runs; the trace keeps every occurrence. */
    private readonly storeEvents: boolean,
  ) {
    // Event objects reach the store when someone reads or watches events, or at once while
    // someone watches them: a run nobody asks for events does not pay for them twice.
    if (storeEvents) store.deferWrites('events', () => this.write());
  }

  /** Records one occurrence: a TraceEvent always, and a new or aggregated Event object. Returns the trace id. */
  record(
    source: EventSource,
    involved: KubeObject,
    severity: EventSeverity,
    reason: string,
    message: string,
    options: RecordOptions,
  ): number {
    const ref = this.trace.refs.of(involved);
    const time = this.engine.now();
    const id = this.trace.emit({
      time,
      lane: options.lane,
      node: options.node,
      object: ref,
      fieldPath: options.fieldPath,
      reason,
      message,
      severity,
      causes: options.causes,
      cause: options.cause,
      duration: options.duration,
    });
    if (this.storeEvents) {
      this.unaggregated.add(
        id,
        source,
        involved.apiVersion,
        options.action ?? reason,
        involved.metadata.resourceVersion,
      );
      if (this.store.watched('events')) this.store.flushDeferred('events');
    }
    return id;
  }

  private aggregate(o: Occurrence): void {
    const uid = o.involved.uid ?? '';
    const component = o.source.component;
    const host = o.source.host ?? '';
    let same = this.aggregates.get(uid);
    if (!same) this.aggregates.set(uid, (same = []));
    for (const a of same) {
      if (
        a.reason === o.reason &&
        a.message === o.message &&
        a.component === component &&
        a.host === host &&
        a.fieldPath === o.fieldPath &&
        a.severity === o.severity
      ) {
        a.count++;
        a.last = o.time;
        return this.queue(a);
      }
    }
    const aggregate: Aggregate = {
      component,
      host,
      fieldPath: o.fieldPath,
      severity: o.severity,
      reason: o.reason,
      message: o.message,
      action: o.action,
      eventsV1: Boolean(o.source.eventsV1),
      involved: o.involved,
      involvedApiVersion: o.involvedApiVersion,
      involvedVersion: o.involvedVersion,
      serial: this.created++,
      first: o.time,
      last: o.time,
      count: 1,
      written: 0,
      queued: false,
    };
    same.push(aggregate);
    this.queue(aggregate);
  }

  /**
   * Upstream names an event `<involvedObject>.<unix nanoseconds in hex>`; it lives in the involved object's namespace.
   */
  private nameOf(a: Aggregate): { namespace: string; name: string } {
    return {
      namespace: a.involved.namespace ?? 'default',
      name:
        `${a.involved.name}.${(epochMs + a.first).toString(16)}` +
        `${(a.serial & 0xfffff).toString(16).padStart(5, '0')}`,
    };
  }

  /** The Event object of an aggregate as the recorder first sent it (count 1). */
  private eventOf(a: Aggregate): CoreEvent {
    const involved = a.involved;
    const { namespace, name } = this.nameOf(a);
    const first = a.first;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.namespace ?? undefined,
        name: involved.name,
        uid: involved.uid ?? '',
        apiVersion: a.involvedApiVersion,
        resourceVersion: a.involvedVersion,
        ...(a.fieldPath ? { fieldPath: a.fieldPath } : {}),
      },
      reason: a.reason,
      message: a.message,
      type: a.severity,
      source: { component: a.component, ...(a.host ? { host: a.host } : {}) },
      count: 1,
      firstTimestamp: a.eventsV1 ? null : rfc3339(first),
      lastTimestamp: a.eventsV1 ? null : rfc3339(first),
      ...(a.eventsV1
        ? {
            eventTime: rfc3339Micro(first),
            reportingComponent: a.component,
            reportingInstance: `${a.component}-${a.host || 'control-plane'}`,
            action: a.action,
          }
        : { reportingComponent: a.component, reportingInstance: a.host }),
    };
  }

  private queue(aggregate: Aggregate): void {
    if (!aggregate.queued) {
      aggregate.queued = true;
      this.pending.push(aggregate);
    }
  }

  /**
   * Writes what changed since the last write: new Events are
   * created, repeats bump count and lastTimestamp (and the series).
   */
  private write(): void {
    const occurrences = this.unaggregated;
    this.unaggregated = new Occurrences();
    occurrences.forEach((id, source, involvedApiVersion, action, involvedVersion) => {
      const e = this.trace.events[id];
      this.aggregate({
        source,
        involved: e.object,
        involvedApiVersion,
        involvedVersion,
        severity: e.severity,
        reason: e.reason,
        message: e.message,
        fieldPath: e.fieldPath ?? '',
        action,
        time: e.time,
      });
    });
    const pending = this.pending;
    this.pending = [];
    for (const a of pending) {
      a.queued = false;
      const repeat = (e: CoreEvent): CoreEvent => ({
        ...e,
        count: a.count,
        lastTimestamp: rfc3339(a.last),
        ...(a.eventsV1 ? { series: { count: a.count, lastObservedTime: rfc3339Micro(a.last) } } : {}),
      });
      const { namespace, name } = this.nameOf(a);
      if (a.written > 0 && this.store.get('events', namespace, name))
        this.store.mutate('events', namespace, name, repeat);
      else {
        const event = this.eventOf(a);
        this.store.create('events', a.count === 1 ? event : repeat(event), a.first);
      }
      a.written = a.count;
    }
  }
}

/**
 * Occurrences kept as numbers: the trace id of each one's event, and what that event does not
 * hold (the source, the involved object's apiVersion and resourceVersion, the action), each
 * value numbered once. A large run records hundreds of thousands, all alive until someone
 * reads events; as objects they would be the collector's to copy, as numbers they are not.
 */
class Occurrences {
  private ints = new Int32Array(4 * 1024);
  /**
   * Each occurrence's involved resourceVersion as a number (NaN:
   * none); one that is not a plain number is in `otherVersions`.
   */
  private versions = new Float64Array(1024);
  private readonly otherVersions = new Map<number, string>();
  private readonly values: (EventSource | string)[] = [];
  private readonly numbers = new Map<EventSource | string, number>();
  private length = 0;

  add(id: number, source: EventSource, apiVersion: string, action: string, version: string | undefined): void {
    const n = this.length++;
    if (n === this.versions.length) this.grow();
    const at = n * 4;
    this.ints[at] = id;
    this.ints[at + 1] = this.number(source);
    this.ints[at + 2] = this.number(apiVersion);
    this.ints[at + 3] = this.number(action);
    const numeric = version === undefined ? NaN : Number(version);
    if (version !== undefined && String(numeric) !== version) this.otherVersions.set(n, version);
    this.versions[n] = numeric;
  }

  forEach(
    visit: (id: number, source: EventSource, apiVersion: string, action: string, version: string | undefined) => void,
  ): void {
    for (let n = 0; n < this.length; n++) {
      const at = n * 4;
      const v = this.versions[n];
      const version = this.otherVersions.get(n) ?? (Number.isNaN(v) ? undefined : String(v));
      visit(
        this.ints[at],
        this.values[this.ints[at + 1]] as EventSource,
        this.values[this.ints[at + 2]] as string,
        this.values[this.ints[at + 3]] as string,
        version,
      );
    }
  }

  private number(value: EventSource | string): number {
    let n = this.numbers.get(value);
    if (n === undefined) {
      this.numbers.set(value, (n = this.values.length));
      this.values.push(value);
    }
    return n;
  }

  private grow(): void {
    this.ints = doubled(this.ints);
    this.versions = doubled(this.versions);
  }
}
