// A kubelet per node: it registers its Node (capacity, allocatable, conditions, images),
// renews its Lease every 10 s, watches only the pods bound to its node (as the apiserver's
// watch cache indexes them) and runs a PodWorker per pod. A failed node stops renewing and
// stops writing; recovering resumes both.
import type { Node, Pod } from '../store/kinds';
import type { NodeCondition, NodeStatus, Taint } from '../../base/apiObjects';
import { flat } from '../../base/flatString';
import type { EventSeverity, Lane } from '../../trace/model/traceEvent';
import type { SimContext } from '../client/context';
import type { TimerHandle } from '../engine/engine';
import { Latencies, type LatencyProfile } from '../profile/profile';
import { rfc3339Micro } from '../store/naming';
import {
  Backoff,
  NodeImages,
  imageBackoffInitialMs,
  imageBackoffMaxMs,
  notFoundError,
  type PullOutcome,
} from './imageManager';
import type { KubeletEventOptions, KubeletHost, KubeletNoteOptions } from './kubeletHost';
import type { PodObserver } from '../../trace/model/podObserver';
import { PodWorker } from './podWorker';
import { imageSizeMb } from './appModel';
import { normalizeImage } from '../helpers/imageName';
import { isPodTerminal } from '../helpers/podUtil';

export interface NodeConfig {
  readonly name: string;
  /** 0-based index: the node's pod CIDR and host IP derive from it. */
  readonly index: number;
  readonly cpu: string;
  readonly memory: string;
  readonly pods: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly Taint[];
}

const crashBackoffInitialMs = 10_000;
const crashBackoffMaxMs = 300_000;

export class Kubelet implements KubeletHost {
  readonly latencies: Latencies;
  readonly random;
  readonly images: NodeImages;
  readonly imageBackoff = new Backoff(imageBackoffInitialMs, imageBackoffMaxMs);
  readonly crashBackoff = new Backoff(crashBackoffInitialMs, crashBackoffMaxMs);
  readonly hostIP: string;
  private readonly subnet: string;
  private nextIp = 2;
  private readonly freeIps: string[] = [];
  private readonly workers = new Map<string, PodWorker>();
  private leaseTimer: TimerHandle | undefined;
  private imagesReport: TimerHandle | undefined;
  private isDown = false;
  private node: Node | undefined;

  constructor(
    readonly ctx: SimContext,
    private readonly config: NodeConfig,
    readonly observer: PodObserver,
    private readonly missingImages: ReadonlySet<string>,
  ) {
    this.latencies = new Latencies(ctx.profile, ctx.engine.random(`kubelet/${config.name}`));
    this.random = ctx.engine.random(`kubelet-ids/${config.name}`);
    this.images = new NodeImages(ctx.engine, ctx.profile.preloadedImages);
    for (const image of ctx.profile.preloadedImages) this.imageSizes.set(normalizeImage(image), 1024 * 1024);
    const i = config.index;
    this.subnet = `10.${244 + (i >> 8)}.${i & 255}`;
    this.hostIP = `172.18.${(i + 2) >> 8}.${(i + 2) & 255}`;
    this.user = flat(`system:node:${config.name}`);
    this.eventSource = { component: 'kubelet', host: config.name };
  }

  /** The source of the Events it records (one object: occurrences keep it until they are aggregated). */
  private readonly eventSource: { readonly component: string; readonly host: string };

  readonly user: string;

  get nodeName(): string {
    return this.config.name;
  }

  get down(): boolean {
    return this.isDown;
  }

