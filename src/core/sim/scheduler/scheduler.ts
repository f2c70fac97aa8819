// kube-scheduler: one pod at a time from the queue, filter plugins over a sample of nodes
// (percentageOfNodesToScore, starting where the last cycle stopped), score plugins with
// their default weights, a seeded tie-break, assume, then bind asynchronously and report
// `Scheduled`; a pod that fits nowhere gets FailedScheduling and PodScheduled=False.
import { minorOf } from '../../base/kubernetesVersion';
import { sameValue } from '../../base/sameValue';
import type { NodeSelectorTerm } from '../../base/apiObjects';
import type { SimContext } from '../client/context';
import { controllerOf, Informer } from '../client/informer';
import { nodeSelectorTermsMatch } from '../helpers/nodeSelector';
import { tolerates } from '../helpers/taints';
import { isPodTerminal, podCondition, withDisruptionTarget } from '../helpers/podUtil';
import { Latencies } from '../profile/profile';
import { rfc3339 } from '../store/naming';
import { keyOf, selectorMatches, type KubeObject } from '../store/objects';
import type { EventCause } from '../../trace/model/eventCause';
import { fitErrorMessage, preemptionMessage, preFilterErrorMessage, schedulingCause } from './fitError';
import { pickCandidate, selectVictims, type PreemptionPod } from './preemption';
import { NodeInfo, NodeTable, podRequests, type PodRequests } from './nodeInfo';
import {
  balancedAllocation,
  defaultFilters,
  imageLocality,
  leastAllocated,
  nodeResourcesFit,
  podImages,
  type FilterFailure,
  type PodImages,
} from './plugins';
import { SchedulingQueue, type QueuedPod } from './schedulingQueue';
import { VolumeBinding, type PodVolumes } from './volumeBinding';
import {
  interPodAffinityScores,
  InterPodAffinityState,
  requiredTerms,
  scoringTermsOf,
  type PlacedPod,
} from './interPodAffinity';
import {
  defaultSelector,
  podConstraints,
  scoringConstraints,
  SpreadCounts,
  SpreadFilter,
  addSpreadScores,
  type SpreadMember,
  type SpreadSelector,
} from './topologySpread';

interface Placed extends PlacedPod, SpreadMember {
  labels: Readonly<Record<string, string>> | undefined;
  readonly requests: PodRequests;
  readonly priority: number;
}

/** Score plugin weights of the default profile (apis/config/v1 default_plugins.go). */
const weights = { taintToleration: 3, nodeAffinity: 2, podTopologySpread: 2, interPodAffinity: 2 } as const;

const source = { component: 'default-scheduler', eventsV1: true };
const user = 'system:kube-scheduler';
const minFeasibleNodesToFind = 100;
const minFeasibleNodesPercentageToFind = 5;

export class Scheduler {
  private readonly nodes = new Map<string, NodeInfo>();
  /** The nodes in the order they were added: each cycle goes on where the last one stopped. */
  private nodeOrder: NodeInfo[] = [];
  private readonly table = new NodeTable();
  /** Pod shapes (requests and image spreads) as small numbers, for the score cache. */
  private readonly shapes = new Map<string, number>();
  private readonly pods: Informer;
  private readonly queue: SchedulingQueue;
  private readonly placed = new Map<string, Placed>();
  /** Placed pods per node by the selectors PodTopologySpread asks about. */
  private readonly spread = new SpreadCounts();
  private readonly keyCounts = new Map<string, number>();
  /** Nodes with a PreferNoSchedule taint: while there are none, TaintToleration scores every node alike. */
  private preferNoScheduleNodes = 0;
  private readonly services: Informer;
  private servicesVersion = 0;
  private readonly selectorsByLabels = new WeakMap<
    object,
    { owner: string | undefined; namespace: string; servicesVersion: number; selector: SpreadSelector }
  >();
  private readonly replicaSets: Informer;
  private readonly statefulSets: Informer;
  /** Per scheduling cycle: the feasible nodes' slots in the order found, their scores, and one plugin's scores. */
  private feasible = new Int32Array(1024);
  private totals = new Int32Array(1024);
  private pluginScores = new Int32Array(1024);
  /**
   * Pods nominated to a node by a preemption, until bound or gone: their room is kept from pods of no higher priority.
   */
  private readonly nominations = new Map<
    string,
    { readonly node: string; readonly requests: PodRequests; readonly priority: number }
  >();
  /** Placed pods with required anti-affinity terms: while there are any, every pod is checked against them. */
  private antiAffinityPlaced = 0;
  /**
   * Placed pods with podAffinity or podAntiAffinity (PodsWithAffinity):
   * InterPodAffinity scores a pod without preferred terms only against them.
   */
  private affinityPlaced = 0;
  private readonly latencies: Latencies;
  private readonly volumeBinding: VolumeBinding;
  private readonly random;
  private busy = false;
  /** NodeResourcesFit calls a request larger than a node's whole allocatable unresolvable (1.34 and later). */
  private readonly tooLargeUnresolvable: boolean;
  private nextStart = 0;
  private readonly imageNodes = new Map<string, number>();
  private readonly imageIds = new Map<string, number>();
  private readonly imageId = (name: string): number => {
    let id = this.imageIds.get(name);
    if (id === undefined) this.imageIds.set(name, (id = this.imageIds.size));
    return id;
  };

