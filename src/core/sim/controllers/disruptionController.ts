// The disruption controller (pkg/controller/disruption): a PodDisruptionBudget's status from
// the pods its selector matches in its namespace. expectedPods is the number of such pods for
// an integer minAvailable, else the scale of their controllers (a ReplicaSet's or
// StatefulSet's replicas; a Deployment's ReplicaSets count through their own); desiredHealthy
// is minAvailable (a percentage rounded up) or expectedPods − maxUnavailable; currentHealthy
// counts the Ready pods not being deleted and not just evicted (disruptedPods, kept 2 minutes);
// disruptionsAllowed is what is left, with the DisruptionAllowed condition.
import type { Condition, PodDisruptionBudgetStatus } from '../../base/apiObjects';
import type { SimContext } from '../client/context';
import { rfc3339, virtualMsOf } from '../store/naming';
import { keyOf, selectorMatches } from '../store/objects';
import type { Pod, PodDisruptionBudget, ReplicaSet, StatefulSet } from '../store/kinds';
import { controllerLatency, controllerOf, Informer, splitKey, WorkQueue } from '../client/informer';
import { isPodReady, isPodTerminal } from '../helpers/podUtil';

const source = { component: 'controllermanager' };
const user = 'system:serviceaccount:kube-system:disruption-controller';
/** DeletionTimeout: an evicted pod the controller has not seen go counts as disrupted this long. */
const deletionTimeoutMs = 2 * 60_000;

/**
 * An int-or-string budget field against a total: percentages round up (GetScaledValueFromIntOrPercent with roundUp).
 */
export function scaledValue(value: unknown, total: number): number {
  if (typeof value === 'string' && value.endsWith('%')) return Math.ceil((Number(value.slice(0, -1)) * total) / 100);
  return Number(value ?? 0);
}

export class DisruptionController {
  private readonly budgets: Informer<PodDisruptionBudget>;
  private readonly pods: Informer<Pod>;
  private readonly sets: Informer<ReplicaSet>;
  private readonly statefulSets: Informer<StatefulSet>;
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, controllerLatency(ctx, 'disruption-controller'), (key) => this.sync(key));
    this.budgets = ctx.informers.get('poddisruptionbudgets').onChange((e, old) => {
      if (e.type === 'DELETED') return;
      // Its own status writes (and the apiserver's for an eviction) change
      // nothing it reads, but an eviction's disruptedPods entry must expire.
      if (
        e.type === 'MODIFIED' &&
        old !== undefined &&
        old.spec === e.object.spec &&
        old.status?.disruptedPods === e.object.status?.disruptedPods
      )
        return;
      this.queue.add(keyOf(e.object));
    });
    this.sets = ctx.informers.get('replicasets');
    this.statefulSets = ctx.informers.get('statefulsets');
    this.pods = ctx.informers.get('pods').onChange((e, old) => {
      // Only readiness, deletion and membership matter: a status write that keeps readiness changes nothing here.
      if (
        e.type === 'MODIFIED' &&
        old !== undefined &&
        isPodReady(old) === isPodReady(e.object) &&
        old.metadata.deletionTimestamp === e.object.metadata.deletionTimestamp &&
        old.metadata.labels === e.object.metadata.labels
      )
        return;
      this.onPod(e.object);
    });
  }

  private onPod(pod: Pod): void {
    for (const budget of this.budgets.inNamespace(pod.metadata.namespace ?? '')) {
      if (selectorMatches(budget.spec?.selector, pod.metadata.labels)) this.queue.add(keyOf(budget));
    }
  }

  private sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const budget = this.budgets.get(namespace, name);
    if (!budget || namespace === undefined) return;
    const spec = budget.spec ?? {};
    const pods = [...this.pods.inNamespace(namespace)].filter(
      (p) => !isPodTerminal(p) && selectorMatches(spec.selector, p.metadata.labels),
    );
    if (pods.length === 0) this.record(budget, 'Normal', 'NoPods', 'No matching pods found');
    const now = this.ctx.engine.now();
    // disruptedPods: evictions the controller has not seen through yet, each for at most DeletionTimeout.
    const disrupted: Record<string, string> = {};
    let nextExpiry: number | undefined;
    for (const [pod, at] of Object.entries((budget.status?.disruptedPods ?? {}) as Record<string, string>)) {
      const current = pods.find((p) => p.metadata.name === pod);
      const expires = virtualMsOf(at) + deletionTimeoutMs;
      if (!current || current.metadata.deletionTimestamp || expires <= now) continue;
      disrupted[pod] = at;
      nextExpiry = Math.min(nextExpiry ?? expires, expires);
    }
    if (nextExpiry !== undefined) this.queue.addAfter(key, nextExpiry - now);
    const expectedPods =
      spec.minAvailable !== undefined && typeof spec.minAvailable !== 'string' ? pods.length : this.expectedScale(pods);
    const desiredHealthy =
      spec.minAvailable !== undefined
        ? scaledValue(spec.minAvailable, expectedPods)
        : Math.max(0, expectedPods - scaledValue(spec.maxUnavailable, expectedPods));
    const currentHealthy = pods.filter(
      (p) => !p.metadata.deletionTimestamp && isPodReady(p) && disrupted[p.metadata.name] === undefined,
    ).length;
    const disruptionsAllowed = Math.max(0, currentHealthy - desiredHealthy);
    const old: Partial<PodDisruptionBudgetStatus> = budget.status ?? {};
    const allowed = disruptionsAllowed > 0;
    const previous = (old.conditions as readonly Condition[] | undefined)?.find((c) => c.type === 'DisruptionAllowed');
    const condition = {
      type: 'DisruptionAllowed',
      status: allowed ? 'True' : 'False',
      observedGeneration: budget.metadata.generation,
      lastTransitionTime:
        previous && previous.status === (allowed ? 'True' : 'False') ? previous.lastTransitionTime : rfc3339(now),
      reason: allowed ? 'SufficientPods' : 'InsufficientPods',
      message: '',
    };
    const status = {
      ...(Object.keys(disrupted).length > 0 ? { disruptedPods: disrupted } : {}),
      disruptionsAllowed,
      currentHealthy,
      desiredHealthy,
      expectedPods,
      observedGeneration: budget.metadata.generation,
      conditions: [condition],
    };
    if (JSON.stringify(old) === JSON.stringify(status)) return;
    this.ctx.api.patchObject('poddisruptionbudgets', budget, (cur) => ({ ...cur, status }), user);
  }

  /**
   * getExpectedScale: the replicas of the pods' controllers, each counted once; a pod without one counts for itself.
   */
  private expectedScale(pods: readonly Pod[]): number {
    const seen = new Set<string>();
    let total = 0;
    for (const pod of pods) {
      const owner = controllerOf(pod);
      const informer =
        owner?.kind === 'ReplicaSet' ? this.sets : owner?.kind === 'StatefulSet' ? this.statefulSets : undefined;
      const controller = owner && informer ? informer.get(pod.metadata.namespace, owner.name) : undefined;
      if (!controller) {
        total++;
        continue;
      }
      if (seen.has(controller.metadata.uid!)) continue;
      seen.add(controller.metadata.uid!);
      total += controller.spec?.replicas ?? 1;
    }
    return total;
  }

  private record(budget: PodDisruptionBudget, severity: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.events.record(source, budget, severity, reason, message, { lane: 'controller-manager', node: null });
  }
}
