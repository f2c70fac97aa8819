// A trace in the embedded simulated cluster, as `podtrace trace` and the editor's Apply run
// it: the parsed manifests applied to a fresh cluster (Node objects among them replace the
// default nodes unless a node count is asked for), the scenario's actions scheduled, the run
// to quiescence or the time limit, then the pods' phases and the routing windows, with every
// event mapped back to the YAML that caused it.
//
// `SimulatedTraceRun` runs the same trace in steps, for a view that streams it: after each
// step it hands out what is new (events, changed pods, opened or closed routing windows, the
// clock). Stepping runs exactly the events the run to the end runs, in the same order, so a
// streamed trace is the one `podtrace trace` prints.
import { kubernetesObjects } from '../manifest/decode';
import type { ParsedManifestFile } from '../manifest/base/parse';
import type { KubernetesVersion } from '../base/kubernetesVersion';
import { SimCluster } from '../sim/cluster';
import type { RoutingWindow } from '../sim/consumers/routingLedger';
import type { RunResult } from '../sim/engine/engine';
import type { LatencyProfile } from '../sim/profile/profile';
import type { ScenarioAction } from '../sim/scenario/scenario';
import { scheduleScenario } from '../sim/scenario/scenarioRunner';
import type { KubeObject } from '../sim/store/objects';
import { isKind, type Node } from '../sim/store/kinds';
import type { PodRecord } from './model/podObserver';
import { selectorMatches } from '../sim/store/objects';
import type { ObjectStore } from '../sim/store/store';
import { summarizePod, type PodSummary } from './podSummary';
import { TraceSourceMapper, type TraceSource } from './sourceMapping';
import type { TraceEvent } from './model/traceEvent';
import { checkTraceProgress, checkTraceStart, defaultTraceLimits, type TraceLimits } from './traceLimits';

export interface SimulatedTraceInput {
  /** The manifests applied at the start, each by the name events map back to. */
  readonly files: readonly { readonly name: string; readonly file: ParsedManifestFile }[];
  /** Their objects (`manifestObjects(files)`: callers look at them first, to refuse an empty input). */
  readonly objects: readonly KubeObject[];
  /** Manifests only the scenario applies (their events map to the scenario's lines). */
  readonly applied?: readonly { readonly name: string; readonly file: ParsedManifestFile }[];
  readonly actions?: readonly ScenarioAction[];
  readonly seed: number;
  readonly profile: LatencyProfile;
  readonly version: KubernetesVersion;
  /** Nodes of the profile's size to start with, unless the manifests have Node objects and no count was asked for. */
  readonly nodes: number;
  readonly nodesGiven: boolean;
  readonly untilMs?: number;
  /** The most the run may reach (defaultTraceLimits when not given). */
  readonly limits?: TraceLimits;
  /** Called as the cluster is ready to run and once it has run (for timing the phases). */
  readonly mark?: (phase: 'start' | 'simulate') => void;
}

export interface SimulatedTrace {
  readonly cluster: SimCluster;
  readonly result: RunResult;
  readonly events: readonly TraceEvent[];
  /** By the time each was created, then name. */
  readonly pods: readonly PodSummary[];
  readonly windows: readonly RoutingWindow[];
  readonly sourceOf: (event: TraceEvent) => TraceSource | undefined;
}

/** A routing window with its place in the trace's list of windows. */
export interface IndexedWindow {
  readonly index: number;
  readonly window: RoutingWindow;
}

/** What a step of a run added: the events after the last step's, and what changed with them. */
export interface TraceStep {
  /** Consecutive ids, from where the last step stopped. */
  readonly events: readonly TraceEvent[];
  /** Pods whose summary may have changed since the last step (with the step that hands out the last event). */
  readonly pods: readonly PodSummary[];
  /** Routing windows opened or closed since the last step (likewise). */
  readonly windows: readonly IndexedWindow[];
  /** The cluster's virtual time. */
  readonly clockMs: number;
  /** Whether recorded events are left for the next step (the step was cut at its event limit). */
  readonly more: boolean;
}

/** The cap on a run without a time limit that never settles, as `podtrace trace` has it. */
export const traceCapMs = 900_000;

/**
 * Engine events between two checks of the limits: the pods and events a slice adds past a
 * limit stay in the thousands (a ReplicaSet creates at most 500 pods per sync).
 */
const limitSliceEvents = 5_000;

/** The Kubernetes objects of parsed manifests, in order. */
export function manifestObjects(files: readonly { readonly file: ParsedManifestFile }[]): KubeObject[] {
  // Only manifests without errors are traced: each object has passed the apiserver's validation.
  return files.flatMap((f) => kubernetesObjects(f.file) as KubeObject[]);
}

/**
 * The Node objects of the manifests as applying them in order leaves them: one per name, a
 * later one replacing an earlier (validation warns of the repeat, PT2013, as kubectl applies it).
 */