  constructor(private readonly ctx: SimContext) {
    this.latencies = new Latencies(ctx.profile, ctx.engine.random('scheduler'));
    this.random = ctx.engine.random('scheduler-tiebreak');
    this.tooLargeUnresolvable = minorOf(ctx.version) >= 34;
    this.queue = new SchedulingQueue(ctx.engine, () => this.kick());
    // PersistentVolumeClaim, PersistentVolume and StorageClass events
    // move pods that failed on storage back to the active queue.
    this.volumeBinding = new VolumeBinding(ctx, () => this.queue.moveAll(volumeBindingOnly));
    ctx.informers.get('nodes').onChange((e, old) => this.onNode(e.type, e.object, old));
    this.pods = ctx.informers.get('pods').onChange((e, old) => {
      // A status write leaves the spec (the same object) and changes nothing here unless the pod has finished.
      // (Its labels and its deletion still matter to the pods it is counted for.)
      if (
        e.type === 'MODIFIED' &&
        old !== undefined &&
        old.spec === e.object.spec &&
        !isPodTerminal(e.object) &&
        old.metadata.labels === e.object.metadata.labels &&
        old.metadata.deletionTimestamp === e.object.metadata.deletionTimestamp
      )
        return;
      this.onPod(e.type, e.object);
    });
    this.services = ctx.informers.get('services').onChange(() => this.servicesVersion++);
    this.replicaSets = ctx.informers.get('replicasets');
    this.statefulSets = ctx.informers.get('statefulsets');
  }

  private onNode(type: string, node: KubeObject, old: KubeObject | undefined): void {
    const name = node.metadata.name;
    if (!old || type === 'DELETED' || old.metadata.labels !== node.metadata.labels) this.keyCounts.clear();
    const preferNoSchedule = (n: KubeObject | undefined) =>
      (n?.spec?.taints ?? []).some((t: { effect?: string }) => t.effect === 'PreferNoSchedule');
    this.preferNoScheduleNodes +=
      (type === 'DELETED' ? 0 : Number(preferNoSchedule(node))) - Number(preferNoSchedule(old));
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
    // Node added, or a change that can make pods fit: unschedulable, taints, labels, allocatable.
    if (
      !old ||
      old.spec !== node.spec ||
      old.metadata.labels !== node.metadata.labels ||
      !sameValue(old.status?.allocatable, node.status?.allocatable)
    )
      this.queue.moveAll();
  }

  /** Pods on a node the scheduler did not know, or nodes renumbered: the spread counts follow. */
  private renumberSpread(): void {
    this.spread.renumber(this.nodeOrder.length, (m) => this.nodes.get((m as Placed).node)?.slot ?? -1);
  }

  private onPod(type: string, pod: KubeObject): void {
    const key = keyOf(pod);
    const placed = this.placed.get(key);
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const relabelled = placed !== undefined && placed.labels !== pod.metadata.labels;
    if (placed && type !== 'DELETED' && (relabelled || placed.terminating !== terminating)) {
      // Relabelled (affinity sees the new labels too) or being deleted.
      this.spread.change(placed, pod.metadata.labels, terminating);
      if (relabelled) this.queue.moveAll(assignedPodRelabelled);
    }
    if (type === 'DELETED' || isPodTerminal(pod)) {
      this.queue.delete(key);
      this.nominations.delete(key);
      if (placed) {
        this.nodes.get(placed.node)?.add(placed.requests, -1);
        this.unplace(key);
        this.queue.moveAll(assignedPodGone);
      }
      return;
    }
    if (pod.spec.nodeName) {
      if (!placed) {
        const requests = podRequests(pod);
        this.place(key, pod, pod.spec.nodeName, requests);
        this.nodes.get(pod.spec.nodeName)?.add(requests, 1);
      }
      return;
    }
    if ((pod.spec.schedulerName ?? 'default-scheduler') !== 'default-scheduler' || pod.metadata.deletionTimestamp)
      return;
    if (type === 'ADDED') this.queue.add(key, pod.spec.priority ?? 0);
  }

