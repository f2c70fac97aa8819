// DefaultPreemption, the default profile's PostFilter (plugins/defaultpreemption): when no node
// fits, the nodes where evicting pods of lower priority makes room (preemption.ts). With a
// candidate, its victims get DisruptionTarget, are deleted and told `Preempted`, and the pod is
// nominated to the node, to be retried once they are gone; without one, its message joins the
// FailedScheduling text.
import type { SimContext } from '../client/context';
import type { Informer } from '../client/informer';
import { podCondition, withDisruptionTarget } from '../helpers/podUtil';
import { rfc3339 } from '../store/naming';
import { selectorMatches } from '../store/objects';
import type { Pod, PodDisruptionBudget } from '../store/kinds';
import type { Plugin, PostFilterResult } from './framework';
import { schedulerSource, schedulerUser } from './identity';
import { pickCandidate, selectVictims, type PreemptionPod } from './preemption';
import { preemptionMessage } from './fitError';
import type { Placed, SchedulerCache } from './schedulerCache';

interface LowerPod {
  readonly key: string;
  readonly placed: Placed;
  readonly pod: Pod;
}

export function defaultPreemption(ctx: SimContext, cache: SchedulerCache, pods: Informer<Pod>): Plugin {
  return {
    name: 'DefaultPreemption',
    events: [],
    postFilter: (_state, pod, { failures, slots }): PostFilterResult => {
      const spec = pod.pod.spec!;
      const total = cache.nodeOrder.length;
      // PodEligibleToPreemptOthers.
      if (spec.preemptionPolicy === 'Never') return { message: 'not eligible due to preemptionPolicy=Never.' };
      const lower = lowerPriorityPods(cache, pods, pod.priority);
      const nominated = pod.pod.status?.nominatedNodeName;
      const nominatedFailure =
        failures[slots.findIndex((slot) => cache.nodeOrder[slot].node.metadata.name === nominated)];
      // podTerminatingByPreemption: a pod of lower priority on the nominated node that is being
      // deleted for a preemption.
      if (
        nominated &&
        !nominatedFailure?.unresolvable &&
        (lower.get(nominated) ?? []).some(
          ({ pod: p }) =>
            p.metadata.deletionTimestamp && podCondition(p, 'DisruptionTarget')?.reason === 'PreemptionByScheduler',
        )
      )
        return { message: 'not eligible due to a terminating pod on the nominated node.' };
      const budgets = ctx.store.list('poddisruptionbudgets');
      const candidates: { node: string; victims: readonly PreemptionPod[]; violations: number }[] = [];
      const reasons: string[] = [];
      slots.forEach((slot, i) => {
        const info = cache.nodeOrder[slot];
        const name = info.node.metadata.name;
        const victims = asVictims(ctx, lower.get(name) ?? [], budgets);
        const verdict = selectVictims(pod.requests, info, failures[i], victims);
        if (verdict.kind === 'candidate')
          candidates.push({ node: name, victims: verdict.victims, violations: verdict.violations });
        else reasons.push(...verdict.reasons);
      });
      if (candidates.length === 0) return { message: preemptionMessage(total, reasons) };
      const chosen = candidates[pickCandidate(candidates)];
      preemptVictims(ctx, pods, pod.pod, chosen.node, chosen.victims);
      cache.nominations.set(pod.key, { node: chosen.node, requests: pod.requests, priority: pod.priority });
      return { nominatedNodeName: chosen.node };
    },
  };
}

/** The placed pods of a priority below `priority`, by node, in one pass over the placed pods. */
function lowerPriorityPods(cache: SchedulerCache, pods: Informer<Pod>, priority: number): Map<string, LowerPod[]> {
  const byNode = new Map<string, LowerPod[]>();
  for (const [key, placed] of cache.placed) {
    if (placed.priority >= priority) continue;
    const pod = pods.cache.get(key);
    if (!pod) continue;
    let list = byNode.get(placed.node);
    if (!list) byNode.set(placed.node, (list = []));
    list.push({ key, placed, pod });
  }
  return byNode;
}

/**
 * One node's pods as preemption weighs them (those not being deleted already), with budget
 * counters fresh for the node.
 */
function asVictims(
  ctx: SimContext,
  pods: readonly LowerPod[],
  budgets: readonly PodDisruptionBudget[],
): PreemptionPod[] {
  const counters = new Map<PodDisruptionBudget, { allowed: number }>();
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
      startTime: pod.status?.startTime ?? rfc3339(ctx.engine.now()),
      budgets: podBudgets,
    });
  }
  return out;
}

/** prepareCandidate: each victim gets DisruptionTarget (PreemptionByScheduler), is deleted, and is told `Preempted`. */
function preemptVictims(
  ctx: SimContext,
  pods: Informer<Pod>,
  preemptor: Pod,
  node: string,
  victims: readonly PreemptionPod[],
): void {
  const time = rfc3339(ctx.engine.now());
  const schedulerName = preemptor.spec!.schedulerName ?? 'default-scheduler';
  for (const victim of victims) {
    const pod = pods.cache.get(victim.key);
    if (!pod) continue;
    const { namespace, name } = pod.metadata;
    ctx.api.patch(
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
      schedulerUser,
    );
    ctx.api.delete('pods', namespace, name, schedulerUser, {}, { traceSteps: true });
    ctx.events.record(
      schedulerSource,
      pod,
      'Normal',
      'Preempted',
      `Preempted by pod ${preemptor.metadata.uid} on node ${node}`,
      { lane: 'scheduler', node, action: 'Preempting' },
    );
  }
}
