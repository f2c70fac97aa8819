// The DaemonSet controller (pkg/controller/daemon): one pod on every node the template's
// nodeSelector and node affinity admit and whose NoSchedule and NoExecute taints it
// tolerates, the daemon tolerations included. Each pod is pinned to its node by a required
// node affinity on metadata.name and placed by the default scheduler; it carries the
// controller-revision-hash and pod-template-generation labels. A new node gets its pod; a
// changed template rolls out node by node, deleting at most maxUnavailable old pods at a
// time (RollingUpdate, the default) or only replacing pods that are deleted (OnDelete).
import type { Affinity, DaemonSetStatus, PodSpec, Toleration } from '../../base/apiObjects';
import type { SimContext } from '../client/context';
import { sameValue } from '../../base/sameValue';
import { nodeSelectedBy } from '../helpers/nodeSelector';
import { untoleratedTaint } from '../helpers/taints';
import { keyOf, objectKey, type ObjectMeta } from '../store/objects';
import type { DaemonSet, Node, Pod } from '../store/kinds';
import { controllerLatency, controllerOf, Informer, splitKey, WorkQueue } from '../client/informer';
import { PodControl } from './podControl';
import { isPodActive, isPodAvailable, isPodReady, isPodTerminal } from '../helpers/podUtil';
import { scaled, templateHash } from './rollout';

const source = { component: 'daemonset-controller' };
const user = 'system:serviceaccount:kube-system:daemon-set-controller';
const burstReplicas = 250;

/** AddOrUpdateDaemonPodTolerations: daemon pods survive node problems and cordons. */
const daemonTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
const networkUnavailable = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' };