  private kick(): void {
    if (this.busy || this.queue.activeCount === 0) return;
    this.busy = true;
    this.ctx.engine.after(this.latencies.of('scheduling'), () => {
      this.busy = false;
      const entry = this.queue.pop();
      if (entry) this.scheduleOne(entry);
      this.kick();
    });
  }

  /** numFeasibleNodesToFind: all nodes below 100, else an adaptive percentage (50 − n/125, at least 5 %). */
  private feasibleToFind(total: number): number {
    if (total < minFeasibleNodesToFind) return total;
    const percentage = Math.max(minFeasibleNodesPercentageToFind, 50 - Math.floor(total / 125));
    return Math.max(minFeasibleNodesToFind, Math.floor((total * percentage) / 100));
  }

  private scheduleOne(entry: QueuedPod): void {
    const pod = this.pods.cache.get(entry.key);
    if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp) return this.queue.done(entry.key);
    const requests = podRequests(pod);
    const spec = pod.spec;
    const total = this.nodeOrder.length;
    const volumes = this.volumeBinding.preFilter(pod);
    if (volumes && 'message' in volumes)
      return this.fail(
        pod,
        entry,
        preFilterErrorMessage(total, volumes.message),
        volumeBindingOnly,
        volumeCause(volumes.podVolume),
      );
    const interPod =
      this.antiAffinityPlaced > 0 || spec.affinity?.podAffinity || spec.affinity?.podAntiAffinity
        ? new InterPodAffinityState(
            pod,
            this.placed.values(),
            (node) => this.nodes.get(node)?.node.metadata.labels,
            (ns) => this.namespaceLabels(ns),
            () => this.namespaceNames(),
          )
        : undefined;
    const hardSpread = spec.topologySpreadConstraints ? podConstraints(pod, 'DoNotSchedule') : [];
    const spreadFilter =
      hardSpread.length > 0
        ? new SpreadFilter(
            pod,
            hardSpread,
            hardSpread.map((c) => this.spread.countFor(pod.metadata.namespace!, c.selector)),
            this.nodeOrder,
          )
        : undefined;
    // A pod with no placement constraints is judged by resource fit alone on untainted nodes.
    const plainPod =
      !spec.nodeSelector &&
      !spec.affinity?.nodeAffinity &&
      requests.hostPorts.length === 0 &&
      spreadFilter === undefined &&
      volumes === undefined &&
      interPod === undefined;
    const want = this.feasibleToFind(total);
    const failures: FilterFailure[] = [];
    /** The node (slot) of each failure, for preemption. */
    const failedSlots: number[] = [];
    const { plain, freePods, freeCpu, freeMemory, score: scores, version, scoredVersion, scoredShape } = this.table;
    // A resource the pod does not request is not checked (fitsRequest): -Infinity fits any node.
    const cpu = requests.cpu > 0 ? requests.cpu : Number.NEGATIVE_INFINITY;
    const memory = requests.memory > 0 ? requests.memory : Number.NEGATIVE_INFINITY;
    const scoring = this.scoring(pod, requests, total);
    const shape = scoring.shape;
    const start = this.nextStart;
    // Filter over the nodes from where the last cycle stopped, scoring each feasible node as it
    // is found with the plugins that depend on the node alone (resource fit, balance, images).
    const priority = spec.priority ?? 0;
    if (this.nominations.size > 0) this.reserveNominated(entry.key, priority, 1);
    if (this.feasible.length < want) {
      this.feasible = new Int32Array(want);
      this.totals = new Int32Array(want);
      this.pluginScores = new Int32Array(want);
    }
    const feasible = this.feasible;
    const totals = this.totals;
    let found = 0;
    let processed = 0;
    for (; processed < total && found < want; processed++) {
      let slot = start + processed;
      if (slot >= total) slot -= total;
      if (plainPod && plain[slot] === 1) {
        if (!(freePods[slot] >= 1 && cpu <= freeCpu[slot] && memory <= freeMemory[slot])) {
          failures.push(
            nodeResourcesFit.filter({
              pod,
              requests,
              info: this.nodeOrder[slot],
              tooLargeUnresolvable: this.tooLargeUnresolvable,
            })!,
          );
          failedSlots.push(slot);
          continue;
        }
      } else {
        const failure = this.filter(pod, requests, this.nodeOrder[slot], volumes, interPod, spreadFilter);
        if (failure) {
          failures.push(failure);
          failedSlots.push(slot);
          continue;
        }
      }
      // A node's score depends only on its own requests, allocatable and images and on the
      // pod's shape, so it is kept per node until either changes.
      let score: number;
      if (scoredVersion[slot] === version[slot] && scoredShape[slot] === shape) score = scores[slot];
      else {
        score = this.score(requests, scoring, this.nodeOrder[slot]);
        scores[slot] = score;
        scoredVersion[slot] = version[slot];
        scoredShape[slot] = shape;
      }
      feasible[found] = slot;
      totals[found] = score;
      found++;
    }
    if (total > 0) this.nextStart = (this.nextStart + processed) % total;
    if (this.nominations.size > 0) this.reserveNominated(entry.key, priority, -1);
    if (found === 0) return this.unschedulable(pod, entry, requests, failures, failedSlots);
    // One feasible node is taken as it is (prioritizeNodes is skipped); among more, the plugins
    // that compare nodes with each other add their normalized, weighted scores.
    if (found > 1) this.addRelativeScores(pod, found);
    const chosen = this.nodeOrder[this.selectHost(found)];
    const name = chosen.node.metadata.name;
    chosen.add(requests, 1);
    this.place(entry.key, pod, name, requests);
    if (volumes === undefined || volumes.unbound.length === 0) return this.bind(pod, entry, chosen, requests);
    // PreBind: the pod stays assumed on the node while its claims are bound there.
    this.volumeBinding.preBind(volumes, pod, chosen.node, (error) => {
      if (error === undefined) return this.bind(pod, entry, chosen, requests);
      this.unreserve(entry, chosen, requests);
      const current = this.pods.cache.get(entry.key);
      if (current)
        this.fail(
          current,
          entry,
          `running PreBind plugin "VolumeBinding": ${error.message}`,
          volumeBindingOnly,
          volumeCause(error.podVolume),
          'SchedulerError',
        );
      else this.queue.done(entry.key);
    });
  }

  /**
   * RunFilterPluginsWithNominatedPods: the pods nominated to a node, of at least this pod's
   * priority (and not the pod itself), count there while it is filtered (`sign` 1), and stop
   * counting after (-1).
   */
  private reserveNominated(key: string, priority: number, sign: 1 | -1): void {
    for (const [other, n] of this.nominations)
      if (other !== key && n.priority >= priority) this.nodes.get(n.node)?.add(n.requests, sign);
  }

  private place(key: string, pod: KubeObject, node: string, requests: PodRequests): void {
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
      priority: pod.spec.priority ?? 0,
      slot: this.nodes.get(node)?.slot ?? -1,
      terminating: Boolean(pod.metadata.deletionTimestamp),
      counted: [],
    };
    this.placed.set(key, entry);
    this.spread.add(entry);
  }

  private unplace(key: string): void {
    const placed = this.placed.get(key);
    if (!placed) return;
    if (placed.antiAffinity) this.antiAffinityPlaced--;
    if (placed.scoringTerms) this.affinityPlaced--;
    this.spread.remove(placed);
    this.placed.delete(key);
  }

  private unreserve(entry: QueuedPod, chosen: NodeInfo, requests: PodRequests): void {
    chosen.add(requests, -1);
    this.unplace(entry.key);
  }

  /** The binding cycle: pods/binding, then `Scheduled`. */
  private bind(pod: KubeObject, entry: QueuedPod, chosen: NodeInfo, requests: PodRequests): void {
    const name = chosen.node.metadata.name;
    this.ctx.engine.after(this.latencies.of('binding'), () =>
      this.ctx.api.bind(pod.metadata.namespace!, pod.metadata.name, name, user, {
        onDone: (bound, error) => {
          this.queue.done(entry.key);
          if (bound) {
            const cause = this.ctx.api.lastWrite.get(pod.metadata.uid!);
            this.ctx.events.record(
              source,
              bound,
              'Normal',
              'Scheduled',
              `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${name}`,
              {
                lane: 'scheduler',
                node: name,
                action: 'Binding',
                causes: cause === undefined ? [] : [cause],
              },
            );
          } else if (error && error.code !== 404) {
            this.unreserve(entry, chosen, requests);
            this.queue.markUnschedulable(entry);
            this.queue.moveAll();
          }
        },
      }),
    );
  }

  /**
   * The default profile's filters in upstream order: ...,
   * NodeResourcesFit, VolumeBinding, PodTopologySpread, InterPodAffinity.
   */
  private filter(
    pod: KubeObject,
    requests: PodRequests,
    info: NodeInfo,
    volumes: PodVolumes | undefined,
    interPod: InterPodAffinityState | undefined,
    spread: SpreadFilter | undefined,
  ): FilterFailure | undefined {
    for (const plugin of defaultFilters) {
      const failure = plugin.filter({ pod, requests, info, tooLargeUnresolvable: this.tooLargeUnresolvable });
      if (failure) return failure;
    }
    if (volumes) {
      const failure = this.volumeBinding.filter(volumes, info.node);
      if (failure) return failure;
    }
    if (spread) {
      const failure = spread.filter(info);
      if (failure) return failure;
    }
    return interPod?.filter(info.node);
  }

  /** The namespace lister's answer (only namespaceSelector terms ask). */
  private namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined {
    return this.ctx.store.get('namespaces', undefined, namespace)?.metadata.labels;
  }

  private namespaceNames(): string[] {
    return this.ctx.store.list('namespaces').map((n) => n.metadata.name);
  }

  /** How many nodes have a label key (kept until the nodes change). */
  private readonly nodesWithKey = (key: string): number => {
    let n = this.keyCounts.get(key);
    if (n === undefined) {
      n = 0;
      for (const info of this.nodeOrder) if (info.node.metadata.labels?.[key] !== undefined) n++;
      this.keyCounts.set(key, n);
    }
    return n;
  };

  /**
   * helper.DefaultSelector: the Services that select the pod and its controller (ReplicaSet or
   * StatefulSet), from the informers' caches. Pods of one template share their labels object:
   * the answer is kept by it, for the same controller, until a Service changes.
   */
  private defaultSelectorOf(pod: KubeObject): SpreadSelector {
    const namespace = pod.metadata.namespace ?? 'default';
    const owner = controllerOf(pod);
    const labels = pod.metadata.labels;
    const known = labels ? this.selectorsByLabels.get(labels) : undefined;
    if (
      known &&
      known.owner === owner?.uid &&
      known.namespace === namespace &&
      known.servicesVersion === this.servicesVersion
    )
      return known.selector;
    const controllers =
      owner?.kind === 'ReplicaSet' ? this.replicaSets : owner?.kind === 'StatefulSet' ? this.statefulSets : undefined;
    const controllerObject = owner && controllers?.get(namespace, owner.name);
    const selector = defaultSelector(pod, this.services.inNamespace(namespace), controllerObject?.spec?.selector);
    // A controller not yet in the cache is asked again next time.
    if (labels && (!owner || controllerObject))
      this.selectorsByLabels.set(labels, {
        owner: owner?.uid,
        namespace,
        servicesVersion: this.servicesVersion,
        selector,
      });
    return selector;
  }

  /**
   * What scoring a pod needs: its images with their spread over the nodes, and its shape
   * (requests and image spreads) as a small number for the score cache. Scores have the
   * default weights (NodeResourcesFit least allocated, balanced allocation, image locality).
   */
  private scoring(
    pod: KubeObject,
    requests: PodRequests,
    total: number,
  ): { images: PodImages; hasImages: boolean; shape: number } {
    const images = podImages(pod, this.imageId, (image) => (this.imageNodes.get(image) ?? 0) / total);
    const hasImages = images.spreads.some((s) => s > 0);
    const shapeKey =
      `${requests.nonZeroCpu}/${requests.nonZeroMemory}/` +
      `${hasImages ? `${images.ids.join(',')}/${images.spreads.join(',')}` : ''}`;
    let shape = this.shapes.get(shapeKey);
    if (shape === undefined) this.shapes.set(shapeKey, (shape = this.shapes.size));
    return { images, hasImages, shape };
  }

  /**
   * The score plugins normalized over the feasible nodes, with their default weights, added to
   * `totals`: PodTopologySpread (2), TaintToleration (3: fewest untolerated PreferNoSchedule
   * taints, reversed DefaultNormalizeScore), NodeAffinity (2: the weights of the preferred
   * terms a node matches, DefaultNormalizeScore) and InterPodAffinity (2: preferred terms both
   * ways, required affinity of placed pods). A plugin that would give every node the same
   * score (no constraints, no such taints, no such terms) is skipped, as it changes no choice.
   */
  private addRelativeScores(pod: KubeObject, n: number): void {
    const { feasible, totals, pluginScores: out } = this;
    const spec = pod.spec;
    const spread = scoringConstraints(pod, () => this.defaultSelectorOf(pod));
    if (spread.constraints.length > 0) {
      const counts = spread.constraints.map((c) => this.spread.countFor(pod.metadata.namespace!, c.selector));
      addSpreadScores(
        pod,
        spread,
        counts,
        this.nodeOrder,
        feasible,
        n,
        this.nodesWithKey,
        totals,
        weights.podTopologySpread,
        out,
      );
    }
    if (this.preferNoScheduleNodes > 0) {
      for (let i = 0; i < n; i++) {
        const info = this.nodeOrder[feasible[i]];
        out[i] = info.plain ? 0 : intolerablePreferNoSchedule(pod, info.node);
      }
      addDefaultNormalized(out, n, true, weights.taintToleration, totals);
    }
    const preferred = preferredTerms(pod);
    if (preferred.length > 0) {
      for (let i = 0; i < n; i++) {
        const node = this.nodeOrder[feasible[i]].node;
        let sum = 0;
        for (const t of preferred) if (nodeSelectorTermsMatch([t.preference], node)) sum += t.weight;
        out[i] = sum;
      }
      addDefaultNormalized(out, n, false, weights.nodeAffinity, totals);
    }
    if (spec.affinity?.podAffinity || spec.affinity?.podAntiAffinity || this.affinityPlaced > 0) {
      const nodes = Array.from({ length: n }, (_, i) => this.nodeOrder[feasible[i]].node);
      const scored = interPodAffinityScores(
        pod,
        this.placed.values(),
        this.affinityPlaced,
        (node) => this.nodes.get(node)?.node.metadata.labels,
        (ns) => this.namespaceLabels(ns),
        () => this.namespaceNames(),
        nodes,
        out,
      );
      if (scored) for (let i = 0; i < n; i++) totals[i] += weights.interPodAffinity * out[i];
    }
  }

  /** selectHost: the best total, equal ones broken by reservoir sampling in the order found (one draw per tie). */
  private selectHost(n: number): number {
    const { feasible, totals, random } = this;
    let best = feasible[0];
    let bestScore = totals[0];
    let ties = 1;
    for (let i = 1; i < n; i++) {
      const score = totals[i];
      if (score > bestScore) {
        bestScore = score;
        best = feasible[i];
        ties = 1;
      } else if (score === bestScore) {
        ties++;
        if (random.int(0, ties - 1) === 0) best = feasible[i];
      }
    }
    return best;
  }

  private score(requests: PodRequests, scoring: { images: PodImages; hasImages: boolean }, info: NodeInfo): number {
    return (
      Math.floor(leastAllocated(requests, info)) +
      Math.floor(balancedAllocation(requests, info)) +
      (scoring.hasImages ? Math.floor(imageLocality(scoring.images, info)) : 0)
    );
  }

  /**
   * No node fits: PostFilter (DefaultPreemption) looks for nodes where evicting pods of lower
   * priority makes room; with a candidate, its victims get DisruptionTarget, are deleted and
   * told `Preempted`, and the pod is nominated to the node, to be retried once they are gone.
   */
  private unschedulable(
    pod: KubeObject,
    entry: QueuedPod,
    requests: PodRequests,
    failures: readonly FilterFailure[],
    slots: readonly number[],
  ): void {
    const total = this.nodeOrder.length;
    const rejectedBy = rejectingPlugins(failures);
    const cause = schedulingCause(failures);
    if (total === 0) return this.fail(pod, entry, fitErrorMessage(0, failures), rejectedBy, cause);
    // PodEligibleToPreemptOthers.
    if (pod.spec.preemptionPolicy === 'Never')
      return this.fail(
        pod,
        entry,
        fitErrorMessage(total, failures, 'not eligible due to preemptionPolicy=Never.'),
        rejectedBy,
        cause,
      );
    const priority = pod.spec.priority ?? 0;
    const lower = this.lowerPriorityPods(priority);
    const nominated = pod.status?.nominatedNodeName;
    const nominatedFailure = failures[slots.findIndex((slot) => this.nodeOrder[slot].node.metadata.name === nominated)];
    // podTerminatingByPreemption: a pod of lower priority on the nominated node that is being deleted for a preemption.
    if (
      nominated &&
      !nominatedFailure?.unresolvable &&
      (lower.get(nominated) ?? []).some(
        ({ pod: p }) =>
          p.metadata.deletionTimestamp && podCondition(p, 'DisruptionTarget')?.reason === 'PreemptionByScheduler',
      )
    ) {
      return this.fail(
        pod,
        entry,
        fitErrorMessage(total, failures, 'not eligible due to a terminating pod on the nominated node.'),
        rejectedBy,
        cause,
      );
    }
    const budgets = this.ctx.store.list('poddisruptionbudgets');
    const candidates: { node: string; victims: readonly PreemptionPod[]; violations: number }[] = [];
    const reasons: string[] = [];
    slots.forEach((slot, i) => {
      const info = this.nodeOrder[slot];
      const name = info.node.metadata.name;
      const verdict = selectVictims(requests, info, failures[i], this.asVictims(lower.get(name) ?? [], budgets));
      if (verdict.kind === 'candidate')
        candidates.push({ node: name, victims: verdict.victims, violations: verdict.violations });
      else reasons.push(...verdict.reasons);
    });
    if (candidates.length === 0)
      return this.fail(
        pod,
        entry,
        fitErrorMessage(total, failures, preemptionMessage(total, reasons)),
        rejectedBy,
        cause,
      );
    const chosen = candidates[pickCandidate(candidates)];
    this.preemptVictims(pod, chosen.node, chosen.victims);
    this.nominations.set(entry.key, { node: chosen.node, requests, priority });
    this.fail(pod, entry, fitErrorMessage(total, failures), rejectedBy, cause, 'Unschedulable', chosen.node);
  }

  /** The placed pods of a priority below `priority`, by node, in one pass over the placed pods. */
  private lowerPriorityPods(priority: number): Map<string, { key: string; placed: Placed; pod: KubeObject }[]> {
    const byNode = new Map<string, { key: string; placed: Placed; pod: KubeObject }[]>();
    for (const [key, placed] of this.placed) {
      if (placed.priority >= priority) continue;
      const pod = this.pods.cache.get(key);
      if (!pod) continue;
      let list = byNode.get(placed.node);
      if (!list) byNode.set(placed.node, (list = []));
      list.push({ key, placed, pod });
    }
    return byNode;
  }

  /**
   * One node's pods as preemption weighs them (those not being
   * deleted already), with budget counters fresh for the node.
   */
  private asVictims(
    pods: readonly { key: string; placed: Placed; pod: KubeObject }[],
    budgets: readonly KubeObject[],
  ): PreemptionPod[] {
    const counters = new Map<KubeObject, { allowed: number }>();
    const out: PreemptionPod[] = [];
    for (const { key, placed, pod } of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      const labels = pod.metadata.labels;
      const covering = labels
        ? budgets.filter(
            (b) =>
              b.metadata.namespace === placed.namespace &&
              b.spec?.selector &&
              Object.keys(b.spec.selector).length > 0 &&
              selectorMatches(b.spec.selector, labels) &&
              !(b.status?.disruptedPods ?? {})[pod.metadata.name],
          )
        : [];
      const podBudgets = covering.map((b) => {
        let c = counters.get(b);
        if (!c) counters.set(b, (c = { allowed: b.status?.disruptionsAllowed ?? 0 }));
        return c;
      });
      out.push({
        key,
        priority: placed.priority,
        requests: placed.requests,
        startTime: pod.status?.startTime ?? rfc3339(this.ctx.engine.now()),
        budgets: podBudgets,
      });
    }
    return out;
  }

  /**
   * prepareCandidate: each victim gets DisruptionTarget (PreemptionByScheduler), is deleted, and is told `Preempted`.
   */
  private preemptVictims(preemptor: KubeObject, node: string, victims: readonly PreemptionPod[]): void {
    const time = rfc3339(this.ctx.engine.now());
    const schedulerName = preemptor.spec.schedulerName ?? 'default-scheduler';
    for (const victim of victims) {
      const pod = this.pods.cache.get(victim.key);
      if (!pod) continue;
      const { namespace, name } = pod.metadata;
      this.ctx.api.patch(
        'pods',
        namespace,
        name,
        (cur) =>
          withDisruptionTarget(
            cur,
            'PreemptionByScheduler',
            `${schedulerName}: preempting to accommodate a higher priority pod`,
            time,
          ),
        user,
      );
      this.ctx.api.delete('pods', namespace, name, user, {}, { traceSteps: true });
      this.ctx.events.record(
        source,
        pod,
        'Normal',
        'Preempted',
        `Preempted by pod ${preemptor.metadata.uid} on node ${node}`,
        { lane: 'scheduler', node, action: 'Preempting' },
      );
    }
  }

  /**
   * FailedScheduling and PodScheduled=False: `Unschedulable` when no node fits, `SchedulerError`
   * when a plugin failed on the chosen one; `cause` says what the plugins rejected.
   */
  private fail(
    pod: KubeObject,
    entry: QueuedPod,
    message: string,
    rejectedBy: ReadonlySet<string> | undefined,
    cause: EventCause,
    conditionReason = 'Unschedulable',
    nominatedNodeName?: string,
  ): void {
    const write = this.ctx.api.lastWrite.get(pod.metadata.uid!);
    this.ctx.events.record(source, pod, 'Warning', 'FailedScheduling', message, {
      lane: 'scheduler',
      node: null,
      action: 'Scheduling',
      causes: write === undefined ? [] : [write],
      cause,
    });
    const time = rfc3339(this.ctx.engine.now());
    this.ctx.api.patch(
      'pods',
      pod.metadata.namespace,
      pod.metadata.name,
      (cur) => {
        const others = (cur.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'PodScheduled');
        const prev = (cur.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
        const condition = {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: prev?.status === 'False' ? prev.lastTransitionTime : time,
          reason: conditionReason,
          message,
        };
        const status = { phase: 'Pending', ...cur.status, conditions: [...others, condition] };
        if (nominatedNodeName) status.nominatedNodeName = nominatedNodeName;
        return { ...cur, status };
      },
      user,
    );
    entry.rejectedBy = rejectedBy;
    this.queue.markUnschedulable(entry);
  }
}

