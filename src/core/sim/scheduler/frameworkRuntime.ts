// The framework runtime (pkg/scheduler/framework/runtime/framework.go): a profile's plugins
// sorted into the extension points they are enabled at, and the Run… functions that call them
// in the profile's order. Scores are summed as upstream's RunScorePlugins does: each plugin's
// scores normalized, times its weight. Which plugins an event concerns comes from the plugins'
// EventsToRegister (the queueing hint map).
import type { CycleState } from './cycleState';
import type {
  ActionType,
  ClusterEvent,
  EventResource,
  ExtensionPoint,
  FeasibleNodes,
  FilterFailure,
  FilteredNodes,
  Plugin,
  PluginName,
  PostFilterResult,
  PreBindError,
  PreFilterOutcome,
  QueueingHintFn,
  SchedulingPod,
} from './framework';
import { LocalScores, type LocalScoreEntry } from './localScores';
import type { NodeInfo, NodeTable } from './nodeInfo';

/** One row of a profile: a plugin, the extension points it is enabled at, and its score weight. */
export interface ProfileRow<H> {
  readonly name: PluginName;
  readonly points: readonly ExtensionPoint[];
  /** The weight of its scores; only for plugins enabled at Score. */
  readonly weight?: number;
  /** Makes the plugin for one scheduler (framework.PluginFactory). */
  readonly make: (handle: H) => Plugin;
}

/** The plugins an event may concern, each with its queueing hint if it has one. */
export type EventInterest = ReadonlyMap<PluginName, QueueingHintFn | undefined>;

/** What PreFilter decided for the whole cycle. */
export type PreFilterVerdict =
  | {
      readonly kind: 'rejected';
      readonly plugin: PluginName;
      readonly outcome: PreFilterOutcome & { kind: 'rejected' };
    }
  | {
      readonly kind: 'success';
      readonly narrowed?: Narrowing;
      /** The Filter plugins whose PreFilter said Skip (SkipFilterPlugins): bit i is the profile's i-th Filter. */
      readonly skippedFilters: number;
    };

/** PreFilterResult: the only nodes that can fit, and the status of every other node. */
export interface Narrowing {
  readonly nodeNames: ReadonlySet<string>;
  /** The status of the nodes left out, and the plugins that left them out. */
  readonly absent: FilterFailure;
  readonly plugins: readonly PluginName[];
}

interface ScoreEntry extends LocalScoreEntry {
  /** Enabled at NormalizeScore. */
  readonly normalize: boolean;
}

/** The Filter plugins of one cycle. */
export interface ActiveFilters {
  readonly all: readonly Plugin[];
  /** Those a plain node (no taints, schedulable) needs. */
  readonly plain: readonly Plugin[];
  /** The only one a plain node needs, when it can judge one by its slot (Plugin.fitsPlainSlot). */
  readonly quick: Plugin | undefined;
}

const methods: Record<ExtensionPoint, keyof Plugin> = {
  PreFilter: 'preFilter',
  Filter: 'filter',
  PostFilter: 'postFilter',
  PreScore: 'preScore',
  Score: 'score',
  NormalizeScore: 'normalizeScore',
  Reserve: 'reserve',
  PreBind: 'preBind',
};

export class Framework<H> {
  private readonly preFilters: Plugin[] = [];
  /** For each of `preFilters`, its bit among the Filter plugins (0 when not one). */
  private readonly preFilterBits: number[] = [];
  private readonly filters: Plugin[] = [];
  /** The Filter plugins of a cycle, by the mask of those skipped: few masks occur, and each is made once. */
  private readonly activeByMask = new Map<number, ActiveFilters>();
  private readonly postFilters: Plugin[] = [];
  /** Score plugins whose score depends on the node alone (kept per node), and the others. */
  readonly localScores: LocalScores;
  private readonly relativeScores: ScoreEntry[] = [];
  private readonly reserves: Plugin[] = [];
  private readonly preBinds: Plugin[] = [];
  private readonly plugins: Plugin[] = [];
  private readonly interests = new Map<string, EventInterest>();
  private raw = new Int32Array(1024);

