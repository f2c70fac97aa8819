// Filter and score plugins of the default profile, as data: each filter returns nothing
// when the node fits, or its reasons and whether preemption could help (Unschedulable) or
// not (UnschedulableAndUnresolvable), with what it found in the pod's own terms (the
// rejection that source mapping reads). Texts are the upstream ones.
import type { PluginRejection, SchedulingResource } from '../../trace/model/eventCause';
import { normalizeImage } from '../helpers/imageName';
import { nodeSelectorMatches, requiredAffinityMatches } from '../helpers/nodeSelector';
import { tolerates, untoleratedTaint } from '../helpers/taints';
import type { KubeObject } from '../store/objects';
import type { NodeInfo, PodRequests } from './nodeInfo';

/* eslint-disable @typescript-eslint/no-explicit-any -- affinity terms are loosely typed. */

/**
 * A node a plugin rejected: the rejection (its `plugin` is one of the pod's UnschedulablePlugins,
 * which decide the events that may help it), the FailedScheduling reasons, and whether
 * preemption could help.
 */
export type FilterFailure = PluginRejection & {
  readonly reasons: readonly string[];
  readonly unresolvable: boolean;
};

export interface FilterInput {
  readonly pod: KubeObject;
  readonly requests: PodRequests;
  readonly info: NodeInfo;
  /**
   * From 1.34 on (kubernetes#131345): a request larger than the
   * node's whole allocatable is UnschedulableAndUnresolvable.
   */
  readonly tooLargeUnresolvable?: boolean;
}

export interface FilterPlugin {
  readonly name: string;
  filter(input: FilterInput): FilterFailure | undefined;
}

/** The failures that name nothing but their plugin, made once. */
const unschedulableNode: FilterFailure = Object.freeze({
  plugin: 'NodeUnschedulable',
  reasons: Object.freeze(['node(s) were unschedulable']),
  unresolvable: true,
});
const otherNodeName: FilterFailure = Object.freeze({
  plugin: 'NodeName',
  reasons: Object.freeze(["node(s) didn't match the requested node name"]),
  unresolvable: true,
});
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

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter: ({ pod, info }) => {
    if (!info.node.spec?.unschedulable) return undefined;
    const tolerated = (pod.spec.tolerations ?? []).some((t: any) =>
      tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }),
    );
    return tolerated ? undefined : unschedulableNode;
  },
};

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter: ({ pod, info }) =>
    pod.spec.nodeName && pod.spec.nodeName !== info.node.metadata.name ? otherNodeName : undefined,
};

export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter: ({ pod, info }) => {
    const taint = untoleratedTaint(pod, info.node);
    return taint
      ? {
          plugin: 'TaintToleration',
          reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`],
          unresolvable: true,
        }
      : undefined;
  },
};

/** NodeAffinity: the nodeSelector first, then the required node affinity, each rejection naming the one that failed. */
export const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  filter: ({ pod, info }) =>
    !nodeSelectorMatches(pod, info.node)
      ? nodeSelectorMismatch
      : !requiredAffinityMatches(pod, info.node)
        ? nodeAffinityMismatch
        : undefined,
};

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter: ({ requests, info }) => {
    for (let i = 0; i < requests.hostPorts.length; i++) {
      if ((info.hostPorts.get(requests.hostPorts[i]) ?? 0) > 0)
        return {
          plugin: 'NodePorts',
          hostPort: requests.hostPortNumbers[i],
          reasons: ["node(s) didn't have free ports for the requested pod ports"],
          unresolvable: false,
        };
    }
    return undefined;
  },
};

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

/**
 * NodeResourcesFit (fitsRequest): `Too many pods` first, then each insufficient resource, as
 * Unschedulable (preemption might help); from 1.34 on, UnschedulableAndUnresolvable when a
 * request is larger than the node's whole allocatable, which no preemption can free.
 */
export const nodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter: ({ requests, info, tooLargeUnresolvable }) => {
    if (resourcesFit(requests, info)) return undefined;
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
};

export const defaultFilters: readonly FilterPlugin[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
];

/** NodeResourcesFit LeastAllocated (cpu and memory, weight 1 each). */
export function leastAllocated(requests: PodRequests, info: NodeInfo): number {
  const score = (req: number, alloc: number) => (alloc <= 0 || req > alloc ? 0 : ((alloc - req) * 100) / alloc);
  return (
    (score(info.nonZeroCpu + requests.nonZeroCpu, info.allocCpu) +
      score(info.nonZeroMemory + requests.nonZeroMemory, info.allocMemory)) /
    2
  );
}

/** NodeResourcesBalancedAllocation: 100 × (1 − standard deviation of the requested fractions). */
export function balancedAllocation(requests: PodRequests, info: NodeInfo): number {
  const cpu = Math.min(1, (info.nonZeroCpu + requests.nonZeroCpu) / (info.allocCpu || 1));
  const mem = Math.min(1, (info.nonZeroMemory + requests.nonZeroMemory) / (info.allocMemory || 1));
  return (1 - Math.abs(cpu - mem) / 2) * 100;
}

const mb = 1024 * 1024;

/**
 * A pod's container images as ids of the scheduler's image table, each with its
 * spread (nodes having it / all nodes); computed once per scheduling cycle.
 */
export interface PodImages {
  readonly ids: readonly number[];
  readonly spreads: readonly number[];
  readonly containers: number;
}

export function podImages(
  pod: KubeObject,
  imageId: (name: string) => number,
  spread: (name: string) => number,
): PodImages {
  const containers = pod.spec.containers ?? [];
  const names: string[] = containers.map((c: { image: string }) => normalizeImage(c.image));
  return { ids: names.map(imageId), spreads: names.map(spread), containers: containers.length };
}

/** ImageLocality: image sizes present on the node, spread-scaled, between 23 MB and 1000 MB per container. */
export function imageLocality(images: PodImages, info: NodeInfo): number {
  let sum = 0;
  const ids = info.imageIds;
  for (let i = 0; i < images.ids.length; i++) {
    const wanted = images.ids[i];
    for (let j = 0; j < ids.length; j++) {
      if (ids[j] !== wanted) continue;
      sum += info.imageSizes[j] * images.spreads[i];
      break;
    }
  }
  const min = 23 * mb;
  const max = 1000 * mb * images.containers;
  if (sum < min) return 0;
  if (sum > max) return 100;
  return ((sum - min) * 100) / (max - min);
}
