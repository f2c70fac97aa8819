// PodTopologySpread as the default profile runs it (pkg/scheduler/framework/plugins/
// podtopologyspread): the pod's DoNotSchedule constraints filter nodes by skew, and its
// ScheduleAnyway constraints, or without any constraints of its own the system defaults
// (hostname with maxSkew 3, zone with maxSkew 5, over the pods its Services and controller
// select), score nodes so that pods of one set spread out. Matching pods are counted per node
// as pods are placed, relabelled and deleted, one count per selector, so a scheduling cycle
// reads a number per node instead of matching every pod there.
import { doubled } from '../../base/typedArrays';
import { type KubeObject, type LabelSelector, selectorMatches } from '../store/objects';
import type { NodeInfo } from './nodeInfo';
import { nodeSelectedBy } from '../helpers/nodeSelector';
import { untoleratedTaint } from '../helpers/taints';
import type { FilterFailure } from './plugins';

/* eslint-disable @typescript-eslint/no-explicit-any -- constraints are loosely typed. */

const hostnameKey = 'kubernetes.io/hostname';
const zoneKey = 'topology.kubernetes.io/zone';

/** A selector as the scheduler builds it: every part must match (labels.Selector with requirements added). */
export type SpreadSelector = readonly LabelSelector[];

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

const ignoreNodeReason = "node(s) didn't match pod topology spread constraints (missing required label)";
const skewReason = "node(s) didn't match pod topology spread constraints";

/**
 * The pod's own constraints with `whenUnsatisfiable` equal to `action` (filterTopologySpreadConstraints):
 * matchLabelKeys add the pod's values for those keys to the selector; minDomains defaults to 1.
 */