  constructor(rows: readonly ProfileRow<H>[], handle: H) {
    const local: ScoreEntry[] = [];
    for (const row of rows) {
      const plugin = uniform(row.make(handle));
      if (plugin.name !== row.name)
        throw new Error(`scheduler profile: row ${row.name} made a plugin named ${plugin.name}`);
      for (const point of row.points)
        if (typeof plugin[methods[point]] !== 'function')
          throw new Error(`scheduler profile: ${row.name} is enabled at ${point} but does not implement it`);
      const at = (point: ExtensionPoint) => row.points.includes(point);
      if (at('Score') !== (row.weight !== undefined))
        throw new Error(`scheduler profile: ${row.name} needs a weight exactly when enabled at Score`);
      this.plugins.push(plugin);
      if (at('Filter')) this.filters.push(plugin);
      if (at('PreFilter')) {
        this.preFilters.push(plugin);
        this.preFilterBits.push(at('Filter') ? 1 << (this.filters.length - 1) : 0);
      }
      if (at('PostFilter')) this.postFilters.push(plugin);
      if (at('Score'))
        (plugin.scoreShape ? local : this.relativeScores).push({
          plugin,
          weight: row.weight!,
          preScore: at('PreScore'),
          normalize: at('NormalizeScore'),
        });
      if (at('Reserve')) this.reserves.push(plugin);
      if (at('PreBind')) this.preBinds.push(plugin);
    }
    this.localScores = new LocalScores(local);
    if (this.filters.length > 30)
      throw new Error(`scheduler profile: at most 30 Filter plugins, found ${this.filters.length}`);
  }

  /**
   * RunPreFilterPlugins: the first rejection ends the cycle; Skip keeps the plugin's Filter
   * from running; PreFilterResults are intersected.
   */
  runPreFilter(state: CycleState, pod: SchedulingPod, nodes: readonly NodeInfo[]): PreFilterVerdict {
    let narrowed: { nodeNames: Set<string>; absent: FilterFailure; plugins: PluginName[] } | undefined;
    let skippedFilters = 0;
    for (let i = 0; i < this.preFilters.length; i++) {
      const plugin = this.preFilters[i];
      const outcome = plugin.preFilter!(state, pod, nodes);
      if (outcome.kind === 'rejected') return { kind: 'rejected', plugin: plugin.name, outcome };
      if (outcome.kind === 'skip') {
        skippedFilters |= this.preFilterBits[i];
        continue;
      }
      if (!outcome.nodeNames) continue;
      if (!outcome.rejection)
        throw new Error(`scheduler: ${plugin.name}'s PreFilterResult names nodes but not what it rejected`);
      const names = narrowed
        ? new Set([...narrowed.nodeNames].filter((n) => outcome.nodeNames!.has(n)))
        : new Set(outcome.nodeNames);
      const plugins = [...(narrowed?.plugins ?? []), plugin.name];
      // PreFilterResults that leave no node between them reject the pod at once; the nodes'
      // status is then the PreFilter's (podtrace reports it as unresolvable).
      if (names.size === 0) {
        const message =
          plugins.length === 1
            ? `node(s) didn't satisfy plugin ${plugins[0]}`
            : `node(s) didn't satisfy plugin(s) [${[...plugins].sort().join(' ')}] simultaneously`;
        return {
          kind: 'rejected',
          plugin: plugin.name,
          outcome: { kind: 'rejected', message, rejection: outcome.rejection },
        };
      }
      // fmt's %v of a sorted []string: the names in brackets, separated by spaces.
      const message = `node(s) didn't satisfy plugin(s) [${[...plugins].sort().join(' ')}]`;
      narrowed = {
        nodeNames: names,
        plugins,
        absent: { ...outcome.rejection, reasons: [message], unresolvable: true } as FilterFailure,
      };
    }
    return narrowed ? { kind: 'success', narrowed, skippedFilters } : { kind: 'success', skippedFilters };
  }

  /**
   * The Filter plugins to run for a cycle whose PreFilter skipped `skippedFilters`: all others,
   * and those of them a plain node needs.
   */
  activeFilters(skippedFilters: number): ActiveFilters {
    let active = this.activeByMask.get(skippedFilters);
    if (active === undefined) {
      const all = this.filters.filter((_, i) => (skippedFilters & (1 << i)) === 0);
      const plain = all.filter((p) => !p.passesOnPlainNodes);
      active = { all, plain, quick: plain.length === 1 && plain[0].fitsPlainSlot ? plain[0] : undefined };
      this.activeByMask.set(skippedFilters, active);
    }
    return active;
  }

  /** RunFilterPlugins: the first plugin that rejects the node decides; its name joins `rejectedBy`. */
  runFilter(
    state: CycleState,
    pod: SchedulingPod,
    info: NodeInfo,
    filters: readonly Plugin[],
    rejectedBy: Set<PluginName>,
  ): FilterFailure | undefined {
    for (let i = 0; i < filters.length; i++) {
      const failure = filters[i].filter!(state, pod, info);
      if (failure) {
        rejectedBy.add(filters[i].name);
        return failure;
      }
    }
    return undefined;
  }

  /** RunPostFilterPlugins: the first plugin that finds a way out answers (DefaultPreemption is the only one). */
  runPostFilter(state: CycleState, pod: SchedulingPod, filtered: FilteredNodes): PostFilterResult {
    const messages: string[] = [];
    for (const plugin of this.postFilters) {
      const result = plugin.postFilter!(state, pod, filtered);
      if (result.nominatedNodeName !== undefined) return result;
      if (result.message) messages.push(result.message);
    }
    return messages.length > 0 ? { message: messages.join(' ') } : {};
  }

