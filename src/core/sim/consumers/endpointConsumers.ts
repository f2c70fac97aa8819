// Endpoint consumers, each seeing EndpointSlice changes at its own time (DESIGN section 3):
// kube-proxy on every node (BoundedFrequencyRunner with minSyncPeriod, a sync takes the
// time of an iptables-restore), CoreDNS (informer, and for headless Services clients keep
// records for the TTL), an Ingress controller (ingress-nginx's sync rate limit) and a mesh
// control plane (istiod's push debounce). Each routes to ready endpoints, and kube-proxy
// falls back to serving-terminating ones when none is ready (ProxyTerminatingEndpoints).
import type { Lane } from '../../trace/traceEvent';
import type { SimContext } from '../context';
import { refOf } from '../context';
import type { TimerHandle } from '../engine/engine';
import { Latencies, type StepName } from '../profile/profile';
import type { KubeObject } from '../store/objects';
import type { RoutingLedger } from './routingLedger';

/* eslint-disable @typescript-eslint/no-explicit-any -- endpoints are loosely typed. */

export interface ConsumerPolicy {
  readonly name: string;
  readonly lane: Lane;
  readonly node: string | null;
  /** Minimum time between two syncs (0: none). */
  readonly minIntervalMs: number;
  /** Wait after a change before syncing, restarted by each new change (0: none). */
  readonly debounceMs: number;
  readonly syncStep: StepName;
  /** Extra delay before removals take effect at clients (DNS TTL), or 0. */
  readonly removalDelayMs: (service: string) => number;
  readonly applies: (service: string) => boolean;
  readonly fallbackToTerminating: boolean;
  readonly verb: string;
}

export class EndpointConsumer {
  private readonly dirty = new Set<string>();
  private readonly routing = new Map<string, Map<string, string>>();
  private timer: TimerHandle | undefined;
  private lastSync = Number.NEGATIVE_INFINITY;
  private syncing = false;
  private cut = false;
  private readonly latencies: Latencies;
  private lastCause: number | undefined;

  constructor(
    private readonly ctx: SimContext,
    readonly policy: ConsumerPolicy,
    private readonly slicesOf: (service: string) => KubeObject[],
    private readonly ledger: RoutingLedger,
  ) {
    this.latencies = new Latencies(ctx.profile, ctx.engine.random(`consumer/${policy.name}`));
  }

  get id() {
    return { name: this.policy.name, lane: this.policy.lane, node: this.policy.node };
  }

  /** A slice of `service` changed (as this consumer's watch delivers it). */
  changed(service: string, cause: number | undefined): void {
    if (this.cut || !this.policy.applies(service)) return;
    this.dirty.add(service);
    this.lastCause = cause;
    this.schedule();
  }

  cutWatch(): void {
    this.cut = true;
    this.ctx.trace.emit({ time: this.ctx.engine.now(), lane: this.policy.lane, node: this.policy.node, object: { kind: 'Component', namespace: null, name: this.policy.name, uid: null }, reason: 'WatchCut', message: `${this.policy.name} lost its EndpointSlice watch`, severity: 'Warning' });
  }

  /** The watch comes back: a relist marks every service dirty. */
  restoreWatch(services: Iterable<string>): void {
    this.cut = false;
    this.ctx.trace.emit({ time: this.ctx.engine.now(), lane: this.policy.lane, node: this.policy.node, object: { kind: 'Component', namespace: null, name: this.policy.name, uid: null }, reason: 'WatchRestored', message: `${this.policy.name} relisted EndpointSlices` });
    for (const s of services) if (this.policy.applies(s)) this.dirty.add(s);
    this.schedule();
  }

  private schedule(): void {
    if (this.syncing) return;
    const now = this.ctx.engine.now();
    if (this.policy.debounceMs > 0) {
      this.ctx.engine.cancel(this.timer);
      this.timer = this.ctx.engine.after(this.policy.debounceMs, () => this.sync());
      return;
    }
    if (this.timer) return;
    const at = Math.max(now, this.lastSync + this.policy.minIntervalMs);
    this.timer = this.ctx.engine.after(at - now, () => this.sync());
  }

  private sync(): void {
    this.timer = undefined;
    if (this.cut || this.dirty.size === 0) return;
    this.syncing = true;
    this.lastSync = this.ctx.engine.now();
    const services = [...this.dirty].sort();
    this.dirty.clear();
    // The rules are computed from the slices as they are now and are in force when the sync ends.
    const snapshot = services.map((s) => ({ service: s, backends: this.backends(s) }));
    const cause = this.lastCause;
    const took = this.latencies.of(this.policy.syncStep);
    this.ctx.engine.after(took, () => {
      this.syncing = false;
      for (const { service, backends } of snapshot) this.apply(service, backends, took, cause);
      if (this.dirty.size > 0) this.schedule();
    });
  }

  private backends(service: string): Map<string, string> {
    const out = new Map<string, string>();
    const terminating = new Map<string, string>();
    for (const slice of this.slicesOf(service)) {
      for (const ep of (slice.endpoints as any[]) ?? []) {
        const uid = ep.targetRef?.uid;
        if (!uid) continue;
        if (ep.conditions?.ready) out.set(uid, ep.addresses[0]);
        else if (ep.conditions?.serving && ep.conditions?.terminating) terminating.set(uid, ep.addresses[0]);
      }
    }
    return out.size === 0 && this.policy.fallbackToTerminating ? terminating : out;
  }

  private apply(service: string, backends: Map<string, string>, took: number, cause: number | undefined): void {
    const before = this.routing.get(service) ?? new Map<string, string>();
    const added = [...backends.keys()].filter((u) => !before.has(u));
    const removed = [...before.keys()].filter((u) => !backends.has(u));
    if (added.length === 0 && removed.length === 0) return;
    this.routing.set(service, backends);
    const svc = this.ctx.store.get('services', service.split('/')[0], service.split('/')[1]);
    const object = svc ? refOf(svc) : { kind: 'Service', namespace: service.split('/')[0], name: service.split('/')[1], uid: null };
    const id = this.ctx.trace.emit({
      time: this.ctx.engine.now(),
      lane: this.policy.lane,
      node: this.policy.node,
      object,
      reason: 'EndpointsSynced',
      message: `${this.policy.verb}: ${service} → ${backends.size} backend(s) [${[...backends.values()].sort().join(', ')}]`,
      causes: cause === undefined ? [] : [cause],
      duration: took,
    });
    for (const uid of added) this.ledger.add(this.id, service, uid, [id]);
    const delay = this.policy.removalDelayMs(service);
    for (const uid of removed) {
      if (delay > 0) this.ctx.engine.after(delay, () => this.ledger.remove(this.id, service, uid, [id]));
      else this.ledger.remove(this.id, service, uid, [id]);
    }
  }
}
