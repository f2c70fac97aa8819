// One scheduling cycle (pkg/scheduler/schedule_one.go): PreFilter; Filter over a sample of the
// nodes (numFeasibleNodesToFind, starting where the last cycle stopped), with the pods
// nominated to a node counted there; PostFilter when no node fits; PreScore, Score and
// NormalizeScore when more than one does, weighted and summed; the best total, ties broken by
// a seeded reservoir draw; then the pod is assumed on the node, Reserve and PreBind run, and
// the binding cycle binds it.
import type { SeededRandom } from '../../base/random';
import type { EventCause } from '../../trace/model/eventCause';
import type { Pod } from '../store/kinds';
import { CycleState } from './cycleState';
import { fitErrorMessage, preFilterErrorMessage, schedulingCause } from './fitError';
import type { FilterFailure, PluginName, SchedulingPod } from './framework';
import type { Framework } from './frameworkRuntime';
import { podRequests, type NodeInfo } from './nodeInfo';
import type { SchedulerCache } from './schedulerCache';
import type { QueuedPod } from './schedulingQueue';

const minFeasibleNodesToFind = 100;
const minFeasibleNodesPercentageToFind = 5;

/** Why a cycle did not bind the pod: the FailedScheduling message, what rejected it, and the condition. */
export interface CycleFailure {
  readonly message: string;
  /** The pod's UnschedulablePlugins; undefined when none rejected a node (there are no nodes): any event may help. */
  readonly rejectedBy: ReadonlySet<PluginName> | undefined;
  readonly cause: EventCause;
  /** `Unschedulable` when no node fits, `SchedulerError` when a plugin failed on the chosen one. */
  readonly conditionReason: 'Unschedulable' | 'SchedulerError';
  readonly nominatedNodeName?: string;
}

/** What a cycle needs from the scheduler around it. */
export interface CycleHost {
  readonly cache: SchedulerCache;
  /** The tie-break's random source. */
  readonly random: SeededRandom;
  /** The binding cycle: the pod is assumed on `node`; bind it. */
  bind(pod: SchedulingPod, entry: QueuedPod, node: NodeInfo): void;
  /** The cycle failed; `pod` is the pod as the cycle saw it, undefined once the cycle is over (after PreBind). */
  fail(entry: QueuedPod, failure: CycleFailure, pod: Pod | undefined): void;
}

/** numFeasibleNodesToFind: all nodes below 100, else an adaptive percentage (50 − n/125, at least 5 %). */
export function feasibleToFind(total: number): number {
  if (total < minFeasibleNodesToFind) return total;
  const percentage = Math.max(minFeasibleNodesPercentageToFind, 50 - Math.floor(total / 125));
  return Math.max(minFeasibleNodesToFind, Math.floor((total * percentage) / 100));
}

export class ScheduleOne<H> {
  private nextStart = 0;
  /** The feasible nodes' slots in the order found, and their totals. */
  private feasible = new Int32Array(1024);
  private totals = new Int32Array(1024);

  constructor(
    private readonly framework: Framework<H>,
    private readonly host: CycleHost,
  ) {}