function appliedNodes(objects: readonly KubeObject[]): Node[] {
  const byName = new Map<string, Node>();
  for (const o of objects) if (isKind(o, 'Node')) byName.set(String(o.metadata?.name), o);
  return [...byName.values()];
}

export class SimulatedTraceRun {
  readonly cluster: SimCluster;
  private readonly sources: TraceSourceMapper;
  /** A run without a time limit stops when only background work is left; one with a limit runs to it. */
  private readonly quiesce: boolean;
  private readonly endMs: number;
  private readonly limits: TraceLimits;
  private outcome: RunResult | undefined;
  private eventsTaken = 0;
  private windowsTaken = 0;
  /** Windows handed out while still open: a later step hands each out again once it closes. */
  private readonly openWindows = new Set<number>();

  /** Builds the cluster and applies the manifests; nothing runs until `advance` or `runToEnd`. */
  constructor(
    private readonly input: SimulatedTraceInput,
    options: { readonly streaming?: boolean } = {},
  ) {
    const { objects } = input;
    const nodes = appliedNodes(objects);
    this.limits = input.limits ?? defaultTraceLimits;
    // Before the cluster is built: ten million nodes are refused, not allocated.
    checkTraceStart(this.limits, {
      nodes: nodes.length > 0 && !input.nodesGiven ? nodes.length : input.nodes,
      addedNodes: (input.actions ?? []).filter((a) => a.type === 'addNode').length,
      untilMs: input.untilMs,
    });
    this.cluster = new SimCluster({
      seed: input.seed,
      profile: input.profile,
      version: input.version,
      nodeCount: nodes.length > 0 && !input.nodesGiven ? 0 : input.nodes,
      nodes: input.nodesGiven ? [] : nodes,
      storeEvents: true,
    });
    if (options.streaming) this.cluster.observer.trackChanges();
    this.sources = new TraceSourceMapper([...input.files, ...(input.applied ?? [])], this.cluster.ctx.store.lineage);
    this.quiesce = input.untilMs === undefined;
    this.endMs = input.untilMs ?? traceCapMs;
    input.mark?.('start');
    this.cluster.apply(objects);
    scheduleScenario(this.cluster, input.actions ?? []);
  }

  /** How the run ended, once it has. */
  get result(): RunResult | undefined {
    return this.outcome;
  }

  /** The cluster's virtual time. */
  get clockMs(): number {
    return this.cluster.engine.now();
  }

  /** The YAML range that caused an event, when known. */
  readonly sourceOf = (event: TraceEvent): TraceSource | undefined => this.sources.sourceOf(event);

  /** Runs the rest of the trace at once (in slices, so that the limits are checked as it goes). */
  runToEnd(): RunResult {
    for (;;) {
      const result = this.advance(this.endMs);
      if (result) return result;
    }
  }

  /**
   * Runs the events due up to `targetMs` of virtual time (at most `maxEvents` of the engine's,
   * so one step's work stays bounded), and returns how the run ended if it did.
   */
  advance(targetMs: number, maxEvents = Number.POSITIVE_INFINITY): RunResult | undefined {
    if (this.outcome) return this.outcome;
    const engine = this.cluster.engine;
    const limit = Math.min(targetMs, this.endMs);
    let left = maxEvents;
    let r: RunResult;
    // Slices of the engine's events with the limits checked after each: a run that would grow
    // past one stops within a slice of it, with a TraceLimitError.
    for (;;) {
      const slice = Math.min(left, limitSliceEvents);
      r = engine.runFast({ untilMs: limit, maxEvents: slice, stopAtQuiescence: this.quiesce });
      this.checkLimits();
      if (r.reason !== 'event-limit') break;
      left -= slice;
      if (left <= 0) return undefined;
    }
    switch (r.reason) {
      case 'time-limit':
        return limit >= this.endMs ? this.finish(r) : undefined;
      case 'quiescent':
        // Without a time limit this is the end. With one, the queue ran dry before the step's
        // limit: the run to the end would move the clock to the final limit, and so does this.
        return this.finish(this.quiesce ? r : engine.runFast({ untilMs: this.endMs, stopAtQuiescence: false }));
      case 'stopped':
        return this.finish(r);
    }
  }

  private checkLimits(): void {
    const { cluster } = this;
    const events = cluster.ctx.trace.events;
    checkTraceProgress(this.limits, {
      clockMs: this.clockMs,
      pods: cluster.observer.pods.size,
      nodes: cluster.kubelets.size,
      events: events.length,
      lastPodOwner: () => {
        let last: string | undefined;
        for (const uid of cluster.observer.pods.keys()) last = uid;
        const lineage = cluster.ctx.store.lineage;
        const chain: string[] = [];
        for (
          let owner = last && lineage.get(last)?.owner;
          owner && chain.length < 4;
          owner = lineage.get(owner)?.owner
        ) {
          const o = lineage.get(owner);
          if (!o) break;
          chain.push(`${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`);
        }
        return chain.length === 0
          ? undefined
          : chain[0] +
              chain
                .slice(1)
                .map((c) => ` (of ${c})`)
                .join('');
      },
      lastEvent: () => {
        const e = events[events.length - 1];
        if (!e) return undefined;
        const object = `${e.object.kind} ${e.object.namespace ? `${e.object.namespace}/` : ''}${e.object.name}`;
        return `${e.lane} ${e.reason} on ${object}`;
      },
    });
  }