  /** The Node object as a freshly started kubelet registers it. */
  nodeObject(profile: LatencyProfile): Node {
    const capacity = {
      cpu: this.config.cpu,
      memory: this.config.memory,
      pods: String(this.config.pods),
      'ephemeral-storage': '100Gi',
    };
    void profile;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: this.config.name,
        labels: {
          'kubernetes.io/hostname': this.config.name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          ...(this.config.labels ?? {}),
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
      },
      spec: {
        podCIDR: `${this.subnet}.0/24`,
        podCIDRs: [`${this.subnet}.0/24`],
        ...(this.config.taints ? { taints: this.config.taints } : {}),
      },
      status: {
        capacity,
        allocatable: capacity,
        conditions: conditions(this.ctx.engine.now()),
        addresses: [
          { type: 'InternalIP', address: this.hostIP },
          { type: 'Hostname', address: this.config.name },
        ],
        // The simulated machine has no identities (bootID, machineID, systemUUID, kernel and OS image) to
        // report; what it reports is what podtrace's readers use.
        nodeInfo: {
          kubeletVersion: `v${this.ctx.version}.0`,
          containerRuntimeVersion: 'containerd://2.1.0',
          operatingSystem: 'linux',
          architecture: 'amd64',
        } as NonNullable<NodeStatus['nodeInfo']>,
        images: [...this.imageSizes].map(([name, size]) => ({ names: [name], sizeBytes: size })),
      },
    };
  }

  /** Starts the kubelet against a Node that already exists in the store. */
  start(announce: boolean): void {
    const node = this.ctx.store.get('nodes', undefined, this.config.name);
    this.node = node;
    if (announce && node) {
      const src = { component: 'kubelet', host: this.config.name };
      for (const [reason, message] of [
        ['Starting', 'Starting kubelet.'],
        ['NodeHasSufficientMemory', `Node ${this.config.name} status is now: NodeHasSufficientMemory`],
        ['NodeHasNoDiskPressure', `Node ${this.config.name} status is now: NodeHasNoDiskPressure`],
        ['NodeHasSufficientPID', `Node ${this.config.name} status is now: NodeHasSufficientPID`],
        ['NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods'],
        ['NodeReady', `Node ${this.config.name} status is now: NodeReady`],
      ])
        this.ctx.events.record(src, node, 'Normal', reason, message, { lane: 'kubelet', node: this.config.name });
    }
    this.ctx.store.watch('pods', { fieldSelector: { field: 'spec.nodeName', value: this.config.name } }, (e) =>
      this.onPod(e.type, e.object),
    );
    this.renewLease();
  }

  private renewLease(): void {
    if (this.isDown) return;
    const now = this.ctx.engine.now();
    const name = this.config.name;
    if (!this.ctx.store.get('leases', 'kube-node-lease', name)) {
      this.ctx.store.create('leases', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace: 'kube-node-lease' },
        spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(now) },
      });
    } else {
      this.ctx.api.patch(
        'leases',
        'kube-node-lease',
        name,
        (cur) => ({ ...cur, spec: { ...cur.spec, renewTime: rfc3339Micro(now) } }),
        this.user,
      );
    }
    this.leaseTimer = this.ctx.engine.after(this.latencies.constant('nodeLeaseRenewMs'), () => this.renewLease(), true);
  }

  private onPod(type: string, pod: Pod): void {
    const uid = pod.metadata.uid!;
    const existing = this.workers.get(uid);
    if (type === 'DELETED') {
      this.workers.delete(uid);
      return;
    }
    if (existing) {
      if (!this.isDown) existing.update(pod);
      else existing.pod = pod;
      return;
    }
    if (isPodTerminal(pod)) return;
    const cause = this.ctx.api.lastWrite.get(uid);
    const worker = new PodWorker(this, pod, cause);
    this.workers.set(uid, worker);
    this.ctx.engine.after(this.latencies.of('kubeletSyncStart'), () => {
      if (this.isDown) return;
      if (worker.pod.metadata.deletionTimestamp) {
        worker.start();
        worker.update(worker.pod);
        return;
      }
      worker.start();
    });
  }

  onWorkerDone(uid: string): void {
    void uid;
  }

  /**
   * A pulled image reaches node.status.images at the next node status update (every
   * nodeStatusUpdateFrequency, 10 s), where the scheduler's ImageLocality sees it.
   */
  imagePulled(image: string, sizeBytes: number): void {
    this.imageSizes.set(normalizeImage(image), sizeBytes);
    if (this.imagesReport) return;
    this.imagesReport = this.ctx.engine.after(
      this.latencies.constant('nodeLeaseRenewMs'),
      () => {
        this.imagesReport = undefined;
        if (this.isDown) return;
        const images = [...this.imageSizes].map(([name, size]) => ({ names: [name], sizeBytes: size }));
        this.ctx.api.patch(
          'nodes',
          undefined,
          this.config.name,
          (cur) => ({ ...cur, status: { ...cur.status, images } }),
          this.user,
        );
      },
      true,
    );
  }

  private readonly imageSizes = new Map<string, number>();

  allocateIp(): string {
    // host-local IPAM hands out addresses in order and does not reuse them right away.
    if (this.nextIp < 255) return `${this.subnet}.${this.nextIp++}`;
    return this.freeIps.shift() ?? `${this.subnet}.254`;
  }

  releaseIp(ip: string): void {
    this.freeIps.push(ip);
  }

  pullOutcome(pod: Pod, image: string): PullOutcome {
    const annotated = pod.metadata.annotations?.['podtrace.dev/image-pull-error'];
    if (annotated !== undefined) return { ok: false, error: annotated || notFoundError(image) };
    if (this.missingImages.has(image)) return { ok: false, error: notFoundError(image) };
    const mb = imageSizeMb(pod, image, this.ctx.profile.imageSizesMb, this.latencies.constant('defaultImageSizeMb'));
    return { ok: true, sizeBytes: Math.round(mb * 1024 * 1024) };
  }

  record(
    pod: Pod,
    severity: EventSeverity,
    reason: string,
    message: string,
    options: KubeletEventOptions = {},
  ): number {
    const id = this.ctx.events.record(this.eventSource, pod, severity, reason, message, {
      lane: options.lane ?? 'kubelet',
      node: this.config.name,
      fieldPath: options.fieldPath,
      causes: options.causes,
      cause: options.cause,
      duration: options.duration,
    });
    if (severity === 'Warning')
      this.observer.record(pod.metadata.uid!, pod.metadata.namespace!, pod.metadata.name).lastWarning =
        `${reason}: ${message}`;
    return id;
  }

  note(pod: Pod, lane: Lane, reason: string, message: string, options: KubeletNoteOptions = {}): number {
    return this.ctx.trace.emit({
      time: this.ctx.engine.now(),
      lane,
      node: this.config.name,
      object: this.ctx.trace.refs.of(pod),
      fieldPath: options.fieldPath,
      reason,
      message,
      severity: options.severity,
      causes: options.causes,
      cause: options.cause,
      duration: options.duration,
    });
  }

  /** The node stops: no lease renewals, no status writes, no reaction to its pods. */
  fail(): void {
    this.isDown = true;
    this.ctx.engine.cancel(this.leaseTimer);
    if (this.node)
      this.ctx.trace.emit({
        time: this.ctx.engine.now(),
        lane: 'kubelet',
        node: this.config.name,
        object: this.ctx.trace.refs.of(this.node),
        reason: 'NodeFailed',
        message: `node ${this.config.name} stopped responding (scenario)`,
        severity: 'Warning',
      });
  }

  recover(): void {
    if (!this.isDown) return;
    this.isDown = false;
    if (this.node)
      this.ctx.trace.emit({
        time: this.ctx.engine.now(),
        lane: 'kubelet',
        node: this.config.name,
        object: this.ctx.trace.refs.of(this.node),
        reason: 'NodeRecovered',
        message: `node ${this.config.name} is back (scenario)`,
      });
    const now = this.ctx.engine.now();
    this.ctx.api.patch(
      'nodes',
      undefined,
      this.config.name,
      (cur) => ({ ...cur, status: { ...cur.status, conditions: conditions(now) } }),
      this.user,
    );
    this.renewLease();
    for (const w of this.workers.values()) {
      w.update(w.pod);
      w.markDirty();
    }
  }

  /**
   * The node was cordoned or uncordoned: the kubelet says so at its next node status update
   * (nodeStatusUpdateFrequency, 10 s), as recordNodeSchedulableEvent does.
   */
  schedulableChanged(unschedulable: boolean): void {
    if (this.isDown) return;
    const name = this.config.name;
    this.ctx.engine.after(this.random.next() * 10_000, () => {
      const node = this.ctx.store.get('nodes', undefined, name);
      if (!node || this.isDown || Boolean(node.spec?.unschedulable) !== unschedulable) return;
      const reason = unschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable';
      this.ctx.events.record(
        { component: 'kubelet', host: name },
        node,
        'Normal',
        reason,
        `Node ${name} status is now: ${reason}`,
        { lane: 'kubelet', node: name },
      );
    });
  }

  /** A scenario makes a container's probes fail (or pass again). */
  setProbesFailing(podName: string, namespace: string, container: string | undefined, failing: boolean): boolean {
    for (const w of this.workers.values()) {
      if (w.pod.metadata.name !== podName || w.pod.metadata.namespace !== namespace) continue;
      for (const c of w.containers)
        if (!container || c.name === container) {
          c.failingProbes = failing;
          w.runtime.wakeProbes(c);
        }
      return true;
    }
    return false;
  }

  podsOf(): Iterable<PodWorker> {
    return this.workers.values();
  }
}

function conditions(now: number): NodeCondition[] {
  const t = rfc3339Micro(now).replace(/\.\d+Z$/, 'Z');
  return [
    {
      type: 'MemoryPressure',
      status: 'False',
      lastHeartbeatTime: t,
      lastTransitionTime: t,
      reason: 'KubeletHasSufficientMemory',
      message: 'kubelet has sufficient memory available',
    },
    {
      type: 'DiskPressure',
      status: 'False',
      lastHeartbeatTime: t,
      lastTransitionTime: t,
      reason: 'KubeletHasNoDiskPressure',
      message: 'kubelet has no disk pressure',
    },
    {
      type: 'PIDPressure',
      status: 'False',
      lastHeartbeatTime: t,
      lastTransitionTime: t,
      reason: 'KubeletHasSufficientPID',
      message: 'kubelet has sufficient PID available',
    },
    {
      type: 'Ready',
      status: 'True',
      lastHeartbeatTime: t,
      lastTransitionTime: t,
      reason: 'KubeletReady',
      message: 'kubelet is posting ready status',
    },
  ];
}
