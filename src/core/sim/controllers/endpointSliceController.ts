// The EndpointSlice controller (pkg/controller/endpointslice): for every Service with a
// selector, slices of at most 100 endpoints (`<service>-<5 chars>`), one endpoint per pod
// that has an IP, with ready (Ready and not terminating), serving (Ready) and terminating
// (deletionTimestamp set) conditions; named targetPorts resolve per pod.
import type { Endpoint, EndpointPort } from '../../base/apiObjects';
import type { SimContext } from '../client/context';
import { mapSelectorMatches, keyOf, objectKey } from '../store/objects';
import type { EndpointSlice, Pod, Service } from '../store/kinds';
import { controllerLatency, Informer, splitKey, WorkQueue } from '../client/informer';
import { isPodReady, isPodTerminal } from '../helpers/podUtil';

const user = 'system:serviceaccount:kube-system:endpointslice-controller';
const maxEndpointsPerSlice = 100;
const managedBy = 'endpointslice-controller.k8s.io';

export class EndpointSliceController {
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly queue: WorkQueue;
  private readonly creating = new Set<string>();
  /**
   * Each Service's pods (those its selector matches), by pod key: kept as pods and Services
   * change, so a sync reads its own pods rather than every pod of the namespace.
   */
  private readonly members = new Map<string, Set<string>>();
  /**
   * When each pod came into the pods cache: a sync takes the ports of the
   * first of its pods in that order, as a walk of the namespace would.
   */
  private readonly arrival = new Map<string, number>();
  private arrivals = 0;

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(
      ctx.engine,
      controllerLatency(ctx, 'endpointslice-controller', 'endpointSliceSync'),
      (key) => this.sync(key),
    );
    this.services = ctx.informers.get('services').onChange((e) => {
      const key = keyOf(e.object);
      this.members.delete(key);
      this.queue.add(key);
    });
    this.slices = ctx.informers.get('endpointslices').onChange((e) => {
      const svc = e.object.metadata.labels?.['kubernetes.io/service-name'];
      if (svc && e.type === 'ADDED') this.creating.delete(objectKey(e.object.metadata.namespace, svc));
    });
    this.pods = ctx.informers.get('pods').onChange((e, old) => {
      const podKey = keyOf(e.object);
      // A pod arrives when the informer first has it (no old version): its place in the namespace's order.
      if (e.type === 'DELETED') this.arrival.delete(podKey);
      else if (!old) this.arrival.set(podKey, this.arrivals++);
      // Only changes that alter an endpoint matter: IP, readiness, deletion, labels, node.
      if (old && e.type === 'MODIFIED' && !endpointRelevantChange(old, e.object)) return;
      for (const svc of this.services.inNamespace(e.object.metadata.namespace!)) {
        const selected = mapSelectorMatches(svc.spec?.selector, e.object.metadata.labels);
        const svcKey = keyOf(svc);
        const members = this.members.get(svcKey);
        if (members) {
          if (selected && e.type !== 'DELETED') members.add(podKey);
          else members.delete(podKey);
        }
        if (selected || (old && mapSelectorMatches(svc.spec?.selector, old.metadata.labels))) this.queue.add(svcKey);
      }
    });
  }

  /** The keys of a Service's pods: found once by walking the namespace, then kept as pods change. */
  private membersOf(svc: Service, key: string): Set<string> {
    let members = this.members.get(key);
    if (members === undefined) {
      members = new Set();
      for (const pod of this.pods.inNamespace(svc.metadata.namespace!))
        if (mapSelectorMatches(svc.spec?.selector, pod.metadata.labels)) members.add(keyOf(pod));
      this.members.set(key, members);
    }
    return members;
  }

  private sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const svc = this.services.get(namespace, name);
    const existing = [...this.slices.inNamespace(namespace!)].filter(
      (s) =>
        s.metadata.labels?.['kubernetes.io/service-name'] === name &&
        s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === managedBy,
    );
    if (!svc || !svc.spec?.selector) return; // slices of a deleted Service go with it through the garbage collector
    const endpoints: Endpoint[] = [];
    let ports: EndpointPort[] | undefined;
    let portsFrom = Number.POSITIVE_INFINITY;
    for (const podKey of this.membersOf(svc, key)) {
      const pod = this.pods.cache.get(podKey);
      if (pod === undefined) continue;
      const endpoint = endpointOf(pod, namespace!, Boolean(svc.spec.publishNotReadyAddresses));
      if (endpoint === null) continue;
      const podPorts = resolvePorts(svc, pod);
      if (!podPorts) continue;
      const arrived = this.arrival.get(podKey) ?? Number.POSITIVE_INFINITY;
      if (ports === undefined || arrived < portsFrom) {
        ports = podPorts;
        portsFrom = arrived;
      }
      endpoints.push(endpoint);
    }
    endpoints.sort((a, b) => (a.targetRef!.name! < b.targetRef!.name! ? -1 : 1));
    const chunks: Endpoint[][] = [];
    for (let i = 0; i < endpoints.length; i += maxEndpointsPerSlice)
      chunks.push(endpoints.slice(i, i + maxEndpointsPerSlice));
    if (chunks.length === 0) chunks.push([]);
    const sorted = [...existing].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    chunks.forEach((chunk, i) => {
      const slice = sorted[i];
      const body = { addressType: 'IPv4', endpoints: chunk, ports: ports ?? [] };
      if (slice) {
        if (sameList(slice.endpoints, chunk) && sameList(slice.ports, body.ports)) return;
        this.ctx.api.update('endpointslices', { ...slice, ...body }, user, {
          onDone: (s) => s && this.traceSlice(svc, s),
        });
      } else {
        if (this.creating.has(key)) {
          this.queue.addAfter(key, 50);
          return;
        }
        this.creating.add(key);
        const created: EndpointSlice = {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: {
            name: '',
            generateName: `${name}-`,
            namespace,
            labels: { 'kubernetes.io/service-name': name!, 'endpointslice.kubernetes.io/managed-by': managedBy },
            ownerReferences: [
              {
                apiVersion: 'v1',
                kind: 'Service',
                name: name!,
                uid: svc.metadata.uid!,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          ...body,
        };
        this.ctx.api.create('endpointslices', created, user, { onDone: (s) => s && this.traceSlice(svc, s) });
      }
    });
    for (const extra of sorted.slice(chunks.length))
      this.ctx.api.delete('endpointslices', namespace, extra.metadata.name, user);
  }

  private traceSlice(svc: Service, slice: EndpointSlice): void {
    const eps = slice.endpoints ?? [];
    const ready = eps.filter((e) => e.conditions!.ready).length;
    const terminating = eps.filter((e) => e.conditions!.terminating).length;
    const id = this.ctx.trace.emit({
      time: this.ctx.engine.now(),
      lane: 'endpoints',
      node: null,
      object: this.ctx.trace.refs.of(svc),
      reason: 'EndpointSliceUpdated',
      message:
        `${slice.metadata.name}: ${eps.length} endpoint(s), ` +
        `${ready} ready${terminating ? `, ${terminating} terminating` : ''}`,
    });
    this.ctx.api.lastWrite.set(slice.metadata.uid!, id);
  }
}

/**
 * A pod's endpoint, or null for a pod that has none (no IP yet, or finished). Kept per pod
 * object: a sync finds most pods unchanged, and compares their endpoints by identity.
 */
function endpointOf(pod: Pod, namespace: string, publishNotReady: boolean): Endpoint | null {
  const kept = endpoints.get(pod);
  if (kept !== undefined && kept.publishNotReady === publishNotReady && kept.namespace === namespace)
    return kept.endpoint;
  if (!pod.status?.podIP || isPodTerminal(pod)) {
    endpoints.set(pod, { publishNotReady, namespace, endpoint: null });
    return null;
  }
  const terminating = Boolean(pod.metadata.deletionTimestamp);
  const ready = isPodReady(pod);
  const endpoint = {
    addresses: [pod.status.podIP],
    conditions: { ready: publishNotReady ? true : ready && !terminating, serving: ready, terminating },
    nodeName: pod.spec?.nodeName,
    targetRef: { kind: 'Pod', namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  endpoints.set(pod, { publishNotReady, namespace, endpoint });
  return endpoint;
}

const endpoints = new WeakMap<
  Pod,
  { readonly publishNotReady: boolean; readonly namespace: string; readonly endpoint: Endpoint | null }
>();

/** Whether a slice already holds these endpoints (or ports): the same items, or items that write the same JSON. */
function sameList<T>(stored: readonly T[] | undefined, wanted: readonly T[]): boolean {
  if (stored === wanted) return true;
  if (!Array.isArray(stored)) return JSON.stringify(stored) === JSON.stringify(wanted);
  // Lists of different lengths never write the same JSON.
  if (stored.length !== wanted.length) return false;
  for (let i = 0; i < wanted.length; i++)
    if (stored[i] !== wanted[i] && JSON.stringify(stored[i]) !== JSON.stringify(wanted[i])) return false;
  return true;
}

function endpointRelevantChange(old: Pod, pod: Pod): boolean {
  return (
    old.status?.podIP !== pod.status?.podIP ||
    isPodReady(old) !== isPodReady(pod) ||
    old.metadata.deletionTimestamp !== pod.metadata.deletionTimestamp ||
    old.metadata.labels !== pod.metadata.labels ||
    old.status?.phase !== pod.status?.phase
  );
}

/**
 * The slice ports for a pod: numeric targetPorts as they are, named ones from the pod's
 * containerPorts. Kept per pod spec for the Service's ports (neither changes in place; a
 * controller's pods share their containers' ports, not their specs).
 */
function resolvePorts(svc: Service, pod: Pod): EndpointPort[] | undefined {
  const kept = resolvedPorts.get(pod.spec!);
  if (kept !== undefined && kept.servicePorts === svc.spec!.ports) return kept.ports;
  const ports = resolvePortsOf(svc, pod);
  resolvedPorts.set(pod.spec!, { servicePorts: svc.spec!.ports, ports });
  return ports;
}

const resolvedPorts = new WeakMap<
  object,
  { readonly servicePorts: unknown; readonly ports: EndpointPort[] | undefined }
>();

function resolvePortsOf(svc: Service, pod: Pod): EndpointPort[] | undefined {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const target = sp.targetPort ?? sp.port;
    let port: number | undefined;
    if (typeof target === 'number' || /^\d+$/.test(String(target))) port = Number(target);
    else {
      for (const c of pod.spec?.containers ?? [])
        for (const cp of c.ports ?? [])
          if (cp.name === target && (cp.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) port = cp.containerPort;
    }
    if (port === undefined) return undefined;
    out.push({ ...(sp.name ? { name: sp.name } : { name: '' }), port, protocol: sp.protocol ?? 'TCP' });
  }
  return out;
}
