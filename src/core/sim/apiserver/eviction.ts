// The eviction subresource (pkg/registry/core/pod/storage/eviction.go): what an eviction of a
// pod may do given the PodDisruptionBudgets that select it. Pods that have finished, are still
// Pending or are already being deleted go without a check; a pod with several budgets is
// refused (500); a budget whose status is not computed yet, or that allows no disruption,
// refuses with 429 TooManyRequests; otherwise the budget is charged (disruptionsAllowed − 1,
// the pod in disruptedPods) before the pod is deleted. An unready pod is deleted without a
// charge while its budget is healthy (unhealthyPodEvictionPolicy IfHealthyBudget).
import type { PodDisruptionBudgetStatus } from '../../base/apiObjects';
import { isPodReady } from '../helpers/podUtil';
import { ApiError } from '../store/apiError';
import { rfc3339 } from '../store/naming';
import { selectorMatches } from '../store/objects';
import type { PodDisruptionBudget, Pod } from '../store/kinds';
import type { ObjectStore } from '../store/store';

export type EvictionDecision =
  | { readonly kind: 'delete'; readonly why: string }
  | { readonly kind: 'charge'; readonly budget: PodDisruptionBudget; readonly status: PodDisruptionBudgetStatus }
  | { readonly kind: 'refuse'; readonly error: ApiError };

const violates = "Cannot evict pod as it would violate the pod's disruption budget.";

function tooManyRequests(cause: string): ApiError {
  return new ApiError(429, 'TooManyRequests', violates, {
    causes: [{ field: '', reason: 'DisruptionBudget', message: cause }],
  });
}

export function decideEviction(store: ObjectStore, pod: Pod, now: number): EvictionDecision {
  const phase = pod.status?.phase ?? 'Pending';
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp)
    return {
      kind: 'delete',
      why: `the pod is ${pod.metadata.deletionTimestamp ? 'being deleted' : phase}: no budget applies`,
    };
  const budgets = store
    .list('poddisruptionbudgets', { namespace: pod.metadata.namespace })
    .filter((b) => selectorMatches(b.spec?.selector, pod.metadata.labels));
  if (budgets.length === 0) return { kind: 'delete', why: 'no PodDisruptionBudget selects the pod' };
  if (budgets.length > 1)
    return {
      kind: 'refuse',
      error: new ApiError(
        500,
        '',
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      ),
    };
  const budget: PodDisruptionBudget = budgets[0];
  const status = budget.status;
  const name = budget.metadata.name;
  // A budget without a status has not been processed by the disruption controller yet.
  if (status?.observedGeneration === undefined || status.observedGeneration < (budget.metadata.generation ?? 1))
    return {
      kind: 'refuse',
      error: tooManyRequests(`The disruption budget ${name} is still being processed by the server.`),
    };
  const desired = status.desiredHealthy ?? 0;
  const current = status.currentHealthy ?? 0;
  if (
    !isPodReady(pod) &&
    (budget.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || (current >= desired && desired > 0))
  )
    return { kind: 'delete', why: `the pod is not ready and budget ${name} is healthy` };
  const allowedNow = status.disruptionsAllowed ?? 0;
  if (allowedNow <= 0)
    return {
      kind: 'refuse',
      error: tooManyRequests(
        `The disruption budget ${name} needs ${desired} healthy pods and has ${current} currently`,
      ),
    };
  const allowed = allowedNow - 1;
  const conditions =
    allowed > 0
      ? status.conditions
      : (status.conditions ?? []).map((c) =>
          c.type === 'DisruptionAllowed'
            ? {
                ...c,
                status: 'False',
                reason: 'InsufficientPods',
                lastTransitionTime: c.status === 'False' ? c.lastTransitionTime : rfc3339(now),
              }
            : c,
        );
  return {
    kind: 'charge',
    budget,
    status: {
      ...status,
      disruptedPods: { ...(status.disruptedPods ?? {}), [pod.metadata.name]: rfc3339(now) },
      disruptionsAllowed: allowed,
      conditions,
    },
  };
}
