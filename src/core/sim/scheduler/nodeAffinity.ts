// NodeAffinity (pkg/scheduler/framework/plugins/nodeaffinity): Filter checks the pod's
// nodeSelector, then its required node affinity, each rejection naming the one that failed;
// Score adds the weights of the preferred terms a node matches (DefaultNormalizeScore).
import type { Pod } from '../store/kinds';
import type { FilterFailure, Plugin } from './framework';
import { nodeEvents } from './frameworkRuntime';
import { defaultNormalizeScore } from './normalizeScore';
import type { NodeSelectorTerm } from '../../base/apiObjects';
import { nodeSelectorMatches, nodeSelectorTermsMatch, requiredAffinityMatches } from '../helpers/nodeSelector';
import { StateKey } from './cycleState';

const affinityReasons: readonly string[] = Object.freeze(["node(s) didn't match Pod's node affinity/selector"]);
const nodeSelectorMismatch: FilterFailure = Object.freeze({
  plugin: 'NodeAffinity',
  field: 'nodeSelector',
  reasons: affinityReasons,
  unresolvable: true,
});
const nodeAffinityMismatch: FilterFailure = Object.freeze({
  plugin: 'NodeAffinity',
  field: 'nodeAffinity',
  reasons: affinityReasons,
  unresolvable: true,
});

/** A preferred scheduling term that counts: a weight, and a preference that is not empty. */
interface PreferredTerm {
  readonly weight: number;
  readonly preference: NodeSelectorTerm;
}

export function nodeAffinity(): Plugin {
  const preferredKey = new StateKey<readonly PreferredTerm[]>('NodeAffinity/preScore');
  return {
    name: 'NodeAffinity',
    events: [{ event: nodeEvents }],
    // A pod with neither a nodeSelector nor required node affinity passes every node.
    preFilter: (_state, { pod }) =>
      pod.spec!.nodeSelector || pod.spec!.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        ? { kind: 'success' }
        : { kind: 'skip' },
    filter: (_state, { pod }, info) =>
      !nodeSelectorMatches(pod, info.node)
        ? nodeSelectorMismatch
        : !requiredAffinityMatches(pod, info.node)
          ? nodeAffinityMismatch
          : undefined,
    preScore: (state, { pod }) => {
      const preferred = preferredTerms(pod);
      state.write(preferredKey, preferred);
      return preferred.length > 0;
    },
    score: (state, _pod, info) => {
      let sum = 0;
      for (const t of state.read(preferredKey)) if (nodeSelectorTermsMatch([t.preference], info.node)) sum += t.weight;
      return sum;
    },
    normalizeScore: (_state, _pod, feasible, scores) => defaultNormalizeScore(scores, feasible.count, false),
  };
}

/** The pod's preferred node affinity terms that count (NewPreferredSchedulingTerms). */
function preferredTerms(pod: Pod): PreferredTerm[] {
  const terms: unknown = pod.spec!.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  if (!Array.isArray(terms)) return [];
  return terms
    .filter(
      (t: { weight?: unknown; preference?: NodeSelectorTerm } | null) =>
        t &&
        Number(t.weight) !== 0 &&
        t.preference &&
        ((t.preference.matchExpressions ?? []).length > 0 || (t.preference.matchFields ?? []).length > 0),
    )
    .map((t: { weight?: unknown; preference: NodeSelectorTerm }) => ({
      weight: Number(t.weight),
      preference: t.preference,
    }));
}