/** The plugins a pod deleted (or finished) on a node may make room for. */
const assignedPodGone: ReadonlySet<string> = new Set([
  'NodeResourcesFit',
  'NodePorts',
  'PodTopologySpread',
  'InterPodAffinity',
]);
/** The plugins that count placed pods by their labels. */
const assignedPodRelabelled: ReadonlySet<string> = new Set(['PodTopologySpread', 'InterPodAffinity']);
/** VolumeBinding alone: what claim, volume and class events concern, and what its PreFilter and PreBind reject. */
const volumeBindingOnly: ReadonlySet<string> = new Set(['VolumeBinding']);

/** The cause of a VolumeBinding rejection at PreFilter or PreBind: the pod volume whose claim it is about. */
function volumeCause(podVolume: string): EventCause {
  return { kind: 'scheduling', rejections: [{ plugin: 'VolumeBinding', volume: podVolume }] };
}

/**
 * The plugins that rejected some node (UnschedulablePlugins); undefined for none (no nodes at all): any event may help.
 */
function rejectingPlugins(failures: readonly FilterFailure[]): ReadonlySet<string> | undefined {
  return failures.length > 0 ? new Set(failures.map((f) => f.plugin)) : undefined;
}

/**
 * helper.DefaultNormalizeScore, weighted into `totals`: scores scaled to 0..100 by the largest
 * (reversed: 100 minus that). When every score is 0 the plugin tells no node apart (all 0, or
 * all 100 reversed) and nothing is added.
 */
