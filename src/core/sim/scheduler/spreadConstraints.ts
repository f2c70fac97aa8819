// PodTopologySpread's constraints: the pod's own (filterTopologySpreadConstraints), the system
// defaults a pod without any is scored by (hostname with maxSkew 3, zone with maxSkew 5, over
// the pods its Services and controller select), and which nodes count for a constraint.
import type { TopologySpreadConstraint } from '../../base/apiObjects';
import { type LabelSelector } from '../store/objects';
import type { Node, Pod, Service } from '../store/kinds';
import { nodeSelectedBy } from '../helpers/nodeSelector';
import { untoleratedTaint } from '../helpers/taints';
import type { SpreadSelector } from './spreadCounts';

export const hostnameKey = 'kubernetes.io/hostname';
const zoneKey = 'topology.kubernetes.io/zone';

export interface SpreadConstraint {
  /** Its index in the pod's spec.topologySpreadConstraints; -1 for a system default. */
  readonly index: number;
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: SpreadSelector;
  readonly minDomains: number;
  /** nodeAffinityPolicy Honor (the default): only nodes the pod's node affinity admits count. */
  readonly honorNodeAffinity: boolean;
  /** nodeTaintsPolicy Honor (Ignore by default): nodes with a taint the pod does not tolerate do not count. */
  readonly honorTaints: boolean;
}

/** systemDefaultConstraints: what a pod without constraints of its own is spread by when scored. */
const systemDefaults: readonly { readonly topologyKey: string; readonly maxSkew: number }[] = [
  { topologyKey: hostnameKey, maxSkew: 3 },
  { topologyKey: zoneKey, maxSkew: 5 },
];

/**
 * The pod's own constraints with `whenUnsatisfiable` equal to `action` (filterTopologySpreadConstraints):
 * matchLabelKeys add the pod's values for those keys to the selector; minDomains defaults to 1.
 */
export function podConstraints(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  const all: readonly TopologySpreadConstraint[] = pod.spec?.topologySpreadConstraints ?? [];
  for (let index = 0; index < all.length; index++) {
    const c = all[index];
    if ((c.whenUnsatisfiable ?? 'DoNotSchedule') !== action) continue;
    // matchLabelKeys: the pod's own values for those keys are required too. A constraint with
    // neither a labelSelector nor such values selects nothing (LabelSelectorAsSelector(nil)).
    const parts: LabelSelector[] = [];
    const labels = pod.metadata.labels ?? {};
    const matchLabels: Record<string, string> = {};
    let keyed = false;
    for (const key of Array.isArray(c.matchLabelKeys) ? (c.matchLabelKeys as string[]) : []) {
      if (labels[key] === undefined) continue;
      matchLabels[key] = labels[key];
      keyed = true;
    }
    if (keyed) parts.push({ matchLabels });
    if (c.labelSelector) parts.push(c.labelSelector);
    out.push({
      index,
      maxSkew: Number(c.maxSkew ?? 1),
      topologyKey: String(c.topologyKey ?? ''),
      selector: parts,
      minDomains: Number(c.minDomains ?? 1),
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorTaints: c.nodeTaintsPolicy === 'Honor',
    });
  }
  return out;
}

/** The constraints a pod is scored by, and whether they are the system defaults. */
export interface ScoringConstraints {
  readonly constraints: readonly SpreadConstraint[];
  readonly systemDefaulted: boolean;
}

/**
 * The constraints a pod is scored by (initPreScoreState): its ScheduleAnyway ones, or with no
 * constraints at all the system defaults over DefaultSelector: the selectors of the Services
 * that select the pod, and of its controller (ReplicaSet or StatefulSet; ReplicationControllers
 * are not simulated). Empty when neither applies (the plugin skips the pod). The system
 * defaults over one selector object are made once when `defaults` keeps them.
 */
export function scoringConstraints(
  pod: Pod,
  defaultSelector: () => SpreadSelector,
  defaults?: WeakMap<SpreadSelector, ScoringConstraints>,
): ScoringConstraints {
  if ((pod.spec?.topologySpreadConstraints ?? []).length > 0)
    return { constraints: podConstraints(pod, 'ScheduleAnyway'), systemDefaulted: false };
  const selector = defaultSelector();
  if (selector.length === 0) return { constraints: [], systemDefaulted: true };
  const known = defaults?.get(selector);
  if (known) return known;
  const made: ScoringConstraints = {
    constraints: systemDefaults.map((d) => ({
      index: -1,
      maxSkew: d.maxSkew,
      topologyKey: d.topologyKey,
      selector,
      minDomains: 1,
      honorNodeAffinity: true,
      honorTaints: false,
    })),
    systemDefaulted: true,
  };
  defaults?.set(selector, made);
  return made;
}

/**
 * helper.DefaultSelector from the Services (merged `spec.selector` maps) and the controller's
 * selector that select the pod.
 */
export function defaultSelector(
  pod: Pod,
  services: Iterable<Service>,
  controllerSelector: LabelSelector | undefined,
): SpreadSelector {
  const labels = pod.metadata.labels ?? {};
  let merged: Record<string, string> | undefined;
  for (const s of services) {
    const sel = s.spec?.selector;
    // A Service without a selector selects nothing, not everything.
    if (!sel || typeof sel !== 'object') continue;
    let matches = true;
    for (const k in sel) if (labels[k] !== sel[k]) matches = false;
    if (matches) merged = { ...merged, ...sel };
  }
  const parts: LabelSelector[] = [];
  if (merged && Object.keys(merged).length > 0) parts.push({ matchLabels: merged });
  if (
    controllerSelector &&
    (Object.keys(controllerSelector.matchLabels ?? {}).length > 0 ||
      (controllerSelector.matchExpressions ?? []).length > 0)
  )
    parts.push(controllerSelector);
  return parts;
}

/** Whether the node counts for the constraint (matchNodeInclusionPolicies). */
export function includes(c: SpreadConstraint, pod: Pod, node: Node): boolean {
  if (c.honorNodeAffinity && !nodeSelectedBy(pod, node)) return false;
  if (c.honorTaints && untoleratedTaint(pod, node)) return false;
  return true;
}

export function hasAllKeys(
  labels: Readonly<Record<string, string>> | undefined,
  constraints: readonly SpreadConstraint[],
): boolean {
  for (const c of constraints) if (labels?.[c.topologyKey] === undefined) return false;
  return true;
}