  /**
   * RunPreScorePlugins, RunScorePlugins and NormalizeScore, each node's weighted sum in
   * `totals[0..feasible.count)`. The scores of plugins that depend on the node alone are kept in
   * `table` per node (LocalScores); `localDone` says the cycle already put them in `totals` as
   * Filter found the nodes.
   */
  scoreNodes(
    state: CycleState,
    pod: SchedulingPod,
    feasible: FeasibleNodes,
    table: NodeTable,
    totals: Int32Array,
    localDone: boolean,
  ): void {
    if (!localDone) {
      this.localScores.begin(state, pod, feasible.nodes, table, feasible);
      this.localScores.scoreAll(feasible, totals);
    }
    if (this.raw.length < feasible.count) this.raw = new Int32Array(Math.max(feasible.count, this.raw.length * 2));
    for (const entry of this.relativeScores) {
      // Skip (SkipScorePlugins): the plugin scores nothing for this pod.
      if (entry.preScore && !entry.plugin.preScore!(state, pod, feasible)) continue;
      this.addPluginScores(entry, state, pod, feasible, totals);
    }
  }

  /** One plugin's Score and NormalizeScore over the feasible nodes, times its weight, added to `totals`. */
  private addPluginScores(
    entry: ScoreEntry,
    state: CycleState,
    pod: SchedulingPod,
    feasible: FeasibleNodes,
    totals: Int32Array,
  ): void {
    const { plugin, weight } = entry;
    const { nodes, slots, count: n } = feasible;
    const raw = this.raw;
    if (plugin.scoreAll) plugin.scoreAll(state, pod, feasible, raw);
    else for (let i = 0; i < n; i++) raw[i] = plugin.score!(state, pod, nodes[slots[i]]);
    if (entry.normalize) plugin.normalizeScore!(state, pod, feasible, raw);
    for (let i = 0; i < n; i++) totals[i] += weight * raw[i];
  }

  /** RunReservePluginsReserve. */
  runReserve(state: CycleState, pod: SchedulingPod, node: NodeInfo): void {
    for (const plugin of this.reserves) plugin.reserve!(state, pod, node);
  }

  /** RunReservePluginsUnreserve: in the reverse order of Reserve. */
  runUnreserve(state: CycleState, pod: SchedulingPod, node: NodeInfo): void {
    for (let i = this.reserves.length - 1; i >= 0; i--) this.reserves[i].unreserve?.(state, pod, node);
  }

  /** RunPreBindPlugins: one after another, each once the one before is done; the first error ends it. */
  runPreBind(
    state: CycleState,
    pod: SchedulingPod,
    node: NodeInfo,
    done: (failure: { readonly plugin: PluginName; readonly error: PreBindError } | undefined) => void,
  ): void {
    const next = (i: number): void => {
      if (i >= this.preBinds.length) return done(undefined);
      const plugin = this.preBinds[i];
      plugin.preBind!(state, pod, node, (error) => (error ? done({ plugin: plugin.name, error }) : next(i + 1)));
    };
    next(0);
  }

  /** The plugins registered for an event (the queueing hint map), kept per resource and action. */
  interestIn(event: ClusterEvent): EventInterest {
    const key = `${event.resource}/${event.action}`;
    let interest = this.interests.get(key);
    if (!interest) {
      const map = new Map<PluginName, QueueingHintFn | undefined>();
      for (const plugin of this.plugins)
        for (const { event: registered, hint } of plugin.events)
          if (registered.resource === event.resource && registered.actions.includes(event.action))
            map.set(plugin.name, hint);
      this.interests.set(key, (interest = map));
    }
    return interest;
  }
}

/**
 * The plugin with every member present, in one order: all plugins then share one object shape,
 * so the cycle's calls through them stay monomorphic property loads for the JIT instead of
 * sites that see a new shape, and are recompiled, each time another plugin comes along.
 */
function uniform(plugin: Plugin): Plugin {
  const all: Plugin = {
    name: plugin.name,
    events: plugin.events,
    passesOnPlainNodes: plugin.passesOnPlainNodes ?? false,
    preFilter: plugin.preFilter,
    filter: plugin.filter,
    fitsPlainSlot: plugin.fitsPlainSlot,
    postFilter: plugin.postFilter,
    preScore: plugin.preScore,
    score: plugin.score,
    scoreAll: plugin.scoreAll,
    scoreShape: plugin.scoreShape,
    normalizeScore: plugin.normalizeScore,
    reserve: plugin.reserve,
    unreserve: plugin.unreserve,
    preBind: plugin.preBind,
  };
  return all;
}

/**
 * The registration every plugin that reads nodes makes: a node added, or one whose spec, labels
 * or allocatable changed.
 */
export const nodeEvents: { readonly resource: EventResource; readonly actions: readonly ActionType[] } = {
  resource: 'Node',
  actions: ['Add', 'Update'],
};
