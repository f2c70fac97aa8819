// Builds the consumers of a cluster and feeds them EndpointSlice changes through one shared
// watch, each after its own watch latency. Also marks the `inEndpoints` phase of a pod the
// first time a slice lists it as ready.
import type { SimContext } from '../client/context';
import { Informer } from '../client/informer';
import type { PodObserver } from '../../trace/model/podObserver';
import { Latencies } from '../profile/profile';
import type { EndpointSlice, Ingress, Namespace, Service } from '../store/kinds';
import { EndpointConsumer, type ConsumerPolicy, type ServiceBackends } from './endpointConsumers';
import { RoutingLedger } from './routingLedger';

export class ConsumerHub {
  readonly consumers: EndpointConsumer[] = [];
  readonly ledger: RoutingLedger;
  private readonly slices: Informer<EndpointSlice>;
  private readonly ingresses: Informer<Ingress>;
  private readonly services: Informer<Service>;
  private readonly namespaces: Informer<Namespace>;
  private readonly latencies: Latencies;

  constructor(
    private readonly ctx: SimContext,
    observer: PodObserver,
    nodeNames: readonly string[],
  ) {
    this.latencies = new Latencies(ctx.profile, ctx.engine.random('consumer-hub'));
    this.ledger = new RoutingLedger(ctx.engine, ctx.trace, observer);
    this.ingresses = ctx.informers.get('ingresses');
    this.services = ctx.informers.get('services');
    this.namespaces = ctx.informers.get('namespaces');
    for (const node of nodeNames) this.addKubeProxy(node);
    const constant = (n: Parameters<Latencies['constant']>[0]) => this.latencies.constant(n);
    this.add({
      name: 'coredns',
      lane: 'coredns',
      node: null,
      minIntervalMs: 0,
      debounceMs: 0,
      syncStep: 'corednsUpdate',
      removalDelayMs: () => constant('corednsTtlMs'),
      applies: (s) => this.isHeadless(s),
      fallbackToTerminating: false,
      verb: 'updated DNS records',
    });
    this.add({
      name: 'ingress-nginx',
      lane: 'ingress',
      node: null,
      minIntervalMs: constant('ingressMinSyncMs'),
      debounceMs: 0,
      syncStep: 'ingressSync',
      removalDelayMs: () => 0,
      applies: (s) => this.hasIngress(s),
      fallbackToTerminating: false,
      verb: 'updated upstream backends',
    });
    this.add({
      name: 'istiod',
      lane: 'mesh',
      node: null,
      minIntervalMs: 0,
      debounceMs: constant('meshDebounceMs'),
      syncStep: 'meshPush',
      removalDelayMs: () => 0,
      applies: (s) => this.inMesh(s),
      fallbackToTerminating: false,
      verb: 'pushed EDS',
    });
    // How many consumers apply to a service: asked for every endpoint a consumer adds, so kept
    // until a consumer is added or a Service, Ingress or Namespace changes (what `applies` reads).
    this.ledger.applicable = (service) => {
      let n = this.applicable.get(service);
      if (n === undefined)
        this.applicable.set(service, (n = this.consumers.filter((c) => c.policy.applies(service)).length));
      return n;
    };
    for (const informer of [this.services, this.ingresses, this.namespaces])
      informer.onChange(() => this.applicable.clear());
    this.slices = ctx.informers.get('endpointslices').onChange((e) => {
      const service = `${e.object.metadata.namespace}/${e.object.metadata.labels?.['kubernetes.io/service-name']}`;
      this.backends.delete(service);
      const cause = ctx.api.lastWrite.get(e.object.metadata.uid ?? '');
      if (e.type !== 'DELETED') this.markInEndpoints(e.object, observer, cause);
      // Each consumer's watch delivers after its own latency; consumers due at the same
      // millisecond are told in one engine event, in their order (their events would have run
      // one after the other: they were queued together, so nothing else comes between).
      const due = new Map<number, EndpointConsumer[]>();
      for (const consumer of this.consumers) {
        const delay = this.latencies.of('watchDelivery');
        const group = due.get(delay);
        if (group) group.push(consumer);
        else due.set(delay, [consumer]);
      }
      for (const [delay, group] of due)
        ctx.engine.after(delay, () => group.forEach((consumer) => consumer.changed(service, cause)));
    });
  }

  /** Per service, how many consumers apply to it (see the ledger's `applicable`). */
  private readonly applicable = new Map<string, number>();
  /** Per service, its backends as its slices list them, until they change. */
  private readonly backends = new Map<string, ServiceBackends>();

  private backendsOf(service: string): ServiceBackends {
    let known = this.backends.get(service);
    if (known === undefined) {
      const ready = new Map<string, string>();
      const terminating = new Map<string, string>();
      for (const slice of this.slicesOf(service)) {
        for (const ep of slice.endpoints ?? []) {
          const uid = ep.targetRef?.uid;
          if (!uid) continue;
          if (ep.conditions?.ready) ready.set(uid, ep.addresses[0]);
          else if (ep.conditions?.serving && ep.conditions?.terminating) terminating.set(uid, ep.addresses[0]);
        }
      }
      this.backends.set(service, (known = { ready, terminating }));
    }
    return known;
  }

  addKubeProxy(node: string): void {
    this.add({
      name: `kube-proxy/${node}`,
      lane: 'kube-proxy',
      node,
      minIntervalMs: this.latencies.constant('kubeProxyMinSyncMs'),
      debounceMs: 0,
      syncStep: 'kubeProxySync',
      removalDelayMs: () => 0,
      applies: () => true,
      fallbackToTerminating: true,
      verb: 'synced iptables rules',
    });
  }

  private add(policy: ConsumerPolicy): void {
    this.consumers.push(new EndpointConsumer(this.ctx, policy, (s) => this.backendsOf(s), this.ledger));
    this.applicable.clear();
  }

  find(name: string): EndpointConsumer | undefined {
    return this.consumers.find((c) => c.policy.name === name || c.policy.lane === name);
  }

  serviceKeys(): string[] {
    return [...this.services.cache.keys()];
  }

  private slicesOf(service: string): EndpointSlice[] {
    const [ns, name] = service.split('/');
    return [...this.slices.inNamespace(ns)].filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name);
  }

  private isHeadless(service: string): boolean {
    const [ns, name] = service.split('/');
    return this.services.get(ns, name)?.spec?.clusterIP === 'None';
  }

  private hasIngress(service: string): boolean {
    const [ns, name] = service.split('/');
    for (const ing of this.ingresses.inNamespace(ns)) {
      if (ing.spec?.defaultBackend?.service?.name === name) return true;
      for (const rule of ing.spec?.rules ?? [])
        for (const path of rule.http?.paths ?? []) if (path.backend?.service?.name === name) return true;
    }
    return false;
  }

  private inMesh(service: string): boolean {
    const ns = service.split('/')[0];
    return this.namespaces.get(undefined, ns)?.metadata.labels?.['istio-injection'] === 'enabled';
  }

  private markInEndpoints(slice: EndpointSlice, observer: PodObserver, cause: number | undefined): void {
    for (const ep of slice.endpoints ?? []) {
      if (!ep.conditions?.ready || !ep.targetRef?.uid) continue;
      const r = observer.pods.get(ep.targetRef.uid);
      if (r && r.phases.inEndpoints === null)
        observer.mark(r.uid, r.namespace, r.name, 'inEndpoints', this.ctx.engine.now(), cause);
    }
  }
}
