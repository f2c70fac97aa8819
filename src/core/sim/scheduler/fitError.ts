// The FailedScheduling text (framework.FitError.Error and DefaultPreemption's message):
// `0/<n> nodes are available: <histogram>.` where the histogram counts each reason over
// all nodes and is sorted as whole strings (sort.Strings, so the counts take part), then
// ` preemption: 0/<n> nodes are available: <histogram>.` appended with a `" %v."`
// separator, which is why real messages end in two dots. Beside the text, the event's cause:
// what each plugin rejected, in the terms of the pod's spec, which source mapping reads.
import type { EventCause, PluginRejection, SchedulingResource } from '../../trace/model/eventCause';
import type { FilterFailure } from './framework';

export function histogram(reasons: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .map(([reason, n]) => `${n} ${reason}`)
    .sort()
    .join(', ');
}

/**
 * FitError.Error: the filters' histogram, then what PostFilter (preemption) said, if it said
 * anything (a preemption that found its victims says nothing).
 */
export function fitErrorMessage(totalNodes: number, failures: readonly FilterFailure[], postFilter?: string): string {
  if (totalNodes === 0) return 'no nodes available to schedule pods';
  let message = `0/${totalNodes} nodes are available: ${histogram(failures.flatMap((f) => f.reasons))}.`;
  if (postFilter) message += ` ${postFilter}.`;
  // validation.NoteLengthLimit: event notes are cut to 1024 characters.
  return message.length > 1024 ? `${message.slice(0, 1020)} ...` : message;
}

/** DefaultPreemption's message when no node has victims: its own FitError over the nodes' verdicts. */
export function preemptionMessage(totalNodes: number, reasons: Iterable<string>): string {
  return `preemption: 0/${totalNodes} nodes are available: ${histogram(reasons)}.`;
}

/**
 * A PreFilter rejection (VolumeBinding's `persistentvolumeclaim "data" not found`): the
 * plugin's message takes the histogram's place, and every node counts as one where
 * preemption is not helpful.
 */
export function preFilterErrorMessage(totalNodes: number, reason: string): string {
  if (totalNodes === 0) return 'no nodes available to schedule pods';
  const message =
    `0/${totalNodes} nodes are available: ${reason}. preemption: 0/${totalNodes} ` +
    `nodes are available: ${totalNodes} Preemption is not helpful for scheduling..`;
  return message.length > 1024 ? `${message.slice(0, 1020)} ...` : message;
}

/**
 * The cause of a FailedScheduling: each distinct rejection once, in the order first met, with
 * NodeResourcesFit's resources merged into one rejection (`pods`, `cpu`, `memory` in that order).
 */
export function schedulingCause(rejections: readonly PluginRejection[]): EventCause {
  const seen = new Set<string>();
  const out: PluginRejection[] = [];
  const resources = new Set<SchedulingResource>();
  let resourcesAt = -1;
  for (const r of rejections) {
    if (r.plugin === 'NodeResourcesFit') {
      if (resourcesAt < 0) resourcesAt = out.push(r) - 1;
      for (const resource of r.resources) resources.add(resource);
      continue;
    }
    const key = rejectionKey(r);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(plainRejection(r));
  }
  if (resourcesAt >= 0)
    out[resourcesAt] = { plugin: 'NodeResourcesFit', resources: allResources.filter((x) => resources.has(x)) };
  return { kind: 'scheduling', rejections: out };
}

const allResources: readonly SchedulingResource[] = ['pods', 'cpu', 'memory'];

/** What tells two rejections of one plugin apart. */
function rejectionKey(r: PluginRejection): string {
  switch (r.plugin) {
    case 'NodeAffinity':
      return `${r.plugin}/${r.field}`;
    case 'NodePorts':
      return `${r.plugin}/${r.hostPort}`;
    case 'VolumeBinding':
      return `${r.plugin}/${r.volume}`;
    case 'PodTopologySpread':
      return `${r.plugin}/${r.constraint}`;
    case 'InterPodAffinity':
      return `${r.plugin}/${r.rule}/${r.term}`;
    case 'NodeResourcesFit':
    case 'TaintToleration':
    case 'NodeUnschedulable':
    case 'NodeName':
      return r.plugin;
  }
}

/** The rejection alone, without a filter failure's texts. */
function plainRejection(r: PluginRejection): PluginRejection {
  switch (r.plugin) {
    case 'NodeAffinity':
      return { plugin: r.plugin, field: r.field };
    case 'NodePorts':
      return { plugin: r.plugin, hostPort: r.hostPort };
    case 'VolumeBinding':
      return { plugin: r.plugin, volume: r.volume };
    case 'PodTopologySpread':
      return { plugin: r.plugin, constraint: r.constraint };
    case 'InterPodAffinity':
      return { plugin: r.plugin, rule: r.rule, term: r.term };
    case 'NodeResourcesFit':
      return { plugin: r.plugin, resources: r.resources };
    case 'TaintToleration':
    case 'NodeUnschedulable':
    case 'NodeName':
      return { plugin: r.plugin };
  }
}
