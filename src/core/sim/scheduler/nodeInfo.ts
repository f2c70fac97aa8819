// The scheduler cache's view of a node (framework.NodeInfo): allocatable, what its pods
// request (and the non-zero requests used for scoring), host ports in use and images.
import { milliValue, unitValue } from '../../base/quantityAmount';
import type { Node, Pod } from '../store/kinds';

/** schedutil.DefaultMilliCPURequest and DefaultMemoryRequest: what a pod without requests counts as when scoring. */
export const defaultMilliCpu = 100;
export const defaultMemory = 200 * 1024 * 1024;

export interface PodRequests {
  readonly cpu: number;
  readonly memory: number;
  readonly nonZeroCpu: number;
  readonly nonZeroMemory: number;
  readonly hostPorts: readonly string[];
  /** The port number of each of `hostPorts` (what a NodePorts rejection names). */
  readonly hostPortNumbers: readonly number[];
}

const noPorts: readonly number[] = Object.freeze([]);

/**
 * The effective request: the sum of containers, or the largest
 * init container if that is larger (resourcehelper.PodRequests).
 */
export function podRequests(pod: Pod): PodRequests {
  let cpu = 0;
  let memory = 0;
  let nonZeroCpu = 0;
  let nonZeroMemory = 0;
  const hostPorts: string[] = [];
  let hostPortNumbers: number[] | undefined;
  for (const c of pod.spec!.containers ?? []) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    // Requests default to limits when only limits are given (apiserver defaulting).
    const cCpu = milliValue(req.cpu ?? lim.cpu);
    const cMem = unitValue(req.memory ?? lim.memory);
    cpu += cCpu;
    memory += cMem;
    nonZeroCpu += (req.cpu ?? lim.cpu) ? cCpu : defaultMilliCpu;
    nonZeroMemory += (req.memory ?? lim.memory) ? cMem : defaultMemory;
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      hostPorts.push(`${p.protocol ?? 'TCP'}/${p.hostIP ?? '0.0.0.0'}/${p.hostPort}`);
      (hostPortNumbers ??= []).push(Number(p.hostPort));
    }
  }
  for (const c of pod.spec!.initContainers ?? []) {
    const req = c.resources?.requests ?? {};
    cpu = Math.max(cpu, milliValue(req.cpu));
    memory = Math.max(memory, unitValue(req.memory));
  }
  return { cpu, memory, nonZeroCpu, nonZeroMemory, hostPorts, hostPortNumbers: hostPortNumbers ?? noPorts };
}

/**
 * What a scheduling cycle reads of every node it visits, as parallel typed arrays indexed by
 * the node's place in the cycle order: free cpu, memory and pod slots, whether only resource
 * fit can reject a plain pod there, and the last score with the version and pod shape it was
 * computed for. Hundreds of nodes are visited per pod; contiguous numbers keep that cheap.
 */
export class NodeTable {
  freeCpu = new Float64Array(16);
  freeMemory = new Float64Array(16);
  freePods = new Float64Array(16);
  plain = new Uint8Array(16);
  version = new Int32Array(16);
  scoredVersion = new Int32Array(16).fill(-1);
  scoredShape = new Int32Array(16);
  score = new Int32Array(16);

  ensure(size: number): void {
    if (size <= this.freeCpu.length) return;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, fill = 0): T => {
      const b = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2));
      b.fill(fill);
      b.set(a);
      return b;
    };
    this.freeCpu = grow(this.freeCpu);
    this.freeMemory = grow(this.freeMemory);
    this.freePods = grow(this.freePods);
    this.plain = grow(this.plain);
    this.version = grow(this.version);
    this.scoredVersion = grow(this.scoredVersion, -1);
    this.scoredShape = grow(this.scoredShape);
    this.score = grow(this.score);
  }
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
  /**
   * The same images as numbers from the scheduler's image table, with their
   * sizes: a node has few, scanned for each of hundreds of nodes per pod.
   */
  imageIds: number[] = [];
  imageSizes: number[] = [];
  node!: Node;
  /** No taints and schedulable: only resource fit can reject a plain pod here. */
  plain = true;
  /** The node's place in the scheduler's cycle order and node table. */
  slot = -1;
  private table: NodeTable | undefined;

  constructor(
    node: Node,
    private readonly imageId: (name: string) => number,
  ) {
    this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    this.plain = !((node.spec?.taints?.length ?? 0) > 0) && !node.spec?.unschedulable;
    const a = node.status?.allocatable ?? node.status?.capacity ?? {};
    this.allocCpu = milliValue(a.cpu);
    this.allocMemory = unitValue(a.memory);
    this.allocPods = a.pods === undefined ? 110 : unitValue(a.pods);
    const images = new Map<string, number>();
    for (const image of node.status?.images ?? [])
      for (const name of image.names ?? []) images.set(name, image.sizeBytes ?? 0);
    this.images = images;
    this.imageIds = [...images.keys()].map(this.imageId);
    this.imageSizes = [...images.values()];
    this.publish();
  }

  /** Places the node at `slot` of `table`, which mirrors its numbers from then on. */
  attach(table: NodeTable, slot: number): void {
    this.table = table;
    this.slot = slot;
    table.ensure(slot + 1);
    table.scoredVersion[slot] = -1;
    this.publish();
  }

  private publish(): void {
    const t = this.table;
    if (!t) return;
    const i = this.slot;
    t.freeCpu[i] = this.allocCpu - this.cpu;
    t.freeMemory[i] = this.allocMemory - this.memory;
    t.freePods[i] = this.allocPods - this.pods;
    t.plain[i] = this.plain ? 1 : 0;
    t.version[i]++;
  }

  add(r: PodRequests, sign: 1 | -1): void {
    this.cpu += sign * r.cpu;
    this.memory += sign * r.memory;
    this.nonZeroCpu += sign * r.nonZeroCpu;
    this.nonZeroMemory += sign * r.nonZeroMemory;
    this.pods += sign;
    for (const p of r.hostPorts) this.hostPorts.set(p, (this.hostPorts.get(p) ?? 0) + sign);
    this.publish();
  }
}