export class DaemonSetController {
  private readonly sets: Informer<DaemonSet>;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly queue: WorkQueue;
  private readonly podControl: PodControl;
  /** Pods each DaemonSet asked for and has not yet seen (creation expectations). */
  private readonly inFlight = new Map<string, number>();
  /** Pods asked to be deleted and not yet seen going (deletion expectations), by pod key. */
  private readonly deleting = new Set<string>();

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, controllerLatency(ctx, 'daemonset-controller'), (key) => this.sync(key));
    this.podControl = new PodControl(ctx, source, user);
    this.sets = ctx.informers.get('daemonsets').onChange((e) => this.queue.add(keyOf(e.object)));
    this.pods = ctx.informers.get('pods').onChange((e, old) => this.onPod(e.object, e.type === 'DELETED', old));
    this.nodes = ctx.informers.get('nodes').onChange((e, old) => this.onNode(e.type, e.object, old));
  }

  /**
   * addNode and updateNode as upstream has them: a new node wakes the DaemonSets that should
   * run on it; an update counts only when the node's labels or taints changed
   * (shouldIgnoreNodeUpdate: heartbeats and status never wake a DaemonSet), and then only for
   * the DaemonSets whose verdict on the node changed. A node that goes wakes them all, so that
   * its daemon pods are let go.
   */
  private onNode(type: string, node: Node, old: Node | undefined): void {
    // Semantic.DeepEqual: absent and empty labels or taints are the same.
    if (
      type === 'MODIFIED' &&
      old &&
      sameValue(old.metadata.labels ?? {}, node.metadata.labels ?? {}) &&
      sameValue(old.spec?.taints ?? [], node.spec?.taints ?? [])
    )
      return;
    for (const ds of this.sets.cache.values()) {
      if (type === 'DELETED') {
        this.queue.add(keyOf(ds));
        continue;
      }
      const template = this.podTemplate(ds);
      const now = verdict(template, node);
      if (type === 'ADDED' || !old) {
        if (now.shouldRun) this.queue.add(keyOf(ds));
        continue;
      }
      const before = verdict(template, old);
      if (now.shouldRun !== before.shouldRun || now.shouldContinueRunning !== before.shouldContinueRunning)
        this.queue.add(keyOf(ds));
    }
  }

  private onPod(pod: Pod, deleted: boolean, old: Pod | undefined): void {
    const owner = controllerOf(pod);
    if (!owner || owner.kind !== 'DaemonSet') return;
    const key = objectKey(pod.metadata.namespace, owner.name);
    if (!old && !deleted) {
      const n = this.inFlight.get(key) ?? 0;
      if (n > 0) this.inFlight.set(key, n - 1);
    }
    if (deleted || pod.metadata.deletionTimestamp) this.deleting.delete(keyOf(pod));
    this.queue.add(key);
  }

  private sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const ds = this.sets.get(namespace, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const hash = templateHash(ds.spec!.template);
    const template = this.podTemplate(ds);
    const now = this.ctx.engine.now();
    const minReady = ds.spec!.minReadySeconds ?? 0;

    // The daemon pods by node: running ones, and nodes that still have one going away (a
    // replacement waits until it is gone: getNodesToDaemonPods keeps terminating pods).
    const byNode = new Map<string, Pod[]>();
    const leaving = new Set<string>();
    const failedPods: Pod[] = [];
    for (const pod of this.pods.inNamespace(namespace ?? '')) {
      if (controllerOf(pod)?.uid !== ds.metadata.uid) continue;
      const node = targetNode(pod);
      if (node === undefined) continue;
      const terminal = isPodTerminal(pod);
      if (pod.metadata.deletionTimestamp || this.deleting.has(keyOf(pod))) {
        if (!terminal || !pod.metadata.deletionTimestamp) leaving.add(node);
        continue;
      }
      if (pod.status?.phase === 'Failed') {
        failedPods.push(pod);
        leaving.add(node);
        continue;
      }
      if (!isPodActive(pod)) continue;
      let list = byNode.get(node);
      if (!list) byNode.set(node, (list = []));
      list.push(pod);
    }
    const wanted: string[] = [];
    const toCreate: string[] = [];
    const toDelete: Pod[] = [];
    for (const node of this.nodes.cache.values()) {
      const nodeName = node.metadata.name;
      const pods = byNode.get(nodeName) ?? [];
      if (!shouldRun(template, node)) {
        toDelete.push(...pods);
        continue;
      }
      wanted.push(nodeName);
      if (pods.length === 0 && !leaving.has(nodeName)) toCreate.push(nodeName);
      // More than one daemon pod on a node: keep the oldest.
      else if (pods.length > 1)
        toDelete.push(
          ...[...pods]
            .sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 1))
            .slice(1),
        );
    }
    for (const [node, pods] of byNode) if (!this.nodes.cache.has(node)) toDelete.push(...pods);

    // A failed daemon pod is deleted, and replaced once it is gone.
    for (const pod of failedPods) {
      this.ctx.events.record(
        source,
        ds,
        'Warning',
        'FailedDaemonPod',
        `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} ` +
          `on node ${targetNode(pod)}, will try to kill it`,
        { lane: 'controller-manager', node: null },
      );
    }
    this.deletePods(ds, failedPods);
    if ((this.inFlight.get(key) ?? 0) === 0) {
      this.createPods(ds, template, toCreate.slice(0, burstReplicas));
      this.deletePods(ds, toDelete.slice(0, burstReplicas));
      if (toCreate.length === 0 && toDelete.length === 0)
        this.rollingUpdate(ds, hash, wanted, byNode, leaving, now, minReady);
    }

    // The status counts, in one pass over the nodes that should run a daemon pod.
    let scheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const n of wanted) {
      const pod = byNode.get(n)?.[0];
      if (pod === undefined) continue;
      scheduled++;
      if (isPodReady(pod)) ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
      if (pod.metadata.labels?.['controller-revision-hash'] === hash) updated++;
    }
    const wantedSet = new Set(wanted);
    let misscheduled = 0;
    for (const n of byNode.keys()) if (!wantedSet.has(n)) misscheduled++;
    const status = {
      currentNumberScheduled: scheduled,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: wanted.length,
      numberReady: ready,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: updated,
      numberAvailable: available,
      ...(wanted.length - available > 0 ? { numberUnavailable: wanted.length - available } : {}),
    };
    if (minReady > 0 && ready > available) this.queue.addAfter(key, minReady * 1000);
    const old: Readonly<Record<string, unknown>> = ds.status ?? {};
    if (
      Object.entries(status).every(([k, v]) => old[k] === v) &&
      old.numberUnavailable === (status as DaemonSetStatus).numberUnavailable
    )
      return;
    this.ctx.api.patch('daemonsets', ds.metadata.namespace, ds.metadata.name, (cur) => ({ ...cur, status }), user);
  }

  /** RollingUpdate: delete old pods while fewer than maxUnavailable daemon pods are unavailable. */
  private rollingUpdate(
    ds: DaemonSet,
    hash: string,
    wanted: readonly string[],
    byNode: ReadonlyMap<string, Pod[]>,
    leaving: ReadonlySet<string>,
    now: number,
    minReady: number,
  ): void {
    const strategy = ds.spec!.updateStrategy ?? {};
    if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    let maxUnavailable = scaled(strategy.rollingUpdate?.maxUnavailable ?? 1, wanted.length, true);
    if (maxUnavailable === 0 && scaled(strategy.rollingUpdate?.maxSurge ?? 0, wanted.length, true) === 0)
      maxUnavailable = 1;
    const old: Pod[] = [];
    let unavailable = 0;
    for (const node of wanted) {
      const pod = byNode.get(node)?.[0];
      if (!pod || leaving.has(node) || !isPodAvailable(pod, minReady, now)) unavailable++;
      if (pod && pod.metadata.labels?.['controller-revision-hash'] !== hash) old.push(pod);
    }
    // Unavailable old pods go first, then available ones within the budget.
    const notAvailable = old.filter((p) => !isPodAvailable(p, minReady, now));
    const availableOld = old.filter((p) => isPodAvailable(p, minReady, now));
    const budget = Math.max(0, maxUnavailable - unavailable);
    this.deletePods(ds, [...notAvailable, ...availableOld.slice(0, budget)]);
  }

  /**
   * CreatePodTemplate: the template with the daemon tolerations and the revision labels. Made
   * once per template and generation (a sync asks for it, and asks every node about it), so
   * that the verdicts on the nodes can be kept with it.
   */
  private podTemplate(ds: DaemonSet): Pod {
    const template = ds.spec!.template ?? {};
    const generation = ds.metadata.generation ?? 1;
    const made = podTemplates.get(template);
    if (made !== undefined && made.generation === generation) return made.pod;
    const pod = this.makePodTemplate(ds);
    podTemplates.set(template, { generation, pod });
    return pod;
  }

  private makePodTemplate(ds: DaemonSet): Pod {
    const template = ds.spec!.template ?? {};
    // Validation refuses a DaemonSet whose template has no spec, so the empty fallback is never taken.
    const spec = template.spec ?? ({} as PodSpec);
    const tolerations = [...(spec.tolerations ?? [])];
    for (const t of spec.hostNetwork ? [...daemonTolerations, networkUnavailable] : daemonTolerations) {
      if (!tolerations.some((have: Toleration) => have.key === t.key && have.effect === t.effect)) tolerations.push(t);
    }
    const labels = {
      ...(template.metadata?.labels ?? {}),
      'controller-revision-hash': templateHash(template),
      'pod-template-generation': String(ds.metadata.generation ?? 1),
    };
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      // A template's metadata may say `creationTimestamp: null` (as `kubectl` writes it); the pod keeps it as it is.
      metadata: { ...(template.metadata ?? {}), name: '', labels } as ObjectMeta,
      spec: { ...spec, tolerations },
    };
  }

  /** A pod for each node, pinned to it, named `<ds>-<5 chars>`, in slow-start batches. */
  private createPods(ds: DaemonSet, template: Pod, nodes: readonly string[]): void {
    if (nodes.length === 0) return;
    const key = keyOf(ds);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + nodes.length);
    const metadata = {
      ...template.metadata,
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      ownerReferences: [PodControl.ownerReference(ds)],
    };
    this.podControl.createInBatches(
      ds,
      nodes.length,
      (i) => ({
        ...template,
        metadata,
        spec: { ...template.spec!, affinity: pinnedTo(template.spec!.affinity, nodes[i]) },
      }),
      (n) => this.inFlight.set(key, Math.max(0, (this.inFlight.get(key) ?? 0) - n)),
    );
  }

  private deletePods(ds: DaemonSet, pods: readonly Pod[]): void {
    for (const pod of pods) {
      if (this.deleting.has(keyOf(pod))) continue;
      this.deleting.add(keyOf(pod));
      this.podControl.deletePod(ds, pod, (error) => {
        if (error) this.deleting.delete(keyOf(pod));
      });
    }
  }
}

