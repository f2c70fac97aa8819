// Which consumer routes to which pod, and since when. It marks a pod `routable` once every
// consumer that applies to its Service routes to it, and it finds the windows the design
// is about: a consumer still routing to a pod after the pod stopped serving (SIGTERM sent,
// or readiness lost), reported as a Warning on the consumer's lane when the window closes.
import type { TraceRecorder } from '../../trace/model/recorder';
import type { Lane, ObjectRef } from '../../trace/model/traceEvent';
import type { SimEngine } from '../engine/engine';
import { goDuration } from '../helpers/goDuration';
import type { PodObserver, PodRecord } from '../../trace/model/podObserver';

export interface RoutingWindow {
  readonly consumer: string;
  readonly lane: Lane;
  readonly node: string | null;
  readonly service: string;
  readonly pod: string;
  readonly podUid: string;
  readonly ip: string;
  readonly why: string;
  readonly start: number;
  end: number | null;
  eventId: number | null;
}

export interface ConsumerId {
  readonly name: string;
  readonly lane: Lane;
  readonly node: string | null;
}

export class RoutingLedger {
  /** pod uid → consumer name → service key */
  private readonly routes = new Map<string, Map<string, { consumer: ConsumerId; service: string }>>();
  /** pod uid → service → how many consumers route to it (a pod is routable when every applicable one does). */
  private readonly counts = new Map<string, Map<string, number>>();
  /** The route keys of each consumer, by service (a key is made once: a consumer on every node adds every pod). */
  private readonly keys = new WeakMap<ConsumerId, Map<string, string>>();
  private readonly open = new Map<string, RoutingWindow>();
  readonly windows: RoutingWindow[] = [];
  /** How many consumers apply to a service; set by the hub as consumers and Ingresses appear. */
  applicable: (service: string) => number = () => 0;

  constructor(
    private readonly engine: SimEngine,
    private readonly trace: TraceRecorder,
    private readonly observer: PodObserver,
  ) {
    observer.onStoppedServing = (record, time, why) => this.stoppedServing(record, time, why);
  }

  private keyOf(consumer: ConsumerId, service: string): string {
    let byService = this.keys.get(consumer);
    if (!byService) this.keys.set(consumer, (byService = new Map()));
    let key = byService.get(service);
    if (key === undefined) byService.set(service, (key = `${consumer.name}\u0000${service}`));
    return key;
  }

  private count(uid: string, service: string, delta: number): number {
    let byService = this.counts.get(uid);
    if (!byService) this.counts.set(uid, (byService = new Map()));
    const n = (byService.get(service) ?? 0) + delta;
    byService.set(service, n);
    return n;
  }

  add(consumer: ConsumerId, service: string, uid: string, causes: readonly number[]): void {
    let m = this.routes.get(uid);
    if (!m) this.routes.set(uid, (m = new Map()));
    const key = this.keyOf(consumer, service);
    if (m.has(key)) return;
    m.set(key, { consumer, service });
    const count = this.count(uid, service, 1);
    const record = this.observer.pods.get(uid);
    if (!record || record.phases.routable !== null) return;
    if (count >= this.applicable(service))
      this.observer.mark(uid, record.namespace, record.name, 'routable', this.engine.now(), causes[0]);
  }

  remove(consumer: ConsumerId, service: string, uid: string, causes: readonly number[]): void {
    const m = this.routes.get(uid);
    const key = this.keyOf(consumer, service);
    if (!m?.delete(key)) return;
    this.count(uid, service, -1);
    const window = this.open.get(`${uid}\u0000${key}`);
    if (!window) return;
    this.open.delete(`${uid}\u0000${key}`);
    window.end = this.engine.now();
    const object: ObjectRef = { kind: 'Pod', namespace: service.split('/')[0], name: window.pod, uid };
    window.eventId = this.trace.emit({
      time: window.end,
      lane: consumer.lane,
      node: consumer.node,
      object,
      reason: window.why === 'SIGTERM' ? 'RoutedToTerminatingPod' : 'RoutedToNotReadyPod',
      message:
        `${consumer.name} kept routing ${service} to pod ${window.pod} (${window.ip}) for ` +
        `${goDuration(window.end - window.start)} after ` +
        `${window.why === 'SIGTERM' ? 'it was sent SIGTERM' : 'it turned not ready'}`,
      severity: 'Warning',
      causes,
      duration: window.end - window.start,
    });
  }

  private stoppedServing(record: PodRecord, time: number, why: string): void {
    const m = this.routes.get(record.uid);
    if (!m) return;
    for (const [key, r] of m) {
      const window: RoutingWindow = {
        consumer: r.consumer.name,
        lane: r.consumer.lane,
        node: r.consumer.node,
        service: r.service,
        pod: record.name,
        podUid: record.uid,
        ip: record.ip ?? '',
        why,
        start: time,
        end: null,
        eventId: null,
      };
      this.open.set(`${record.uid}\u0000${key}`, window);
      this.windows.push(window);
    }
  }
}
