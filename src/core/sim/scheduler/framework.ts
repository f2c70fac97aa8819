// The scheduling framework's plugin interface (pkg/scheduler/framework/interface.go): one
// plugin type with optional methods, one per extension point the simulator runs, in the order a
// scheduling cycle calls them (schedule_one.go): PreFilter, Filter, PostFilter, PreScore, Score,
// NormalizeScore, Reserve (and Unreserve), PreBind. A plugin also names the cluster events that
// may make a pod it rejected schedulable (EnqueueExtensions.EventsToRegister), each with an
// optional QueueingHint. Per-cycle data goes in the CycleState, as upstream.
import type { Pod } from '../store/kinds';
import type { PluginRejection } from '../../trace/model/eventCause';
import type { CycleState } from './cycleState';
import type { NodeInfo, PodRequests } from './nodeInfo';

/** The names of the plugins a profile can hold (pkg/scheduler/framework/plugins/names). */
export type PluginName =
  | PluginRejection['plugin']
  | 'NodeResourcesBalancedAllocation'
  | 'ImageLocality'
  | 'DefaultPreemption'
  /** Plugins that only tests register. */
  | `Test${string}`;

/** The extension points the simulator runs, in the order of a scheduling cycle. */
export type ExtensionPoint =
  'PreFilter' | 'Filter' | 'PostFilter' | 'PreScore' | 'Score' | 'NormalizeScore' | 'Reserve' | 'PreBind';

/**
 * The pod being scheduled, with what every plugin reads of it computed once per cycle
 * (framework.PodInfo and QueuedPodInfo).
 */
export interface SchedulingPod {
  /** The pod's store key (namespace/name). */
  readonly key: string;
  readonly pod: Pod;
  readonly requests: PodRequests;
  readonly priority: number;
}

/**
 * A node a Filter rejected (a non-success Status): the rejection (its `plugin` joins the pod's
 * UnschedulablePlugins, which decide the events that may help it), the FailedScheduling reasons,
 * and whether preemption could help (Unschedulable) or not (UnschedulableAndUnresolvable).
 */
export type FilterFailure = PluginRejection & {
  readonly reasons: readonly string[];
  readonly unresolvable: boolean;
};

/**
 * What a PreFilter decided: go on (with PreFilterResult's node names when the plugin already
 * knows the only nodes that can fit), Skip (its Filter has nothing to check for this pod), or
 * reject the pod outright (UnschedulableAndUnresolvable for every node, with the plugin's
 * message in place of the filters' histogram).
 */
export type PreFilterOutcome =
  | { readonly kind: 'success'; readonly nodeNames?: ReadonlySet<string>; readonly rejection?: PluginRejection }
  | { readonly kind: 'skip' }
  | { readonly kind: 'rejected'; readonly message: string; readonly rejection: PluginRejection };

/** The nodes that passed Filter: `slots[0..count)` index `nodes`, the scheduler's node order. */
export interface FeasibleNodes {
  readonly nodes: readonly NodeInfo[];
  readonly slots: Int32Array;
  readonly count: number;
}

/** The nodes Filter rejected, each with its failure (the Diagnosis's NodeToStatus). */
export interface FilteredNodes {
  readonly failures: readonly FilterFailure[];
  /** The slot in the node order of each of `failures`. */
  readonly slots: readonly number[];
}

/** What PostFilter answered: its part of the FailedScheduling message, and a node nominated for the pod. */
export interface PostFilterResult {
  readonly message?: string;
  readonly nominatedNodeName?: string;
}

/** A PreBind that failed: its message, and what it rejected (the event's cause). */
export interface PreBindError {
  readonly message: string;
  readonly rejection: PluginRejection;
}

/** The kinds of objects whose changes the simulated scheduler watches (framework.EventResource). */
export type EventResource = 'Node' | 'AssignedPod' | 'PersistentVolumeClaim' | 'PersistentVolume' | 'StorageClass';

/**
 * The changes of a resource (framework.ActionType). podtrace merges upstream's node update kinds
 * (UpdateNodeLabel, UpdateNodeTaint, UpdateNodeAllocatable) into one `Update`, sent when a node's
 * spec, labels or allocatable change, so an event moves at least the pods upstream would move.
 */
