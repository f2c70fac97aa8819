// PodTopologySpread's PreScore, Score and NormalizeScore (podtopologyspread/scoring.go) over the
// feasible nodes: a node's raw score is the sum, over the constraints whose key it has, of the
// matching pods in its domain × ln(domains + 2) + maxSkew − 1, rounded; normalized so that the
// node with the fewest gets 100 (`100 × (max + min − s) / max`, integer). Nodes missing a key
// of the pod's own constraints score 0.
import type { Pod } from '../store/kinds';
import type { FeasibleNodes } from './framework';
import type { NodeInfo } from './nodeInfo';
import type { SelectorCount } from './spreadCounts';
import { hasAllKeys, hostnameKey, includes, type SpreadConstraint } from './spreadConstraints';

/** What PreScore found for the pod, for Score and NormalizeScore. */
export interface SpreadScoreState {
  readonly constraints: readonly SpreadConstraint[];
  readonly counts: readonly SelectorCount[];
  /** Per constraint, the matching pods per domain; undefined for the hostname, counted per node. */
  readonly perValue: readonly (Map<string, number> | undefined)[];
  /** Per constraint, ln(domains + 2). */
  readonly domainWeights: readonly number[];
  /** Feasible nodes (by slot) that score 0 for missing a key; empty when no node can. */
  readonly ignored: Uint8Array;
  /**
   * Whether Score reads the node's labels: not when the only keys are ones every node has
   * (the hostname), the common case, where a node's count is all its score needs.
   */
  readonly readsLabels: boolean;
}

/** The `ignored` of a cycle that ignores no node: nothing is ever written to it. */
const noneIgnored = new Uint8Array(0);

/**
 * PreScore (initPreScoreState): the constraints that count and their domains over the feasible
 * nodes. `nodesWithKey` says how many of all nodes have a label: a key that every node has
 * (the hostname) needs no label reads, and a system default whose key no node has scores nothing.
 */
