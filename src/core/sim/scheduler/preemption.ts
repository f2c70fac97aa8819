// DefaultPreemption (pkg/scheduler/framework/preemption and plugins/defaultpreemption): when
// no node fits a pod, the nodes where removing pods of lower priority would make room. On
// each, every lower-priority pod is taken off; if the pod then fits, they are put back one by
// one, those whose PodDisruptionBudget allows no disruption first, each group from the most
// important (higher priority, then earlier start), and the ones that must go are the victims.
// The node is then picked by fewest budget violations, lowest highest victim priority,
// lowest sum of priorities, fewest victims, latest start among the most important victims.
// Room is resources (cpu, memory, pod slots) and host ports: a node that failed on anything
// else (inter-pod affinity, topology spread) is left as it failed.
import type { NodeInfo, PodRequests } from './nodeInfo';
import type { FilterFailure } from './framework';
import { resourcesFit } from './nodeResources';

export interface PreemptionPod {
  readonly key: string;
  readonly priority: number;
  readonly requests: PodRequests;
  /** status.startTime (rfc3339); pods not started yet count as starting now. */
  readonly startTime: string;
  /**
   * Whether a PodDisruptionBudget covering the pod allows no
   * more disruption (decided in order, as budgets are used up).
   */
  readonly budgets: readonly { allowed: number }[];
}

export type NodeVerdict =
  | { readonly kind: 'candidate'; readonly victims: readonly PreemptionPod[]; readonly violations: number }
  /** Not a candidate: the reasons the inner FitError counts for the node. */
  | { readonly kind: 'rejected'; readonly reasons: readonly string[] };

const portsReason = "node(s) didn't have free ports for the requested pod ports";
const roomReasons = new Set(['Too many pods', 'Insufficient cpu', 'Insufficient memory', portsReason]);

/** util.MoreImportantPod: higher priority, then the earlier start. */
export function moreImportant(a: PreemptionPod, b: PreemptionPod): number {
  return b.priority - a.priority || (a.startTime < b.startTime ? -1 : a.startTime > b.startTime ? 1 : 0);
}

/**
 * SelectVictimsOnNode for resource fit and host ports: among `lower`, the node's pods of
 * lower priority than the pod's, the victims on `info`, or why the node cannot be one.
 */
export function selectVictims(
  requests: PodRequests,
  info: NodeInfo,
  failure: FilterFailure,
  lower: readonly PreemptionPod[],
): NodeVerdict {
  if (failure.unresolvable) return { kind: 'rejected', reasons: ['Preemption is not helpful for scheduling'] };
  if (lower.length === 0) return { kind: 'rejected', reasons: ['No preemption victims found for incoming pod'] };
  if (!failure.reasons.every((r) => roomReasons.has(r))) return { kind: 'rejected', reasons: failure.reasons };
  // What the node would have in use without them, then with each one put back: resources, and
  // the pods on each host port the pod asks for.
  const used = { cpu: info.cpu, memory: info.memory, pods: info.pods };
  const ports = new Map(requests.hostPorts.map((p) => [p, info.hostPorts.get(p) ?? 0]));
  const change = (p: PreemptionPod, sign: 1 | -1) => {
    used.cpu += sign * p.requests.cpu;
    used.memory += sign * p.requests.memory;
    used.pods += sign;
    for (const port of p.requests.hostPorts) {
      const n = ports.get(port);
      if (n !== undefined) ports.set(port, n + sign);
    }
  };
  const fits = () => resourcesFit(requests, info, used) && [...ports.values()].every((n) => n <= 0);
  for (const p of lower) change(p, -1);
  if (!fits()) return { kind: 'rejected', reasons: failure.reasons };
  const sorted = [...lower].sort(moreImportant);
  // filterPodsWithPDBViolation: a pod whose budget has no disruption
  // left violates it; each pod that does not uses one up.
  const violating: PreemptionPod[] = [];
  const nonViolating: PreemptionPod[] = [];
  for (const p of sorted) {
    let violates = false;
    for (const b of p.budgets) {
      b.allowed--;
      if (b.allowed < 0) violates = true;
    }
    (violates ? violating : nonViolating).push(p);
  }
  const victims: PreemptionPod[] = [];
  let violations = 0;
  const reprieve = (p: PreemptionPod): boolean => {
    change(p, 1);
    if (fits()) return true;
    change(p, -1);
    victims.push(p);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) violations++;
  for (const p of nonViolating) reprieve(p);
  return { kind: 'candidate', victims, violations };
}

/** pickOneNodeForPreemption: the index of the best candidate. */
export function pickCandidate(
  candidates: readonly { readonly victims: readonly PreemptionPod[]; readonly violations: number }[],
): number {
  const keyOf = (c: (typeof candidates)[number]) => {
    const highest = Math.max(...c.victims.map((v) => v.priority));
    // Sums offset by MaxInt32 + 1, as upstream, so that negative priorities still add up to more for more victims.
    const sum = c.victims.reduce((n, v) => n + v.priority + 2147483648, 0);
    const earliestOfHighest = c.victims
      .filter((v) => v.priority === highest)
      .reduce((t, v) => (v.startTime < t ? v.startTime : t), '\uffff');
    return { violations: c.violations, highest, sum, count: c.victims.length, earliestOfHighest };
  };
  let best = 0;
  let bestKey = keyOf(candidates[0]);
  for (let i = 1; i < candidates.length; i++) {
    const k = keyOf(candidates[i]);
    const better =
      k.violations !== bestKey.violations
        ? k.violations < bestKey.violations
        : k.highest !== bestKey.highest
          ? k.highest < bestKey.highest
          : k.sum !== bestKey.sum
            ? k.sum < bestKey.sum
            : k.count !== bestKey.count
              ? k.count < bestKey.count
              : k.earliestOfHighest > bestKey.earliestOfHighest;
    if (better) {
      best = i;
      bestKey = k;
    }
  }
  return best;
}
