// The scheduler cache's view of a node (framework.NodeInfo): allocatable, what its pods
// request (and the non-zero requests used for scoring), host ports in use and images.
import { cpuMilli, memoryBytes } from '../apiserver/admissionPlugins';
import type { KubeObject } from '../store/objects';

/* eslint-disable @typescript-eslint/no-explicit-any -- node and pod specs are loosely typed. */

/** schedutil.DefaultMilliCPURequest and DefaultMemoryRequest: what a pod without requests counts as when scoring. */
export const defaultMilliCpu = 100;
export const defaultMemory = 200 * 1024 * 1024;

export interface PodRequests {
  readonly cpu: number;
  readonly memory: number;
  readonly nonZeroCpu: number;
  readonly nonZeroMemory: number;
  readonly hostPorts: readonly string[];
}

/** The effective request: the sum of containers, or the largest init container if that is larger (resourcehelper.PodRequests). */
export function podRequests(pod: KubeObject): PodRequests {
  let cpu = 0;
  let memory = 0;
  let nonZeroCpu = 0;
  let nonZeroMemory = 0;
  const hostPorts: string[] = [];
  for (const c of pod.spec.containers ?? []) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    // Requests default to limits when only limits are given (apiserver defaulting).
    const cCpu = cpuMilli(req.cpu ?? lim.cpu);
    const cMem = memoryBytes(req.memory ?? lim.memory);
    cpu += cCpu;
    memory += cMem;
    nonZeroCpu += req.cpu ?? lim.cpu ? cCpu : defaultMilliCpu;
    nonZeroMemory += req.memory ?? lim.memory ? cMem : defaultMemory;
    for (const p of c.ports ?? []) if (p.hostPort) hostPorts.push(`${p.protocol ?? 'TCP'}/${p.hostIP ?? '0.0.0.0'}/${p.hostPort}`);
  }
  for (const c of pod.spec.initContainers ?? []) {
    const req = c.resources?.requests ?? {};
    cpu = Math.max(cpu, cpuMilli(req.cpu));
    memory = Math.max(memory, memoryBytes(req.memory));
  }
  return { cpu, memory, nonZeroCpu, nonZeroMemory, hostPorts };
}

export class NodeInfo {
  allocCpu = 0;
  allocMemory = 0;
  allocPods = 110;
  cpu = 0;
  memory = 0;
  nonZeroCpu = 0;
  nonZeroMemory = 0;
  pods = 0;
  readonly hostPorts = new Map<string, number>();
  images = new Map<string, number>();
  /** The same images as numbers from the scheduler's image table, with their sizes: a node has few, scanned for each of hundreds of nodes per pod. */
  imageIds: number[] = [];
  imageSizes: number[] = [];
  node!: KubeObject;
  /** No taints and schedulable: only resource fit can reject a plain pod here. */
  plain = true;

  constructor(
    node: KubeObject,
    private readonly imageId: (name: string) => number,
  ) {
    this.setNode(node);
  }

  setNode(node: KubeObject): void {
    this.node = node;
    this.plain = !(node.spec?.taints?.length > 0) && !node.spec?.unschedulable;
    const a = node.status?.allocatable ?? node.status?.capacity ?? {};
    this.allocCpu = cpuMilli(a.cpu);
    this.allocMemory = memoryBytes(a.memory);
    this.allocPods = Number(a.pods ?? 110);
    const images = new Map<string, number>();
    for (const image of node.status?.images ?? []) for (const name of image.names ?? []) images.set(name, image.sizeBytes ?? 0);
    this.images = images;
    this.imageIds = [...images.keys()].map(this.imageId);
    this.imageSizes = [...images.values()];
  }

  add(r: PodRequests, sign: 1 | -1): void {
    this.cpu += sign * r.cpu;
    this.memory += sign * r.memory;
    this.nonZeroCpu += sign * r.nonZeroCpu;
    this.nonZeroMemory += sign * r.nonZeroMemory;
    this.pods += sign;
    for (const p of r.hostPorts) this.hostPorts.set(p, (this.hostPorts.get(p) ?? 0) + sign);
  }
}