  private finish(result: RunResult): RunResult {
    this.outcome = result;
    this.input.mark?.('simulate');
    return result;
  }

  /**
   * What is new since the last step, at most `maxEvents` events of it. The changed pods and
   * windows come with the step that hands out the last recorded event, since their phase
   * events and closing events must be in the trace before them.
   */
  takeStep(maxEvents = Number.POSITIVE_INFINITY): TraceStep {
    const recorded = this.cluster.ctx.trace.events;
    const end = Math.min(recorded.length, this.eventsTaken + maxEvents);
    const events = recorded.slice(this.eventsTaken, end);
    this.eventsTaken = end;
    const more = end < recorded.length;
    if (more) return { events, pods: [], windows: [], clockMs: this.clockMs, more };
    const observer = this.cluster.observer;
    const pods: PodSummary[] = [];
    for (const uid of observer.takeChanged()) {
      const record = observer.pods.get(uid);
      if (record) pods.push(summarizePod(record, expectsEndpoints(this.cluster.ctx.store, record)));
    }
    return { events, pods, windows: this.takeWindows(), clockMs: this.clockMs, more };
  }

  private takeWindows(): IndexedWindow[] {
    const all = this.cluster.consumers.ledger.windows;
    const out: IndexedWindow[] = [];
    for (const index of this.openWindows) {
      if (all[index].end === null) continue;
      this.openWindows.delete(index);
      out.push({ index, window: all[index] });
    }
    for (let index = this.windowsTaken; index < all.length; index++) {
      out.push({ index, window: all[index] });
      if (all[index].end === null) this.openWindows.add(index);
    }
    this.windowsTaken = all.length;
    return out;
  }

  /**
   * The whole trace once the run has ended: every event, every pod's summary (by creation, then name), every window.
   */
  trace(): SimulatedTrace {
    const result = this.outcome;
    if (!result)
      throw new Error(
        'SimulatedTraceRun.trace: expected a run that has ended (runToEnd, ' +
          'or advance until it returns a result), found one still running',
      );
    const pods = [...this.cluster.observer.pods.values()]
      .map((r) => summarizePod(r, expectsEndpoints(this.cluster.ctx.store, r)))
      .sort((a, b) => (a.phases.created ?? 0) - (b.phases.created ?? 0) || (a.name < b.name ? -1 : 1));
    const { cluster } = this;
    return {
      cluster,
      result,
      events: cluster.ctx.trace.events,
      pods,
      windows: cluster.consumers.ledger.windows,
      sourceOf: this.sourceOf,
    };
  }
}

export function traceInSimulator(input: SimulatedTraceInput): SimulatedTrace {
  const run = new SimulatedTraceRun(input);
  run.runToEnd();
  return run.trace();
}

/**
 * The closing line: `212408 events, 10000 pods (10000 ready)
 * on 1000 nodes; quiescent at 107.992s virtual (seed 1, ...)`.
 */
export function summaryLine(
  trace: SimulatedTrace,
  run: { readonly seed: number; readonly profile: string; readonly version: KubernetesVersion },
): string {
  const ready = trace.pods.filter((p) => p.phases.ready !== null).length;
  const ended =
    `${trace.result.reason === 'quiescent' ? 'quiescent' : 'stopped'} ` +
    `at ${(trace.result.time / 1000).toFixed(3)}s virtual`;
  return (
    `${trace.events.length} events, ${trace.pods.length} pods (${ready} ready) on ` +
    `${trace.cluster.kubelets.size} node${trace.cluster.kubelets.size === 1 ? '' : 's'}; ` +
    `${ended} (seed ${run.seed}, profile ${run.profile}, Kubernetes ${run.version})`
  );
}

/**
 * Whether a pod is to be in endpoints and routable: it got there, or a Service of its
 * namespace selects it. A pod no Service selects is never held back by an EndpointSlice
 * update it will never see, even when the manifests hold a Service for other pods.
 */
export function expectsEndpoints(store: ObjectStore, record: PodRecord): boolean {
  if (record.phases.inEndpoints !== null) return true;
  return store
    .list('services', { namespace: record.namespace })
    .some(
      (s) =>
        s.spec?.selector !== undefined &&
        Object.keys(s.spec.selector).length > 0 &&
        selectorMatches({ matchLabels: s.spec.selector }, record.labels),
    );
}
