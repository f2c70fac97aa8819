// The Score plugins whose scores depend on the node alone (Plugin.scoreShape): a node's weighted
// sum of them is kept in the node table, by the node's version and the pod's shape, until either
// changes. When none of them runs PreScore, nothing they score depends on which nodes are
// feasible, so the cycle takes a node's sum as Filter passes it, in the pass that visits the
// node anyway, instead of in a pass of its own after Filter. Upstream scores after Filter; the
// sums are the same, since a Score reads only the node and the pod, and Filter changes neither.
import type { CycleState } from './cycleState';
import type { FeasibleNodes, Plugin, SchedulingPod } from './framework';
import type { NodeInfo, NodeTable } from './nodeInfo';

/** A Score plugin with a shape, its weight, and whether it is enabled at PreScore. */
export interface LocalScoreEntry {
  readonly plugin: Plugin;
  readonly weight: number;
  readonly preScore: boolean;
}

export class LocalScores {
  /** No plugin here runs PreScore: a cycle may score nodes while Filter finds them. */
  readonly eager: boolean;
  /** Pod shapes (what the scores depend on besides the node) as small numbers. */
  private readonly shapes = new Map<string, number>();
  /** Without PreScore every plugin scores every pod: the lists are made once. */
  private readonly everyPlugin: Plugin[];
  private readonly everyWeight: number[];
  /** The cycle's: the plugins that score, their weights, and the pod's shape. */
  private plugins: Plugin[] = [];
  private weights: number[] = [];
  private shape = -1;
  private state: CycleState | undefined;
  private pod: SchedulingPod | undefined;
  private nodes: readonly NodeInfo[] = [];
  private table: NodeTable | undefined;

  constructor(private readonly entries: readonly LocalScoreEntry[]) {
    this.eager = entries.every((e) => !e.preScore);
    this.everyPlugin = entries.map((e) => e.plugin);
    this.everyWeight = entries.map((e) => e.weight);
  }

  /**
   * Starts a cycle's scoring: PreScore where enabled (which needs `feasible`: after Filter), then
   * each plugin's shape. Plugins whose PreScore says Skip score nothing.
   */
  begin(
    state: CycleState,
    pod: SchedulingPod,
    nodes: readonly NodeInfo[],
    table: NodeTable,
    feasible: FeasibleNodes | undefined,
  ): void {
    if (this.eager) {
      this.plugins = this.everyPlugin;
      this.weights = this.everyWeight;
    } else {
      if (feasible === undefined)
        throw new Error('scheduler: a node-local score runs PreScore, so it waits for Filter');
      this.plugins = [];
      this.weights = [];
      for (const entry of this.entries) {
        if (entry.preScore && !entry.plugin.preScore!(state, pod, feasible)) continue;
        this.plugins.push(entry.plugin);
        this.weights.push(entry.weight);
      }
    }
    let shapeKey = '';
    for (const plugin of this.plugins) shapeKey += `${plugin.scoreShape!(state, pod)}|`;
    let shape = this.shapes.get(shapeKey);
    if (shape === undefined) this.shapes.set(shapeKey, (shape = this.shapes.size));
    this.shape = shape;
    this.state = state;
    this.pod = pod;
    this.nodes = nodes;
    this.table = table;
  }

  /** The weighted sum for the node at `slot`, from the table while still valid. */
  score(slot: number): number {
    const table = this.table!;
    if (table.scoredVersion[slot] === table.version[slot] && table.scoredShape[slot] === this.shape)
      return table.score[slot];
    return this.rescore(slot, table);
  }

  /** The sum computed and kept; apart from `score`, which stays small enough to be inlined where it is called. */
  private rescore(slot: number, table: NodeTable): number {
    const { plugins, weights, state, pod } = this;
    const info = this.nodes[slot];
    let sum = 0;
    for (let j = 0; j < plugins.length; j++) sum += weights[j] * plugins[j].score!(state!, pod!, info);
    table.score[slot] = sum;
    table.scoredVersion[slot] = table.version[slot];
    table.scoredShape[slot] = this.shape;
    return sum;
  }

  /** Sets `totals[0..feasible.count)` to the sums of the feasible nodes. */
  scoreAll(feasible: FeasibleNodes, totals: Int32Array): void {
    const { slots, count: n } = feasible;
    for (let i = 0; i < n; i++) totals[i] = this.score(slots[i]);
  }
}
