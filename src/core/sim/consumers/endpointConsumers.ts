// Endpoint consumers, each seeing EndpointSlice changes at its own time (DESIGN section 3):
// kube-proxy on every node (BoundedFrequencyRunner with minSyncPeriod, a sync takes the
// time of an iptables-restore), CoreDNS (informer, and for headless Services clients keep
// records for the TTL), an Ingress controller (ingress-nginx's sync rate limit) and a mesh
// control plane (istiod's push debounce). Each routes to ready endpoints, and kube-proxy
// falls back to serving-terminating ones when none is ready (ProxyTerminatingEndpoints).
import type { Lane } from '../../trace/model/traceEvent';
import type { SimContext } from '../client/context';
import type { TimerHandle } from '../engine/engine';
import { Latencies, type StepName } from '../profile/profile';
import type { ConsumerId, RoutingLedger } from './routingLedger';

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

/**
 * The backends of a service as the slices list them now: ready endpoints by pod uid → IP, and the
 * serving-terminating ones. The hub keeps one per service until its slices change, and every
 * consumer reads that one (never changing it), so consumers that sync between two changes
 * share their backends, their message and their diffs.
 */
export interface ServiceBackends {
  readonly ready: ReadonlyMap<string, string>;
  readonly terminating: ReadonlyMap<string, string>;
}

export class EndpointConsumer {
  private readonly dirty = new Set<string>();
  private readonly routing = new Map<string, ReadonlyMap<string, string>>();
  private timer: TimerHandle | undefined;
  private lastSync = Number.NEGATIVE_INFINITY;
  private syncing = false;
  private cut = false;
  private readonly latencies: Latencies;
  private lastCause: number | undefined;

  readonly id: ConsumerId;

  constructor(
    private readonly ctx: SimContext,
    readonly policy: ConsumerPolicy,
    private readonly backendsOf: (service: string) => ServiceBackends,
    private readonly ledger: RoutingLedger,
  ) {
    this.latencies = new Latencies(ctx.profile, ctx.engine.random(`consumer/${policy.name}`));
    this.id = { name: policy.name, lane: policy.lane, node: policy.node };
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
    this.ctx.trace.emit({
      time: this.ctx.engine.now(),
      lane: this.policy.lane,
      node: this.policy.node,
      object: { kind: 'Component', namespace: null, name: this.policy.name, uid: null },
      reason: 'WatchCut',
      message: `${this.policy.name} lost its EndpointSlice watch`,
      severity: 'Warning',
    });
  }

  /** The watch comes back: a relist marks every service dirty. */
  restoreWatch(services: Iterable<string>): void {
    this.cut = false;
    this.ctx.trace.emit({
      time: this.ctx.engine.now(),
      lane: this.policy.lane,
      node: this.policy.node,
      object: { kind: 'Component', namespace: null, name: this.policy.name, uid: null },
      reason: 'WatchRestored',
      message: `${this.policy.name} relisted EndpointSlices`,
    });
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

  private backends(service: string): ReadonlyMap<string, string> {
    const { ready, terminating } = this.backendsOf(service);
    return ready.size === 0 && this.policy.fallbackToTerminating ? terminating : ready;
  }

  private apply(service: string, backends: ReadonlyMap<string, string>, took: number, cause: number | undefined): void {
    const before = this.routing.get(service) ?? noBackends;
    if (before === backends) return;
    const { added, removed } = diffOf(before, backends);
    if (added.length === 0 && removed.length === 0) return;
    this.routing.set(service, backends);
    const slash = service.indexOf('/');
    const namespace = service.slice(0, slash);
    const name = service.slice(slash + 1);
    const svc = this.ctx.store.get('services', namespace, name);
    const object = svc ? this.ctx.trace.refs.of(svc) : { kind: 'Service', namespace, name, uid: null };
    const id = this.ctx.trace.emit({
      time: this.ctx.engine.now(),
      lane: this.policy.lane,
      node: this.policy.node,
      object,
      reason: 'EndpointsSynced',
      message: `${this.policy.verb}: ${service} → ${backends.size} backend(s) [${addressList(backends)}]`,
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

const noBackends: ReadonlyMap<string, string> = new Map();

/** How many addresses a message lists: a sync of a large Service names the first ones and counts the rest. */
const listedAddresses = 10;

/**
 * `10.244.1.2, 10.244.2.3`: a backends map's addresses, sorted, at most `listedAddresses` of
 * them and then `… 90 more` (a kube-proxy on every node syncs every Service: listing every
 * backend made a trace of 1,000 nodes a gigabyte). Made once per map: consumers share maps.
 */
const addressLists = new WeakMap<ReadonlyMap<string, string>, string>();
function addressList(backends: ReadonlyMap<string, string>): string {
  let list = addressLists.get(backends);
  if (list === undefined) {
    const sorted = [...backends.values()].sort();
    list =
      sorted.length <= listedAddresses
        ? sorted.join(', ')
        : `${sorted.slice(0, listedAddresses).join(', ')}, … ${sorted.length - listedAddresses} more`;
    addressLists.set(backends, list);
  }
  return list;
}

/**
 * What changed from one backends map to another, in the maps' orders (made once per pair: consumers in step share it).
 */
const diffs = new WeakMap<
  ReadonlyMap<string, string>,
  WeakMap<ReadonlyMap<string, string>, { added: string[]; removed: string[] }>
>();
function diffOf(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): { added: string[]; removed: string[] } {
  let from = diffs.get(before);
  if (!from) diffs.set(before, (from = new WeakMap()));
  let diff = from.get(after);
  if (!diff) {
    diff = {
      added: [...after.keys()].filter((u) => !before.has(u)),
      removed: [...before.keys()].filter((u) => !after.has(u)),
    };
    from.set(after, diff);
  }
  return diff;
}
