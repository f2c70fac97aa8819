// PodTopologySpread's PreFilter and Filter (pkg/scheduler/framework/plugins/podtopologyspread/
// filtering.go): the pod's DoNotSchedule constraints keep the matching pods' domains within
// maxSkew of the emptiest one.
import type { Pod } from '../store/kinds';
import type { FilterFailure } from './framework';
import type { NodeInfo } from './nodeInfo';
import { matchesAll, type SelectorCount } from './spreadCounts';
import { hasAllKeys, includes, type SpreadConstraint } from './spreadConstraints';

const ignoreNodeReason = "node(s) didn't match pod topology spread constraints (missing required label)";
const skewReason = "node(s) didn't match pod topology spread constraints";

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
    pod: Pod,
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
