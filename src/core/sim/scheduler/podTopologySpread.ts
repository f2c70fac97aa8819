// PodTopologySpread as the default profile runs it (pkg/scheduler/framework/plugins/
// podtopologyspread): the pod's DoNotSchedule constraints filter nodes by skew, and its
// ScheduleAnyway constraints, or without any constraints of its own the system defaults over
// the pods its Services and controller select (helper.DefaultSelector), score nodes so that the
// pods of one set spread out. The matching pods per node come from the cache's spread counts.
import { controllerOf, type Informer } from '../client/informer';
import type { Pod, ReplicaSet, Service, StatefulSet } from '../store/kinds';
import { StateKey } from './cycleState';
import type { Plugin } from './framework';
import { nodeEvents } from './frameworkRuntime';
import type { SchedulerCache } from './schedulerCache';
import { defaultSelector, podConstraints, scoringConstraints, type ScoringConstraints } from './spreadConstraints';
import type { SpreadSelector } from './spreadCounts';
import { SpreadFilter } from './spreadFilter';
import { normalizeSpreadScores, preScoreSpread, spreadScore, spreadScores, type SpreadScoreState } from './spreadScore';

/** The informers helper.DefaultSelector reads. */
export interface SpreadListers {
  readonly services: Informer<Service>;
  readonly replicaSets: Informer<ReplicaSet>;
  readonly statefulSets: Informer<StatefulSet>;
}

export function podTopologySpread(cache: SchedulerCache, listers: SpreadListers): Plugin {
  const filterKey = new StateKey<SpreadFilter>('PodTopologySpread/preFilter');
  const scoreKey = new StateKey<SpreadScoreState>('PodTopologySpread/preScore');
  const selectors = new DefaultSelectors(listers);
  // Pods of one set share their default selector object, and so their system default constraints.
  const defaults = new WeakMap<SpreadSelector, ScoringConstraints>();
  return {
    name: 'PodTopologySpread',
    events: [
      { event: nodeEvents },
      // A pod deleted or relabelled changes the counts.
      { event: { resource: 'AssignedPod', actions: ['Delete', 'UpdatePodLabel'] } },
    ],
    preFilter: (state, { pod }) => {
      const hard = pod.spec!.topologySpreadConstraints ? podConstraints(pod, 'DoNotSchedule') : [];
      if (hard.length === 0) return { kind: 'skip' };
      const counts = hard.map((c) => cache.spread.countFor(pod.metadata.namespace!, c.selector));
      state.write(filterKey, new SpreadFilter(pod, hard, counts, cache.nodeOrder));
      return { kind: 'success' };
    },
    filter: (state, _pod, info) => state.read(filterKey).filter(info),
    preScore: (state, { pod }, feasible) => {
      const scoring = scoringConstraints(pod, () => selectors.of(pod), defaults);
      if (scoring.constraints.length === 0) return false;
      const counts = scoring.constraints.map((c) => cache.spread.countFor(pod.metadata.namespace!, c.selector));
      state.write(scoreKey, preScoreSpread(pod, scoring, counts, feasible, cache.nodesWithKey));
      return true;
    },
    score: (state, _pod, info) => spreadScore(state.read(scoreKey), info),
    scoreAll: (state, _pod, feasible, scores) => spreadScores(state.read(scoreKey), feasible, scores),
    normalizeScore: (state, _pod, feasible, scores) => normalizeSpreadScores(state.read(scoreKey), feasible, scores),
  };
}

/**
 * helper.DefaultSelector: the Services that select the pod and its controller (ReplicaSet or
 * StatefulSet), from the informers' caches. Pods of one template share their labels object:
 * the answer is kept by it, for the same controller, until a Service changes.
 */
class DefaultSelectors {
  private servicesVersion = 0;
  private readonly byLabels = new WeakMap<
    object,
    { owner: string | undefined; namespace: string; servicesVersion: number; selector: SpreadSelector }
  >();

  constructor(private readonly listers: SpreadListers) {
    listers.services.onChange(() => this.servicesVersion++);
  }

  of(pod: Pod): SpreadSelector {
    const namespace = pod.metadata.namespace ?? 'default';
    const owner = controllerOf(pod);
    const labels = pod.metadata.labels;
    const known = labels ? this.byLabels.get(labels) : undefined;
    if (
      known &&
      known.owner === owner?.uid &&
      known.namespace === namespace &&
      known.servicesVersion === this.servicesVersion
    )
      return known.selector;
    const { services, replicaSets, statefulSets } = this.listers;
    const controllers =
      owner?.kind === 'ReplicaSet' ? replicaSets : owner?.kind === 'StatefulSet' ? statefulSets : undefined;
    const controllerObject = owner && controllers?.get(namespace, owner.name);
    const selector = defaultSelector(pod, services.inNamespace(namespace), controllerObject?.spec?.selector);
    // A controller not yet in the cache is asked again next time.
    if (labels && (!owner || controllerObject))
      this.byLabels.set(labels, { owner: owner?.uid, namespace, servicesVersion: this.servicesVersion, selector });
    return selector;
  }
}