  run(entry: QueuedPod, object: Pod): void {
    const { cache } = this.host;
    const pod: SchedulingPod = {
      key: entry.key,
      pod: object,
      requests: podRequests(object),
      priority: object.spec!.priority ?? 0,
    };
    const state = new CycleState();
    const nodes = cache.nodeOrder;
    const total = nodes.length;
    const pre = this.framework.runPreFilter(state, pod, nodes);
    if (pre.kind === 'rejected') {
      const failure: CycleFailure = {
        message: preFilterErrorMessage(total, pre.outcome.message),
        rejectedBy: new Set([pre.plugin]),
        cause: { kind: 'scheduling', rejections: [pre.outcome.rejection] },
        conditionReason: 'Unschedulable',
      };
      return this.host.fail(entry, failure, object);
    }
    const narrowed = pre.narrowed;
    const candidates = narrowed ? nodes.filter((n) => narrowed.nodeNames.has(n.node.metadata.name)) : nodes;
    const count = candidates.length;
    const want = feasibleToFind(count);
    if (this.feasible.length < want) {
      this.feasible = new Int32Array(want);
      this.totals = new Int32Array(want);
    }
    const { all, plain, quick: quickFilter } = this.framework.activeFilters(pre.skippedFilters);
    const failures: FilterFailure[] = [];
    const rejectedBy = new Set<PluginName>();
    /** The node (slot) of each failure, for preemption. */
    const failedSlots: number[] = [];
    const { feasible, totals } = this;
    const table = cache.table;
    // Without PreFilterResult a candidate's index is its slot, and a plain node can be judged
    // from the table alone when one plugin is all it needs.
    const quick = narrowed ? undefined : quickFilter;
    // Scores that depend on the node alone are taken as Filter passes each node, unless a pod
    // nominated to a node counts there during Filter: Score must not see it.
    const local = this.framework.localScores;
    const eager = local.eager && cache.nominations.size === 0;
    if (eager) local.begin(state, pod, nodes, table, undefined);
    if (cache.nominations.size > 0) cache.reserveNominated(pod.key, pod.priority, 1);
    const start = this.nextStart;
    let found = 0;
    let processed = 0;
    for (; processed < count && found < want; processed++) {
      let i = start + processed;
      if (i >= count) i %= count;
      let slot = i;
      if (quick === undefined || table.plain[i] !== 1 || !quick.fitsPlainSlot!(state, pod, i)) {
        const info = candidates[i];
        slot = info.slot;
        const failure = this.framework.runFilter(state, pod, info, info.plain ? plain : all, rejectedBy);
        if (failure) {
          failures.push(failure);
          failedSlots.push(slot);
          continue;
        }
      }
      if (eager) totals[found] = local.score(slot);
      feasible[found++] = slot;
    }
    if (total > 0) this.nextStart = (this.nextStart + processed) % total;
    if (cache.nominations.size > 0) cache.reserveNominated(pod.key, pod.priority, -1);
    if (found === 0) {
      // The nodes PreFilter ruled out have its status.
      if (narrowed) {
        for (const info of nodes)
          if (!narrowed.nodeNames.has(info.node.metadata.name)) {
            failures.push(narrowed.absent);
            failedSlots.push(info.slot);
          }
        for (const plugin of narrowed.plugins) rejectedBy.add(plugin);
      }
      return this.unschedulable(state, pod, entry, total, failures, failedSlots, rejectedBy);
    }
    let chosenSlot = feasible[0];
    // One feasible node is taken as it is (prioritizeNodes is skipped).
    if (found > 1) {
      this.framework.scoreNodes(state, pod, { nodes, slots: feasible, count: found }, table, totals, eager);
      chosenSlot = this.selectHost(found);
    }
    const chosen = nodes[chosenSlot];
    cache.place(pod.key, object, chosen.node.metadata.name, pod.requests);
    this.framework.runReserve(state, pod, chosen);
    this.framework.runPreBind(state, pod, chosen, (failed) => {
      if (failed === undefined) return this.host.bind(pod, entry, chosen);
      this.framework.runUnreserve(state, pod, chosen);
      cache.unplace(pod.key);
      const failure: CycleFailure = {
        message: `running PreBind plugin "${failed.plugin}": ${failed.error.message}`,
        rejectedBy: new Set([failed.plugin]),
        cause: { kind: 'scheduling', rejections: [failed.error.rejection] },
        conditionReason: 'SchedulerError',
      };
      this.host.fail(entry, failure, undefined);
    });
  }

  /** No node fits: FitError, with what PostFilter (preemption) found. */
  private unschedulable(
    state: CycleState,
    pod: SchedulingPod,
    entry: QueuedPod,
    total: number,
    failures: readonly FilterFailure[],
    slots: readonly number[],
    rejecting: ReadonlySet<PluginName>,
  ): void {
    const rejectedBy = rejecting.size > 0 ? rejecting : undefined;
    const cause = schedulingCause(failures);
    const failure = (message: string, nominatedNodeName?: string): CycleFailure => ({
      message,
      rejectedBy,
      cause,
      conditionReason: 'Unschedulable',
      nominatedNodeName,
    });
    if (total === 0) return this.host.fail(entry, failure(fitErrorMessage(0, failures)), pod.pod);
    const post = this.framework.runPostFilter(state, pod, { failures, slots });
    this.host.fail(entry, failure(fitErrorMessage(total, failures, post.message), post.nominatedNodeName), pod.pod);
  }

  /** selectHost: the best total, equal ones broken by reservoir sampling in the order found (one draw per tie). */
  private selectHost(n: number): number {
    const { feasible, totals } = this;
    const random = this.host.random;
    let best = feasible[0];
    let bestScore = totals[0];
    let ties = 1;
    for (let i = 1; i < n; i++) {
      const score = totals[i];
      if (score > bestScore) {
        bestScore = score;
        best = feasible[i];
        ties = 1;
      } else if (score === bestScore) {
        ties++;
        if (random.int(0, ties - 1) === 0) best = feasible[i];
      }
    }
    return best;
  }
}
