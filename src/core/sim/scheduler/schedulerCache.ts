// The scheduler's cache (pkg/scheduler/backend/cache and the snapshot a cycle reads): the
// nodes in the order cycles visit them, with their NodeInfo and the node table, the pods
// placed on them (bound, or assumed by a cycle and not yet bound), the per-selector spread
// counts, the images on the nodes, and the pods nominated to a node by a preemption. Plugins
// read it; the scheduler writes it from its informers and when a cycle assumes or forgets a pod.
import type { Node, Pod } from '../store/kinds';
import { requiredTerms, scoringTermsOf, type PlacedPod } from './interPodAffinity';
import { NodeInfo, NodeTable, podRequests, type PodRequests } from './nodeInfo';
import { SpreadCounts, type SpreadMember } from './spreadCounts';

/** A pod the scheduler counts on a node. */
export interface Placed extends PlacedPod, SpreadMember {
  labels: Readonly<Record<string, string>> | undefined;
  readonly requests: PodRequests;
  readonly priority: number;
}

/** A pod nominated to a node by a preemption: its room is kept from pods of no higher priority. */
export interface Nomination {
  readonly node: string;
  readonly requests: PodRequests;
  readonly priority: number;
}

/** What the scheduler asks the store for (namespaceSelector terms only). */
export interface NamespaceLister {
  labels(namespace: string): Readonly<Record<string, string>> | undefined;
  names(): string[];
}

const hasPreferNoSchedule = (n: Node | undefined): boolean =>
  (n?.spec?.taints ?? []).some((t: { effect?: string }) => t.effect === 'PreferNoSchedule');

export class SchedulerCache {
  readonly nodes = new Map<string, NodeInfo>();
  /** The nodes in the order they were added: each cycle goes on where the last one stopped. */
  nodeOrder: NodeInfo[] = [];
  readonly table = new NodeTable();
  readonly placed = new Map<string, Placed>();
  /** Placed pods per node by the selectors PodTopologySpread asks about. */
  readonly spread = new SpreadCounts();
  readonly nominations = new Map<string, Nomination>();
  /** Placed pods with required anti-affinity terms: while there are any, every pod is checked against them. */
  antiAffinityPlaced = 0;
  /** Placed pods with podAffinity or podAntiAffinity (PodsWithAffinity). */
  affinityPlaced = 0;
  /** Nodes with a PreferNoSchedule taint: while there are none, TaintToleration scores every node alike. */
  preferNoScheduleNodes = 0;
  /** How many nodes have each image. */
  readonly imageNodes = new Map<string, number>();
  private readonly imageIds = new Map<string, number>();
  private readonly keyCounts = new Map<string, number>();

  constructor(readonly namespaces: NamespaceLister) {}

  /** An image name as a small number, the same for every node and pod. */
  readonly imageId = (name: string): number => {
    let id = this.imageIds.get(name);
    if (id === undefined) this.imageIds.set(name, (id = this.imageIds.size));
    return id;
  };

  /** How many nodes have a label key (kept until the nodes change). */
  readonly nodesWithKey = (key: string): number => {
    let n = this.keyCounts.get(key);
    if (n === undefined) {
      n = 0;
      for (const info of this.nodeOrder) if (info.node.metadata.labels?.[key] !== undefined) n++;
      this.keyCounts.set(key, n);
    }
    return n;
  };

  /** The labels of a node the cache knows. */
  readonly nodeLabels = (node: string): Readonly<Record<string, string>> | undefined =>
    this.nodes.get(node)?.node.metadata.labels;

  /** A node added, changed (`old` its previous object) or deleted. */
  setNode(type: string, node: Node, old: Node | undefined): void {
    const name = node.metadata.name;
    if (!old || type === 'DELETED' || old.metadata.labels !== node.metadata.labels) this.keyCounts.clear();
    this.preferNoScheduleNodes +=
      (type === 'DELETED' ? 0 : Number(hasPreferNoSchedule(node))) - Number(hasPreferNoSchedule(old));
    if (type === 'DELETED') {
      this.nodes.delete(name);
      this.nodeOrder = this.nodeOrder.filter((n) => n.node.metadata.name !== name);
      this.nodeOrder.forEach((n, slot) => n.attach(this.table, slot));
      this.renumberSpread();
      return;
    }
    const info = this.nodes.get(name);
    if (info) {
      for (const image of info.images.keys()) this.imageNodes.set(image, (this.imageNodes.get(image) ?? 1) - 1);
      info.setNode(node);
    } else {
      const added = new NodeInfo(node, this.imageId);
      this.nodes.set(name, added);
      added.attach(this.table, this.nodeOrder.length);
      this.nodeOrder.push(added);
      this.renumberSpread();
    }
    for (const image of this.nodes.get(name)!.images.keys())
      this.imageNodes.set(image, (this.imageNodes.get(image) ?? 0) + 1);
  }

  /** Pods on a node the scheduler did not know, or nodes renumbered: the spread counts follow. */
  private renumberSpread(): void {
    this.spread.renumber(this.nodeOrder.length, (m) => this.nodes.get((m as Placed).node)?.slot ?? -1);
  }

  /** A pod bound (or assumed) on `node`: counted there from now on. */
  place(key: string, pod: Pod, node: string, requests: PodRequests = podRequests(pod)): void {
    this.nominations.delete(key);
    const antiAffinity = requiredTerms(pod, 'podAntiAffinity');
    if (antiAffinity) this.antiAffinityPlaced++;
    const scoringTerms = scoringTermsOf(pod);
    if (scoringTerms) this.affinityPlaced++;
    const entry: Placed = {
      node,
      requests,
      labels: pod.metadata.labels,
      namespace: pod.metadata.namespace ?? 'default',
      antiAffinity,
      scoringTerms,
      priority: pod.spec!.priority ?? 0,
      slot: this.nodes.get(node)?.slot ?? -1,
      terminating: Boolean(pod.metadata.deletionTimestamp),
      counted: [],
    };
    this.placed.set(key, entry);
    this.spread.add(entry);
    this.nodes.get(node)?.add(requests, 1);
  }

  /** A placed pod gone (deleted, finished, or an assumed pod forgotten). */
  unplace(key: string): void {
    const placed = this.placed.get(key);
    if (!placed) return;
    this.nodes.get(placed.node)?.add(placed.requests, -1);
    if (placed.antiAffinity) this.antiAffinityPlaced--;
    if (placed.scoringTerms) this.affinityPlaced--;
    this.spread.remove(placed);
    this.placed.delete(key);
  }

  /**
   * RunFilterPluginsWithNominatedPods: the pods nominated to a node, of at least this pod's
   * priority (and not the pod itself), count there while it is filtered (`sign` 1), and stop
   * counting after (-1).
   */
  reserveNominated(key: string, priority: number, sign: 1 | -1): void {
    for (const [other, n] of this.nominations)
      if (other !== key && n.priority >= priority) this.nodes.get(n.node)?.add(n.requests, sign);
  }
}
