// NodeResourcesFit and NodeResourcesBalancedAllocation (pkg/scheduler/framework/plugins/
// noderesources): Filter checks the pod's requests against what the node has left, Score is
// LeastAllocated (cpu and memory, weight 1 each) and the balance of the two.
import type { SchedulingResource } from '../../trace/model/eventCause';
import type { Plugin, SchedulingPod } from './framework';
import { nodeEvents } from './frameworkRuntime';
import type { NodeInfo, NodeTable, PodRequests } from './nodeInfo';

/**
 * NodeResourcesFit's test: the pod's requests within the node's allocatable, beside what is in
 * use (the node's pods, or `used` for a what-if such as preemption's). As fitsRequest, a
 * resource the pod does not request is not checked, so it fits a node already overcommitted.
 */
export function resourcesFit(
  requests: PodRequests,
  info: NodeInfo,
  used: { readonly cpu: number; readonly memory: number; readonly pods: number } = info,
): boolean {
  return (
    used.pods + 1 <= info.allocPods &&
    (requests.cpu <= 0 || requests.cpu <= info.allocCpu - used.cpu) &&
    (requests.memory <= 0 || requests.memory <= info.allocMemory - used.memory)
  );
}

/** The shape of a pod that LeastAllocated and BalancedAllocation score by. */
const requestShape = (pod: SchedulingPod): string => `${pod.requests.nonZeroCpu}/${pod.requests.nonZeroMemory}`;

/**
 * NodeResourcesFit (fitsRequest): `Too many pods` first, then each insufficient resource, as
 * Unschedulable (preemption might help); from 1.34 on (kubernetes#131345),
 * UnschedulableAndUnresolvable when a request is larger than the node's whole allocatable,
 * which no preemption can free. The fit is read from the node table, one number per node.
 */
export function nodeResourcesFit(table: NodeTable, tooLargeUnresolvable: boolean): Plugin {
  const fits = ({ requests }: SchedulingPod, slot: number): boolean =>
    table.freePods[slot] >= 1 &&
    (requests.cpu <= 0 || requests.cpu <= table.freeCpu[slot]) &&
    (requests.memory <= 0 || requests.memory <= table.freeMemory[slot]);
  return {
    name: 'NodeResourcesFit',
    // A pod deleted frees room; a node added or resized may have it.
    events: [{ event: nodeEvents }, { event: { resource: 'AssignedPod', actions: ['Delete'] } }],
    filter: (_state, pod, info) => {
      if (fits(pod, info.slot)) return undefined;
      const requests = pod.requests;
      const reasons: string[] = [];
      const resources: SchedulingResource[] = [];
      let unresolvable = false;
      if (info.pods + 1 > info.allocPods) {
        reasons.push('Too many pods');
        resources.push('pods');
      }
      if (requests.cpu > 0 && requests.cpu > info.allocCpu - info.cpu) {
        reasons.push('Insufficient cpu');
        resources.push('cpu');
        if (tooLargeUnresolvable && requests.cpu > info.allocCpu) unresolvable = true;
      }
      if (requests.memory > 0 && requests.memory > info.allocMemory - info.memory) {
        reasons.push('Insufficient memory');
        resources.push('memory');
        if (tooLargeUnresolvable && requests.memory > info.allocMemory) unresolvable = true;
      }
      return reasons.length > 0 ? { plugin: 'NodeResourcesFit', resources, reasons, unresolvable } : undefined;
    },
    fitsPlainSlot: (_state, pod, slot) => fits(pod, slot),
    scoreShape: (_state, pod) => requestShape(pod),
    score: (_state, { requests }, info) => Math.floor(leastAllocated(requests, info)),
  };
}

/** NodeResourcesBalancedAllocation: 100 × (1 − standard deviation of the requested fractions). */
export function balancedAllocation(): Plugin {
  return {
    name: 'NodeResourcesBalancedAllocation',
    events: [],
    scoreShape: (_state, pod) => requestShape(pod),
    score: (_state, { requests }, info) => {
      const cpu = Math.min(1, (info.nonZeroCpu + requests.nonZeroCpu) / (info.allocCpu || 1));
      const mem = Math.min(1, (info.nonZeroMemory + requests.nonZeroMemory) / (info.allocMemory || 1));
      return Math.floor((1 - Math.abs(cpu - mem) / 2) * 100);
    },
  };
}

/** NodeResourcesFit's LeastAllocated strategy (cpu and memory, weight 1 each). */
function leastAllocated(requests: PodRequests, info: NodeInfo): number {
  const score = (req: number, alloc: number) => (alloc <= 0 || req > alloc ? 0 : ((alloc - req) * 100) / alloc);
  return (
    (score(info.nonZeroCpu + requests.nonZeroCpu, info.allocCpu) +
      score(info.nonZeroMemory + requests.nonZeroMemory, info.allocMemory)) /
    2
  );
}