export function preScoreSpread(
  pod: Pod,
  scoring: { readonly constraints: readonly SpreadConstraint[]; readonly systemDefaulted: boolean },
  counts: readonly SelectorCount[],
  feasible: FeasibleNodes,
  nodesWithKey: (key: string) => number,
): SpreadScoreState {
  const { nodes, slots, count: n } = feasible;
  const requireAll = !scoring.systemDefaulted;
  let constraints = scoring.constraints;
  let counted = counts;
  if (!requireAll) {
    const kept = constraints.map((c) => nodesWithKey(c.topologyKey) > 0);
    constraints = constraints.filter((_, j) => kept[j]);
    counted = counts.filter((_, j) => kept[j]);
  }
  const everywhere = constraints.every((c) => nodesWithKey(c.topologyKey) === nodes.length);
  // The common case: hostname constraints only, a key every node has. No node is ignored, and
  // each node is a domain of its own, so the labels have nothing more to say.
  if (everywhere && constraints.every((c) => c.topologyKey === hostnameKey)) {
    const weight = Math.log(n + 2);
    return {
      constraints,
      counts: counted,
      perValue: constraints.map(() => undefined),
      domainWeights: constraints.map(() => weight),
      ignored: noneIgnored,
      readsLabels: false,
    };
  }
  const checkKeys = requireAll && !everywhere;
  const ignored = new Uint8Array(checkKeys ? nodes.length : 0);
  let ignoredCount = 0;
  // Per constraint of a key other than hostname: the values the feasible nodes have (a node
  // without the key counts as the empty value, as a Go map lookup gives), then their counts.
  const perValue: (Map<string, number> | undefined)[] = constraints.map((c) =>
    c.topologyKey === hostnameKey ? undefined : new Map(),
  );
  const keyed = perValue.some((v) => v !== undefined);
  if (checkKeys || keyed) {
    for (let i = 0; i < n; i++) {
      const labels = nodes[slots[i]].node.metadata.labels;
      if (checkKeys && !hasAllKeys(labels, constraints)) {
        ignored[slots[i]] = 1;
        ignoredCount++;
        continue;
      }
      for (let j = 0; j < constraints.length; j++) perValue[j]?.set(labels?.[constraints[j].topologyKey] ?? '', 0);
    }
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
  return { constraints, counts: counted, perValue, domainWeights, ignored, readsLabels: keyed || !everywhere };
}

/** Score: the node's raw score, rounded (0 for an ignored node). */
export function spreadScore(state: SpreadScoreState, info: NodeInfo): number {
  if (state.ignored.length > 0 && state.ignored[info.slot]) return 0;
  const { constraints, counts, perValue, domainWeights, readsLabels } = state;
  const labels = readsLabels ? info.node.metadata.labels : undefined;
  let score = 0;
  for (let j = 0; j < constraints.length; j++) {
    const c = constraints[j];
    const values = perValue[j];
    let k: number;
    if (values === undefined) {
      // Hostname: every node has its own domain; a node without the label has none.
      if (readsLabels && labels?.[c.topologyKey] === undefined) continue;
      k = counts[j].at(info.slot);
    } else {
      const value = labels?.[c.topologyKey];
      if (value === undefined) continue;
      k = values.get(value)!;
    }
    score += k * domainWeights[j] + (c.maxSkew - 1);
  }
  return Math.round(score);
}

/**
 * Score for every feasible node at once. In the common case, one hostname constraint that every
 * node has, a node's score needs only its count, read straight from the count's array.
 */
export function spreadScores(state: SpreadScoreState, feasible: FeasibleNodes, out: Int32Array): void {
  const { nodes, slots, count: n } = feasible;
  const { constraints, counts, perValue, domainWeights, readsLabels } = state;
  if (!readsLabels && constraints.length === 1 && perValue[0] === undefined) {
    const perSlot = counts[0].perSlot;
    const size = perSlot.length;
    const weight = domainWeights[0];
    const skew = constraints[0].maxSkew - 1;
    for (let i = 0; i < n; i++) {
      const slot = slots[i];
      out[i] = Math.round((slot < size ? perSlot[slot] : 0) * weight + skew);
    }
    return;
  }
  for (let i = 0; i < n; i++) out[i] = spreadScore(state, nodes[slots[i]]);
}

/** NormalizeScore: 100 for the fewest matching pods (all 100 when the largest raw score is 0); ignored nodes 0. */
export function normalizeSpreadScores(state: SpreadScoreState, feasible: FeasibleNodes, scores: Int32Array): void {
  const { slots, count: n } = feasible;
  const ignored = state.ignored;
  // Without nodes to ignore (the table is empty then) no slot is looked up: a read past the
  // end of a typed array is a slow path for the JIT.
  const ignoring = ignored.length > 0;
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  for (let i = 0; i < n; i++) {
    if (ignoring && ignored[slots[i]]) continue;
    if (scores[i] < min) min = scores[i];
    if (scores[i] > max) max = scores[i];
  }
  for (let i = 0; i < n; i++)
    scores[i] = ignoring && ignored[slots[i]] ? 0 : max === 0 ? 100 : Math.floor((100 * (max + min - scores[i])) / max);
}

/**
 * The plugin's part of a cycle's totals in one call: PreScore, Score and NormalizeScore over
 * `feasible[0..n)` (slots into `nodes`), the normalized scores × `weight` added to `totals`;
 * `raw` is room for the raw scores.
 */
export function addSpreadScores(
  pod: Pod,
  scoring: { readonly constraints: readonly SpreadConstraint[]; readonly systemDefaulted: boolean },
  counts: readonly SelectorCount[],
  nodes: readonly NodeInfo[],
  feasible: Int32Array,
  n: number,
  nodesWithKey: (key: string) => number,
  totals: Int32Array,
  weight: number,
  raw: Int32Array,
): void {
  const nodesFeasible: FeasibleNodes = { nodes, slots: feasible, count: n };
  const state = preScoreSpread(pod, scoring, counts, nodesFeasible, nodesWithKey);
  for (let i = 0; i < n; i++) raw[i] = spreadScore(state, nodes[feasible[i]]);
  normalizeSpreadScores(state, nodesFeasible, raw);
  for (let i = 0; i < n; i++) totals[i] += weight * raw[i];
}