/**
 * NodeShouldRunDaemonPod: whether a daemon pod should start on the node, and
 * whether one there may keep running (it tolerates the NoExecute taints).
 */
function verdict(template: Pod, node: Node): { shouldRun: boolean; shouldContinueRunning: boolean } {
  if (!nodeSelectedBy(template, node)) return { shouldRun: false, shouldContinueRunning: false };
  if (untoleratedTaint(template, node) === undefined) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: untoleratedTaint(template, node, true) === undefined };
}

/**
 * The verdict's first answer alone, for the sync's pass over every node: the template admits
 * the node and tolerates its taints. Kept per node object (a node's labels and taints
 * change only with a new object) for the last template asked.
 */
function shouldRun(template: Pod, node: Node): boolean {
  const kept = verdicts.get(node);
  if (kept !== undefined && kept.template === template) return kept.shouldRun;
  const answer = verdict(template, node).shouldRun;
  verdicts.set(node, { template, shouldRun: answer });
  return answer;
}

const verdicts = new WeakMap<Node, { readonly template: Pod; readonly shouldRun: boolean }>();
const podTemplates = new WeakMap<object, { readonly generation: number; readonly pod: Pod }>();

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes "this node". */
function pinnedTo(affinity: Affinity | undefined, node: string): Affinity {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] };
  const nodeAffinity = affinity?.nodeAffinity ?? {};
  return {
    ...(affinity ?? {}),
    nodeAffinity: { ...nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } },
  };
}

/** The node a daemon pod is for: where it runs, else the node its affinity pins it to. */
function targetNode(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  return pod.spec === undefined ? undefined : pinnedNode(pod.spec);
}

const pinnedNodes = new WeakMap<object, string | null>();

/**
 * The node a pod spec's required node affinity names alone (kept
 * per spec: a pod's spec object is shared by its versions).
 */
function pinnedNode(spec: PodSpec): string | undefined {
  const kept = pinnedNodes.get(spec);
  if (kept !== undefined) return kept ?? undefined;
  const found = findPinnedNode(spec);
  pinnedNodes.set(spec, found ?? null);
  return found;
}

function findPinnedNode(spec: PodSpec): string | undefined {
  for (const term of spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ??
    []) {
    for (const f of term.matchFields ?? [])
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}
