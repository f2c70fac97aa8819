// The default profile (pkg/scheduler/apis/config/v1/default_plugins.go) as a table: each row a
// plugin, the extension points it is enabled at and, for scoring, its weight. Its order is
// upstream's MultiPoint order, which is the order each extension point runs its plugins in.
// Upstream's list holds plugins podtrace does not simulate, because nothing they decide occurs
// in the simulated cluster: SchedulingGates, PrioritySort (the queue sorts by priority itself),
// VolumeRestrictions, NodeVolumeLimits, VolumeZone, DefaultBinder (the binding cycle binds) and,
// from 1.34 where DynamicResourceAllocation is on by default, DynamicResources. The rows are the
// same for 1.32 and 1.35; where a plugin differs between them (NodeResourcesFit's unresolvable
// requests from 1.34), the plugin takes the version.
import type { SimContext } from '../client/context';
import type { Informer } from '../client/informer';
import type { Pod } from '../store/kinds';
import { defaultPreemption } from './defaultPreemption';
import type { ProfileRow } from './frameworkRuntime';
import { imageLocality } from './imageLocality';
import { interPodAffinity } from './interPodAffinityPlugin';
import { nodeAffinity } from './nodeAffinity';
import { nodeName, nodePorts, nodeUnschedulable } from './nodeFilters';
import { balancedAllocation, nodeResourcesFit } from './nodeResources';
import { podTopologySpread, type SpreadListers } from './podTopologySpread';
import type { SchedulerCache } from './schedulerCache';
import { taintToleration } from './taintToleration';
import type { VolumeBinding } from './volumeBinding';
import { volumeBinding } from './volumeBindingPlugin';

/** What the default plugins are made from (framework.Handle). */
export interface DefaultHandle {
  readonly ctx: SimContext;
  readonly cache: SchedulerCache;
  readonly pods: Informer<Pod>;
  readonly binder: VolumeBinding;
  readonly listers: SpreadListers;
  /** NodeResourcesFit calls a request larger than a node's whole allocatable unresolvable (1.34 and later). */
  readonly tooLargeUnresolvable: boolean;
}

export const defaultProfile: readonly ProfileRow<DefaultHandle>[] = [
  { name: 'NodeUnschedulable', points: ['Filter'], make: () => nodeUnschedulable() },
  { name: 'NodeName', points: ['PreFilter', 'Filter'], make: () => nodeName() },
  {
    name: 'TaintToleration',
    points: ['Filter', 'PreScore', 'Score', 'NormalizeScore'],
    weight: 3,
    make: (h) => taintToleration(h.cache),
  },
  {
    name: 'NodeAffinity',
    points: ['PreFilter', 'Filter', 'PreScore', 'Score', 'NormalizeScore'],
    weight: 2,
    make: () => nodeAffinity(),
  },
  { name: 'NodePorts', points: ['PreFilter', 'Filter'], make: () => nodePorts() },
  {
    name: 'NodeResourcesFit',
    points: ['Filter', 'Score'],
    weight: 1,
    make: (h) => nodeResourcesFit(h.cache.table, h.tooLargeUnresolvable),
  },
  { name: 'VolumeBinding', points: ['PreFilter', 'Filter', 'PreBind'], make: (h) => volumeBinding(h.binder) },
  {
    name: 'PodTopologySpread',
    points: ['PreFilter', 'Filter', 'PreScore', 'Score', 'NormalizeScore'],
    weight: 2,
    make: (h) => podTopologySpread(h.cache, h.listers),
  },
  {
    name: 'InterPodAffinity',
    points: ['PreFilter', 'Filter', 'PreScore', 'Score', 'NormalizeScore'],
    weight: 2,
    make: (h) => interPodAffinity(h.cache),
  },
  { name: 'DefaultPreemption', points: ['PostFilter'], make: (h) => defaultPreemption(h.ctx, h.cache, h.pods) },
  { name: 'NodeResourcesBalancedAllocation', points: ['Score'], weight: 1, make: () => balancedAllocation() },
  { name: 'ImageLocality', points: ['Score'], weight: 1, make: (h) => imageLocality(h.cache) },
];