function addDefaultNormalized(
  scores: Int32Array,
  n: number,
  reverse: boolean,
  weight: number,
  totals: Int32Array,
): void {
  let max = 0;
  for (let i = 0; i < n; i++) if (scores[i] > max) max = scores[i];
  if (max === 0) return;
  for (let i = 0; i < n; i++) {
    const scaled = Math.floor((100 * scores[i]) / max);
    totals[i] += weight * (reverse ? 100 - scaled : scaled);
  }
}

/**
 * Untolerated PreferNoSchedule taints of a node
 * (countIntolerableTaintsPreferNoSchedule; tolerations with that effect or none count).
 */
function intolerablePreferNoSchedule(pod: KubeObject, node: KubeObject): number {
  let n = 0;
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'PreferNoSchedule') continue;
    const tolerated = (pod.spec.tolerations ?? []).some(
      (t: { effect?: string }) => (!t.effect || t.effect === 'PreferNoSchedule') && tolerates(t as never, taint),
    );
    if (!tolerated) n++;
  }
  return n;
}

/**
 * The pod's preferred node affinity terms that count
 * (NewPreferredSchedulingTerms: a weight, and a preference that is not empty).
 */
function preferredTerms(pod: KubeObject): { weight: number; preference: NodeSelectorTerm }[] {
  const terms = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  if (!Array.isArray(terms)) return [];
  return terms
    .filter(
      (t) =>
        t &&
        Number(t.weight) !== 0 &&
        t.preference &&
        ((t.preference.matchExpressions ?? []).length > 0 || (t.preference.matchFields ?? []).length > 0),
    )
    .map((t) => ({ weight: Number(t.weight), preference: t.preference }));
}
