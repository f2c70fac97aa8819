// TaintToleration (pkg/scheduler/framework/plugins/tainttoleration): Filter rejects a node with
// a NoSchedule or NoExecute taint the pod does not tolerate; Score counts the node's
// PreferNoSchedule taints the pod does not tolerate, fewest best (reversed DefaultNormalizeScore).
import { tolerates } from '../helpers/taints';
import type { Node, Pod } from '../store/kinds';
import type { Plugin } from './framework';
import { nodeEvents } from './frameworkRuntime';
import { defaultNormalizeScore } from './normalizeScore';
import type { Taint } from '../../base/apiObjects';
import { untoleratedTaint } from '../helpers/taints';
import type { SchedulerCache } from './schedulerCache';

export function taintToleration(cache: SchedulerCache): Plugin {
  return {
    name: 'TaintToleration',
    events: [{ event: nodeEvents }],
    passesOnPlainNodes: true,
    filter: (_state, { pod }, info) => {
      const taint = untoleratedTaint(pod, info.node);
      return taint
        ? {
            plugin: 'TaintToleration',
            reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`],
            unresolvable: true,
          }
        : undefined;
    },
    // While no node has a PreferNoSchedule taint every node scores the same: nothing to compare.
    preScore: () => cache.preferNoScheduleNodes > 0,
    score: (_state, { pod }, info) => (info.plain ? 0 : intolerablePreferNoSchedule(pod, info.node)),
    normalizeScore: (_state, _pod, feasible, scores) => defaultNormalizeScore(scores, feasible.count, true),
  };
}

/**
 * Untolerated PreferNoSchedule taints of a node (countIntolerableTaintsPreferNoSchedule;
 * tolerations with that effect or none count).
 */
function intolerablePreferNoSchedule(pod: Pod, node: Node): number {
  let n = 0;
  const taints: readonly Taint[] = node.spec?.taints ?? [];
  for (const taint of taints) {
    if (taint.effect !== 'PreferNoSchedule') continue;
    const tolerated = (pod.spec!.tolerations ?? []).some(
      (t: { effect?: string }) => (!t.effect || t.effect === 'PreferNoSchedule') && tolerates(t, taint),
    );
    if (!tolerated) n++;
  }
  return n;
}