export function podConstraints(pod: KubeObject, action: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  const all: any[] = pod.spec?.topologySpreadConstraints ?? [];
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

/**
 * The constraints a pod is scored by (initPreScoreState): its ScheduleAnyway ones, or with no
 * constraints at all the system defaults over DefaultSelector: the selectors of the Services
 * that select the pod, and of its controller (ReplicaSet or StatefulSet; ReplicationControllers
 * are not simulated). Empty when neither applies (the plugin skips the pod).
 */
export function scoringConstraints(
  pod: KubeObject,
  defaultSelector: () => SpreadSelector,
): { constraints: SpreadConstraint[]; systemDefaulted: boolean } {
  if ((pod.spec?.topologySpreadConstraints ?? []).length > 0)
    return { constraints: podConstraints(pod, 'ScheduleAnyway'), systemDefaulted: false };
  const selector = defaultSelector();
  if (selector.length === 0) return { constraints: [], systemDefaulted: true };
  return {
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
}

/**
 * helper.DefaultSelector from the Services (merged `spec.selector`
 * maps) and the controller's selector that select the pod.
 */
export function defaultSelector(
  pod: KubeObject,
  services: Iterable<KubeObject>,
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

function matchesAll(selector: SpreadSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (selector.length === 0) return false;
  for (const part of selector) if (!selectorMatches(part, labels)) return false;
  return true;
}

/** A placed pod as spread counting sees it: where it is, its labels, and the counts it is in. */
export interface SpreadMember {
  readonly namespace: string;
  labels: Readonly<Record<string, string>> | undefined;
  /** Its node's slot in the scheduler's node order; -1 for a node the scheduler does not know. */
  slot: number;
  /** Being deleted: countPodsMatchSelector passes over it. */
  terminating: boolean;
  /** The counts it adds one to. */
  counted: SelectorCount[];
}

/** The pods of one namespace that one selector matches, per node slot. */
export class SelectorCount {
  perSlot: Int32Array;

  constructor(
    readonly namespace: string,
    readonly selector: SpreadSelector,
    size: number,
  ) {
    this.perSlot = new Int32Array(Math.max(16, size));
  }

  at(slot: number): number {
    return slot < this.perSlot.length ? this.perSlot[slot] : 0;
  }

  add(slot: number, sign: 1 | -1): void {
    if (slot < 0) return;
    while (slot >= this.perSlot.length) this.perSlot = doubled(this.perSlot);
    this.perSlot[slot] += sign;
  }
}

interface NamespaceCounts {
  /** Counts by the first `key=value` their selector requires: a pod can only be in those its labels name. */
  readonly countsByPair: Map<string, SelectorCount[]>;
  /** Counts whose selector requires no exact label. */
  readonly otherCounts: SelectorCount[];
  /** The namespace's placed pods, and the same by each `key=value` of their labels. */
  readonly members: Set<SpreadMember>;
  readonly membersByPair: Map<string, Set<SpreadMember>>;
}

const pairKey = (key: string, value: string) => `${key}\u0000${value}`;

/** The first label value the selector requires, if any. */
function firstPair(selector: SpreadSelector): string | undefined {
  for (const part of selector) for (const k in part.matchLabels ?? {}) return pairKey(k, part.matchLabels![k]);
  return undefined;
}

/**
 * The placed pods, by namespace and label, and every selector count the scheduler has asked
 * for, kept as pods are placed, relabelled, start terminating and go.
 */
export class SpreadCounts {
  private readonly byNamespace = new Map<string, NamespaceCounts>();
  private readonly byKey = new Map<string, SelectorCount>();
  /** The same counts by selector object, for the selector of a controller that is asked again and again. */
  private readonly byObject = new WeakMap<LabelSelector, SelectorCount>();
  private size = 0;

  /** The count for a selector in a namespace, made on first use from the pods placed so far. */
  countFor(namespace: string, selector: SpreadSelector): SelectorCount {
    const single = selector.length === 1 ? selector[0] : undefined;
    const known = single ? this.byObject.get(single) : undefined;
    if (known && known.namespace === namespace) return known;
    const cacheKey = `${namespace}\u0000${JSON.stringify(selector)}`;
    let count = this.byKey.get(cacheKey);
    if (!count) {
      count = new SelectorCount(namespace, selector, this.size);
      this.byKey.set(cacheKey, count);
      const ns = this.namespace(namespace);
      const pair = firstPair(selector);
      if (pair === undefined) ns.otherCounts.push(count);
      else {
        const list = ns.countsByPair.get(pair);
        if (list) list.push(count);
        else ns.countsByPair.set(pair, [count]);
      }
      // Only the pods that have the label value the selector requires can match.
      const candidates = pair === undefined ? ns.members : (ns.membersByPair.get(pair) ?? []);
      for (const m of candidates) if (!m.terminating) this.tryJoin(count, m);
    }
    if (single) this.byObject.set(single, count);
    return count;
  }

  private namespace(namespace: string): NamespaceCounts {
    let ns = this.byNamespace.get(namespace);
    if (!ns)
      this.byNamespace.set(
        namespace,
        (ns = { countsByPair: new Map(), otherCounts: [], members: new Set(), membersByPair: new Map() }),
      );
    return ns;
  }

  /** A pod placed: it is indexed by its labels and joins the counts whose selector matches it. */
  add(m: SpreadMember): void {
    const ns = this.namespace(m.namespace);
    ns.members.add(m);
    this.index(ns, m, 1);
    this.join(ns, m);
  }

  /** A pod gone from its node: it leaves every count it is in. */
  remove(m: SpreadMember): void {
    const ns = this.namespace(m.namespace);
    this.leave(m);
    ns.members.delete(m);
    this.index(ns, m, -1);
  }

  /** A placed pod relabelled or terminating: counted again as it is now (a terminating pod counts for no spread). */
  change(m: SpreadMember, labels: Readonly<Record<string, string>> | undefined, terminating: boolean): void {
    const ns = this.namespace(m.namespace);
    this.leave(m);
    if (labels !== m.labels) {
      this.index(ns, m, -1);
      m.labels = labels;
      this.index(ns, m, 1);
    }
    m.terminating = terminating;
    this.join(ns, m);
  }

  private index(ns: NamespaceCounts, m: SpreadMember, sign: 1 | -1): void {
    const labels = m.labels ?? {};
    for (const k in labels) {
      const key = pairKey(k, labels[k]);
      let set = ns.membersByPair.get(key);
      if (sign > 0) {
        if (!set) ns.membersByPair.set(key, (set = new Set()));
        set.add(m);
      } else if (set) {
        set.delete(m);
        if (set.size === 0) ns.membersByPair.delete(key);
      }
    }
  }

  private join(ns: NamespaceCounts, m: SpreadMember): void {
    if (m.terminating) return;
    const labels = m.labels ?? {};
    if (ns.countsByPair.size > 0) {
      for (const k in labels) {
        const list = ns.countsByPair.get(pairKey(k, labels[k]));
        if (list) for (const c of list) this.tryJoin(c, m);
      }
    }
    for (const c of ns.otherCounts) this.tryJoin(c, m);
  }

  private tryJoin(c: SelectorCount, m: SpreadMember): void {
    if (!matchesAll(c.selector, m.labels)) return;
    c.add(m.slot, 1);
    m.counted.push(c);
  }

  private leave(m: SpreadMember): void {
    for (const c of m.counted) c.add(m.slot, -1);
    m.counted = [];
  }

  /** The nodes were renumbered (`slotOf` gives each pod's new slot): every count is made again. */
  renumber(size: number, slotOf: (m: SpreadMember) => number): void {
    this.size = size;
    for (const c of this.byKey.values()) c.perSlot = new Int32Array(Math.max(16, size));
    for (const ns of this.byNamespace.values()) {
      for (const m of ns.members) {
        m.slot = slotOf(m);
        for (const c of m.counted) c.add(m.slot, 1);
      }
    }
  }
}

/** Whether the node counts for the constraint (matchNodeInclusionPolicies). */
function includes(c: SpreadConstraint, pod: KubeObject, node: KubeObject): boolean {
  if (c.honorNodeAffinity && !nodeSelectedBy(pod, node)) return false;
  if (c.honorTaints && untoleratedTaint(pod, node)) return false;
  return true;
}

function hasAllKeys(
  labels: Readonly<Record<string, string>> | undefined,
  constraints: readonly SpreadConstraint[],
): boolean {
  for (const c of constraints) if (labels?.[c.topologyKey] === undefined) return false;
  return true;
}

/**
 * PreFilter and Filter for the DoNotSchedule constraints: matching pods per topology value
 * over the nodes that have every key and pass the inclusion policies, and the smallest of them
 * (0 while there are fewer domains than minDomains); a node fails when its domain's count,
 * plus one if the pod matches, exceeds that minimum by more than maxSkew.
 */
export class SpreadFilter {
  private readonly perValue: Map<string, number>[] = [];
  private readonly minimum: number[] = [];
  private readonly selfMatch: number[] = [];

  constructor(
    pod: KubeObject,
    private readonly constraints: readonly SpreadConstraint[],
    counts: readonly SelectorCount[],
    nodes: readonly NodeInfo[],
  ) {
    for (let i = 0; i < constraints.length; i++) {
      this.perValue.push(new Map());
      this.selfMatch.push(matchesAll(constraints[i].selector, pod.metadata.labels) ? 1 : 0);
    }
    for (const info of nodes) {
      const labels = info.node.metadata.labels;
      if (!hasAllKeys(labels, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!includes(c, pod, info.node)) return;
        const value = labels![c.topologyKey];
        this.perValue[i].set(value, (this.perValue[i].get(value) ?? 0) + counts[i].at(info.slot));
      });
    }
    constraints.forEach((c, i) => {
      const values = [...this.perValue[i].values()];
      this.minimum.push(values.length < c.minDomains || values.length === 0 ? 0 : Math.min(...values));
    });
  }

  filter(info: NodeInfo): FilterFailure | undefined {
    const labels = info.node.metadata.labels;
    for (let i = 0; i < this.constraints.length; i++) {
      const c = this.constraints[i];
      const value = labels?.[c.topologyKey];
      if (value === undefined)
        return { plugin: 'PodTopologySpread', constraint: c.index, reasons: [ignoreNodeReason], unresolvable: true };
      const skew = (this.perValue[i].get(value) ?? 0) + this.selfMatch[i] - this.minimum[i];
      if (skew > c.maxSkew)
        return { plugin: 'PodTopologySpread', constraint: c.index, reasons: [skewReason], unresolvable: false };
    }
    return undefined;
  }
}

/**
 * PreScore, Score and NormalizeScore for the scoring constraints over the feasible nodes
 * (`feasible[0..n)`, slots into `nodes`): each node's raw score is the sum, over constraints
 * whose key it has, of matching pods in its domain × ln(domains + 2) + maxSkew − 1, rounded;
 * normalized so the node with the fewest gets 100 (`100 × (max + min − s) / max`, integer).
 * Nodes missing a key of the pod's own constraints score 0. `nodesWithKey` says how many of
 * all nodes have a label: a key that every node has (the hostname) needs no label reads, and
 * a system default whose key no node has scores nothing. Adds the scores × `weight` to
 * `totals`; `raw` is room for the raw scores.
 */
export function addSpreadScores(
  pod: KubeObject,
  scoring: { constraints: readonly SpreadConstraint[]; systemDefaulted: boolean },
  counts: readonly SelectorCount[],
  nodes: readonly NodeInfo[],
  feasible: Int32Array,
  n: number,
  nodesWithKey: (key: string) => number,
  totals: Int32Array,
  weight: number,
  raw: Int32Array,
): void {
  const requireAll = !scoring.systemDefaulted;
  let constraints = scoring.constraints;
  let counted = counts;
  if (!requireAll) {
    const kept = constraints.map((c) => nodesWithKey(c.topologyKey) > 0);
    constraints = constraints.filter((_, j) => kept[j]);
    counted = counts.filter((_, j) => kept[j]);
  }
  const everywhere = constraints.every((c) => nodesWithKey(c.topologyKey) === nodes.length);
  if (everywhere && constraints.length === 1 && constraints[0].topologyKey === hostnameKey) {
    // The common case: one hostname constraint, which every node has. A node's raw score only
    // grows with its count, so the scores are a small table from the fewest to the most.
    const perSlot = counted[0].perSlot;
    const size = perSlot.length;
    let fewest = Number.MAX_SAFE_INTEGER;
    let most = 0;
    for (let i = 0; i < n; i++) {
      const slot = feasible[i];
      const k = slot < size ? perSlot[slot] : 0;
      if (k < fewest) fewest = k;
      if (k > most) most = k;
    }
    const hostWeight = Math.log(n + 2);
    const skew = constraints[0].maxSkew - 1;
    const rawOf = (k: number) => Math.round(k * hostWeight + skew);
    const min = rawOf(fewest);
    const max = rawOf(most);
    const table = new Int32Array(most - fewest + 1);
    for (let k = fewest; k <= most; k++) table[k - fewest] = weight * normalized(rawOf(k), min, max);
    for (let i = 0; i < n; i++) {
      const slot = feasible[i];
      totals[i] += table[(slot < size ? perSlot[slot] : 0) - fewest];
    }
    return;
  }
  const ignored = new Uint8Array(n);
  let ignoredCount = 0;
  // Per constraint of a key other than hostname: the values the feasible nodes have (a node
  // without the key counts as the empty value, as a Go map lookup gives), then their counts.
  const perValue: (Map<string, number> | undefined)[] = constraints.map((c) =>
    c.topologyKey === hostnameKey ? undefined : new Map(),
  );
  for (let i = 0; i < n; i++) {
    const labels = nodes[feasible[i]].node.metadata.labels;
    if (requireAll && !everywhere && !hasAllKeys(labels, constraints)) {
      ignored[i] = 1;
      ignoredCount++;
      continue;
    }
    for (let j = 0; j < constraints.length; j++) perValue[j]?.set(labels?.[constraints[j].topologyKey] ?? '', 0);
  }
  const domainWeights = constraints.map((c, j) =>
    Math.log((c.topologyKey === hostnameKey ? n - ignoredCount : perValue[j]!.size) + 2),
  );
  constraints.forEach((c, j) => {
    const values = perValue[j];
    if (!values) return;
    const count = counted[j];
    for (const info of nodes) {
      const k = count.at(info.slot);
      if (k === 0) continue;
      const labels = info.node.metadata.labels;
      if (requireAll && !hasAllKeys(labels, constraints)) continue;
      if (!includes(c, pod, info.node)) continue;
      const value = labels?.[c.topologyKey] ?? '';
      const have = values.get(value);
      if (have !== undefined) values.set(value, have + k);
    }
  });
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  for (let i = 0; i < n; i++) {
    if (ignored[i]) continue;
    const info = nodes[feasible[i]];
    const labels = info.node.metadata.labels;
    let score = 0;
    for (let j = 0; j < constraints.length; j++) {
      const c = constraints[j];
      const value = labels?.[c.topologyKey];
      if (value === undefined) continue;
      const k = c.topologyKey === hostnameKey ? counted[j].at(info.slot) : perValue[j]!.get(value)!;
      score += k * domainWeights[j] + (c.maxSkew - 1);
    }
    raw[i] = Math.round(score);
    if (raw[i] < min) min = raw[i];
    if (raw[i] > max) max = raw[i];
  }
  // Ignored nodes score 0.
  for (let i = 0; i < n; i++) if (!ignored[i]) totals[i] += weight * normalized(raw[i], min, max);
}

/** NormalizeScore of one node: 100 for the fewest matching pods (all 100 when the largest raw score is 0). */
function normalized(raw: number, min: number, max: number): number {
  return max === 0 ? 100 : Math.floor((100 * (max + min - raw)) / max);
}
