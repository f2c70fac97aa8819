// InterPodAffinity's PreScore, Score and NormalizeScore (interpodaffinity/scoring.go): per
// topology key and value, the weights of the terms that hold there (from the placed pods on
// nodes of that value); a feasible node's score is the sum over the keys it has, normalized to
// 0..100 between the lowest and the highest. The pod's preferred affinity (anti-affinity) adds
// (subtracts) each term's weight in the domains of the pods it selects, the preferred terms of
// placed pods that select it do the same, and their required affinity terms add 1.
import type { PodAffinityTerm } from '../../base/apiObjects';
import type { Pod } from '../store/kinds';
import type { FeasibleNodes } from './framework';
import { scoringTermsOf, termMatches, termOf, type NamespaceLookup, type PlacedPod } from './interPodAffinity';
import type { NodeInfo } from './nodeInfo';

/** InterPodAffinityArgs.hardPodAffinityWeight's default: what a placed pod's required affinity to the pod is worth. */
const hardPodAffinityWeight = 1;

/** Per topology key, the summed weight of each of its values. */
export type TopologyScores = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * PreScore: the weights per topology domain. Without preferred terms of its own only placed pods
 * with affinity are looked at; undefined when nothing applies (Skip).
 */
export function preScoreInterPodAffinity(
  pod: Pod,
  placed: Iterable<PlacedPod>,
  withAffinityPlaced: number,
  nodeLabels: (node: string) => Readonly<Record<string, string>> | undefined,
  lookup: NamespaceLookup,
): TopologyScores | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  const own = scoringTermsOf(pod);
  const preferred = [
    ...(own?.preferredAffinity ?? []).map((t) => ({ weight: t.weight, term: termOf(t.term, namespace, lookup) })),
    ...(own?.preferredAntiAffinity ?? []).map((t) => ({ weight: -t.weight, term: termOf(t.term, namespace, lookup) })),
  ];
  if (preferred.length === 0 && withAffinityPlaced === 0) return undefined;
  const scores = new Map<string, Map<string, number>>();
  const add = (key: string, value: string | undefined, weight: number) => {
    if (value === undefined) return;
    let byValue = scores.get(key);
    if (!byValue) scores.set(key, (byValue = new Map()));
    byValue.set(value, (byValue.get(value) ?? 0) + weight);
  };
  const labels = pod.metadata.labels;
  for (const p of placed) {
    if (preferred.length === 0 && p.scoringTerms === undefined) continue;
    const node = nodeLabels(p.node);
    if (!node || Object.keys(node).length === 0) continue;
    for (const { weight, term } of preferred)
      if (termMatches(term, p.namespace, p.labels)) add(term.topologyKey, node[term.topologyKey], weight);
    const theirs = p.scoringTerms;
    if (!theirs) continue;
    const matching = (raw: PodAffinityTerm, weight: number) => {
      const term = termOf(raw, p.namespace, lookup);
      if (termMatches(term, namespace, labels)) add(term.topologyKey, node[term.topologyKey], weight);
    };
    for (const raw of theirs.requiredAffinity) matching(raw, hardPodAffinityWeight);
    for (const t of theirs.preferredAffinity) matching(t.term, t.weight);
    for (const t of theirs.preferredAntiAffinity) matching(t.term, -t.weight);
  }
  return scores.size === 0 ? undefined : scores;
}

/** Score: the weights of the domains the node is in. */
export function interPodAffinityScore(scores: TopologyScores, info: NodeInfo): number {
  const labels = info.node.metadata.labels ?? {};
  let score = 0;
  for (const [key, byValue] of scores) {
    const value = labels[key];
    if (value !== undefined) score += byValue.get(value) ?? 0;
  }
  return score;
}

/** NormalizeScore: 0..100 between the lowest and the highest (all 0 when they are equal). */
export function normalizeInterPodAffinityScores(feasible: FeasibleNodes, scores: Int32Array): void {
  const n = feasible.count;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (scores[i] < min) min = scores[i];
    if (scores[i] > max) max = scores[i];
  }
  const spread = max - min;
  for (let i = 0; i < n; i++) scores[i] = spread > 0 ? Math.trunc(100 * ((scores[i] - min) / spread)) : 0;
}
