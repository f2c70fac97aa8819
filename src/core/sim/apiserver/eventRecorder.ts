// Kubernetes Events as the real recorders write them. Components of kube-controller-manager
// and the kubelet use the core/v1 recorder (client-go tools/record): identical events are
// aggregated by bumping `count` and `lastTimestamp` (events_cache.go EventCorrelator). The
// scheduler uses the events.k8s.io/v1 recorder: repeats are grouped in a `series` with a
// count and lastObservedTime. Both APIs read the same storage, as upstream.
import type { EventSeverity, Lane } from '../../trace/traceEvent';
import type { TraceRecorder } from '../../trace/recorder';
import type { SimEngine } from '../engine/engine';
import type { KubeObject } from '../store/objects';
import type { ObjectStore } from '../store/store';
import { rfc3339, rfc3339Micro, epochMs } from '../store/naming';
import { refOf } from '../context';

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
  readonly duration?: number;
}

/** One stored Event and what makes a repeat of it: source, involved object, field path, type, reason and message. */
interface Aggregate {
  readonly component: string;
  readonly host: string;
  readonly fieldPath: string;
  readonly severity: EventSeverity;
  readonly reason: string;
  readonly message: string;
  readonly namespace: string;
  readonly name: string;
  count: number;
}

export class EventRecorder {
  /** Aggregates by involved object uid: an object has a handful of distinct events, compared field by field. */
  private readonly aggregates = new Map<string, Aggregate[]>();
  private stored = 0;

  constructor(
    private readonly engine: SimEngine,
    private readonly store: ObjectStore,
    private readonly trace: TraceRecorder,
    /** Storing Event objects can be turned off for very large runs; the trace keeps every occurrence. */
    private readonly storeEvents: boolean,
  ) {}

  /** Records one occurrence: a TraceEvent always, and a new or aggregated Event object. Returns the trace id. */
  record(source: EventSource, involved: KubeObject, severity: EventSeverity, reason: string, message: string, options: RecordOptions): number {
    const id = this.trace.emit({
      time: this.engine.now(),
      lane: options.lane,
      node: options.node,
      object: refOf(involved),
      reason,
      message,
      severity,
      causes: options.causes,
      duration: options.duration,
    });
    if (this.storeEvents) this.persist(source, involved, severity, reason, message, options);
    return id;
  }

  private persist(source: EventSource, involved: KubeObject, severity: EventSeverity, reason: string, message: string, options: RecordOptions): void {
    const namespace = involved.metadata.namespace ?? 'default';
    const uid = involved.metadata.uid ?? '';
    const host = source.host ?? '';
    const fieldPath = options.fieldPath ?? '';
    const now = this.engine.now();
    let same = this.aggregates.get(uid);
    if (!same) this.aggregates.set(uid, (same = []));
    const existing = same.find((a) => a.reason === reason && a.message === message && a.component === source.component && a.host === host && a.fieldPath === fieldPath && a.severity === severity);
    if (existing && this.store.get('events', existing.namespace, existing.name)) {
      existing.count++;
      const count = existing.count;
      this.store.mutate('events', existing.namespace, existing.name, (e) => ({
        ...e,
        count,
        lastTimestamp: rfc3339(now),
        ...(source.eventsV1 ? { series: { count, lastObservedTime: rfc3339Micro(now) } } : {}),
      }));
      return;
    }
    // Upstream names an event `<involvedObject>.<unix nanoseconds in hex>`.
    const name = `${involved.metadata.name}.${(epochMs + now).toString(16)}${(this.stored++ & 0xfffff).toString(16).padStart(5, '0')}`;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
        ...(options.fieldPath ? { fieldPath: options.fieldPath } : {}),
      },
      reason,
      message,
      type: severity,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      count: 1,
      firstTimestamp: source.eventsV1 ? null : rfc3339(now),
      lastTimestamp: source.eventsV1 ? null : rfc3339(now),
      ...(source.eventsV1
        ? { eventTime: rfc3339Micro(now), reportingComponent: source.component, reportingInstance: `${source.component}-${source.host ?? 'control-plane'}`, action: options.action ?? reason }
        : { reportingComponent: source.component, reportingInstance: source.host ?? '' }),
    };
    this.store.create('events', event);
    if (existing) same.splice(same.indexOf(existing), 1);
    same.push({ component: source.component, host, fieldPath, severity, reason, message, namespace, name, count: 1 });
  }
}