export type ActionType = 'Add' | 'Update' | 'UpdatePodLabel' | 'Delete';

export interface ClusterEvent {
  readonly resource: EventResource;
  readonly action: ActionType;
}

/** fwk.QueueingHint: whether the event may make the pod schedulable. */
export type QueueingHint = 'Queue' | 'QueueSkip';

/** A QueueingHintFn: asked only for pods the plugin rejected in their last cycle. */
export type QueueingHintFn = (podKey: string, event: ClusterEvent) => QueueingHint;

export interface ClusterEventWithHint {
  readonly event: { readonly resource: EventResource; readonly actions: readonly ActionType[] };
  /** Without a hint every such event queues the pod. */
  readonly hint?: QueueingHintFn;
}

/**
 * A scheduler plugin. Every method is optional: a profile enables a plugin at the extension
 * points it implements. Methods that take `state` read and write the cycle's CycleState.
 */
export interface Plugin {
  readonly name: PluginName;
  /** EventsToRegister: the cluster events that may make a pod this plugin rejected schedulable. */
  readonly events: readonly ClusterEventWithHint[];
  /**
   * A Filter that always passes on a node with no taints that is schedulable (NodeInfo.plain):
   * the cycle does not call it there. Hundreds of nodes are filtered per pod; this keeps the
   * common case to the checks that can fail.
   */
  readonly passesOnPlainNodes?: boolean;
  preFilter?(state: CycleState, pod: SchedulingPod, nodes: readonly NodeInfo[]): PreFilterOutcome;
  filter?(state: CycleState, pod: SchedulingPod, node: NodeInfo): FilterFailure | undefined;
  /**
   * Filter on a plain node read from the node table by its slot, for a plugin whose Filter
   * needs only the table's numbers: true when Filter passes the node; false when Filter must
   * run to say why. The cycle asks this instead of Filter when the plugin is the only Filter a
   * plain node needs, as it is for most pods, so that it reads no node object on the way.
   */
  fitsPlainSlot?(state: CycleState, pod: SchedulingPod, slot: number): boolean;
  postFilter?(state: CycleState, pod: SchedulingPod, filtered: FilteredNodes): PostFilterResult;
  /** False is Skip: the plugin has nothing to score for this pod, and its Score is not called. */
  preScore?(state: CycleState, pod: SchedulingPod, feasible: FeasibleNodes): boolean;
  score?(state: CycleState, pod: SchedulingPod, node: NodeInfo): number;
  /**
   * Score for every feasible node at once, into `scores[0..feasible.count)`, where a plugin
   * can do it cheaper than node by node; upstream runs Score per node in parallel instead.
   * The cycle calls this in place of `score` when a plugin has both.
   */
  scoreAll?(state: CycleState, pod: SchedulingPod, feasible: FeasibleNodes, scores: Int32Array): void;
  /**
   * A Score that depends only on the node's own numbers (what NodeInfo's table version counts)
   * and on what this returns for the pod: the cycle keeps each node's weighted sum of such
   * scores until either changes. Called once a cycle, before the plugin's first Score; while no
   * such plugin runs PreScore, their Scores come as Filter passes each node (LocalScores).
   */
  scoreShape?(state: CycleState, pod: SchedulingPod): string;
  /** Rewrites `scores[0..feasible.count)` (in the order of `feasible.slots`) to 0..100. */
  normalizeScore?(state: CycleState, pod: SchedulingPod, feasible: FeasibleNodes, scores: Int32Array): void;
  reserve?(state: CycleState, pod: SchedulingPod, node: NodeInfo): void;
  unreserve?(state: CycleState, pod: SchedulingPod, node: NodeInfo): void;
  /**
   * Before the binding: calls `done` once the pod may be bound (at once, or later when what it
   * waits for happens), or with the error that ends the wait.
   */
  preBind?(
    state: CycleState,
    pod: SchedulingPod,
    node: NodeInfo,
    done: (error: PreBindError | undefined) => void,
  ): void;
}
