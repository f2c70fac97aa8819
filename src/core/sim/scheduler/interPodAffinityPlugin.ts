// InterPodAffinity as a plugin of the profile: PreFilter builds the domains its Filter checks,
// PreScore the weights per domain its Score sums (interPodAffinity.ts, interPodAffinityScore.ts).
import { StateKey } from './cycleState';
import type { Plugin } from './framework';
import { nodeEvents } from './frameworkRuntime';
import { InterPodAffinityState } from './interPodAffinity';
import {
  interPodAffinityScore,
  normalizeInterPodAffinityScores,
  preScoreInterPodAffinity,
  type TopologyScores,
} from './interPodAffinityScore';
import type { SchedulerCache } from './schedulerCache';

export function interPodAffinity(cache: SchedulerCache): Plugin {
  const filterKey = new StateKey<InterPodAffinityState>('InterPodAffinity/preFilter');
  const scoreKey = new StateKey<TopologyScores>('InterPodAffinity/preScore');
  return {
    name: 'InterPodAffinity',
    events: [
      { event: nodeEvents },
      // A pod deleted or relabelled may no longer be what a term finds.
      { event: { resource: 'AssignedPod', actions: ['Delete', 'UpdatePodLabel'] } },
    ],
    // Nothing to check for a pod without pod (anti-)affinity while no placed pod has required anti-affinity.
    preFilter: (state, { pod }) => {
      const affinity = pod.spec!.affinity;
      if (cache.antiAffinityPlaced === 0 && !affinity?.podAffinity && !affinity?.podAntiAffinity)
        return { kind: 'skip' };
      state.write(filterKey, new InterPodAffinityState(pod, cache.placed.values(), cache.nodeLabels, cache.namespaces));
      return { kind: 'success' };
    },
    filter: (state, _pod, info) => state.read(filterKey).filter(info.node),
    preScore: (state, { pod }) => {
      const affinity = pod.spec!.affinity;
      if (!affinity?.podAffinity && !affinity?.podAntiAffinity && cache.affinityPlaced === 0) return false;
      const scores = preScoreInterPodAffinity(
        pod,
        cache.placed.values(),
        cache.affinityPlaced,
        cache.nodeLabels,
        cache.namespaces,
      );
      if (scores === undefined) return false;
      state.write(scoreKey, scores);
      return true;
    },
    score: (state, _pod, info) => interPodAffinityScore(state.read(scoreKey), info),
    normalizeScore: (_state, _pod, feasible, scores) => normalizeInterPodAffinityScores(feasible, scores),
  };
}
