// The most a simulated trace may reach: pods, nodes, events and virtual time. A manifest can
// ask for more than any machine holds (`replicas: 2147483647`, `--nodes 10000000`, `--until`
// of a thousand years), and a run that grows without bound ends in V8 running out of memory
// rather than in an answer. The limits are checked before the run where the input says what
// it will reach (the nodes it starts with and adds, the virtual time asked for) and between
// slices of the run where only running tells (pods created, events recorded); passing one
// stops the run with a TraceLimitError that says which limit, how far the run got and what
// drove it there. The defaults leave room above the largest runs podtrace is measured on
// (10,000 pods on 1,000 nodes, about 212,000 events, quiescent well within the 900 s cap).

export type TraceLimitName = 'pods' | 'nodes' | 'events' | 'time';

export interface TraceLimits {
  /** Pods created over the whole run (deleted ones count: they are in the trace). */
  readonly maxPods: number;
  /** Nodes at any time: those the run starts with and those the scenario adds. */
  readonly maxNodes: number;
  /** Events recorded in the trace. */
  readonly maxEvents: number;
  /** Virtual time a run with a time limit may ask for, in ms. */
  readonly maxTimeMs: number;
}

export const defaultTraceLimits: TraceLimits = {
  maxPods: 50_000,
  maxNodes: 5_000,
  maxEvents: 2_000_000,
  maxTimeMs: 3_600_000,
};

/** The largest value each limit may be raised to: beyond these a run cannot fit in memory or time at all. */
export const traceLimitCeilings: TraceLimits = {
  maxPods: 10_000_000,
  maxNodes: 1_000_000,
  maxEvents: 100_000_000,
  maxTimeMs: 30 * 24 * 3_600_000,
};

/** A run that would pass one of its limits. The message says what reached it; callers add how to raise it. */
export class TraceLimitError extends Error {
  constructor(
    readonly limit: TraceLimitName,
    /** The limit's value (ms for time). */
    readonly max: number,
    message: string,
  ) {
    super(message);
    this.name = 'TraceLimitError';
  }
}

/** `12345` → `12,345`: limits and counts are read by people. */
export function counted(n: number): string {
  return n.toLocaleString('en-US');
}

/** Virtual time in seconds as the summary line prints it. */
export function virtualSeconds(ms: number): string {
  return `${counted(Math.round(ms) / 1000)} s`;
}

/** What a run is about to start with, for the checks that need no running. */
export interface TraceStart {
  /** Nodes the cluster starts with. */
  readonly nodes: number;
  /** Nodes the scenario's addNode actions add. */
  readonly addedNodes: number;
  /** The virtual time asked for, if any. */
  readonly untilMs?: number;
}

/** Throws TraceLimitError when the start alone passes a limit: too many nodes, too long a run. */
export function checkTraceStart(limits: TraceLimits, start: TraceStart): void {
  const total = start.nodes + start.addedNodes;
  if (total > limits.maxNodes) {
    const what =
      start.addedNodes === 0
        ? `${counted(start.nodes)} nodes`
        : `${counted(start.nodes)} nodes and its scenario adds ${counted(start.addedNodes)} (${counted(total)})`;
    throw new TraceLimitError(
      'nodes',
      limits.maxNodes,
      `the run would start with ${what}, more than its limit of ${counted(limits.maxNodes)} nodes`,
    );
  }
  if (start.untilMs !== undefined && start.untilMs > limits.maxTimeMs) {
    throw new TraceLimitError(
      'time',
      limits.maxTimeMs,
      `the run would last ${virtualSeconds(start.untilMs)} of virtual time, ` +
        `more than its limit of ${virtualSeconds(limits.maxTimeMs)}`,
    );
  }
}

/** What a running cluster has reached, and what to name as having driven it there. */
export interface TraceProgress {
  readonly clockMs: number;
  readonly pods: number;
  readonly nodes: number;
  readonly events: number;
  /** The workload that created the most recent pod, as `ReplicaSet default/web-5d8 (of Deployment default/web)`. */
  readonly lastPodOwner: () => string | undefined;
  /** The most recent event, as `kubelet Pulling Pod default/web-5d8-x2x`. */
  readonly lastEvent: () => string | undefined;
}

/** Throws TraceLimitError once the run has passed a limit: more pods, nodes or events than allowed. */
export function checkTraceProgress(limits: TraceLimits, progress: TraceProgress): void {
  // One sentence for each limit; what drove the run there is looked up only once it has passed one.
  const passed = (
    name: Exclude<TraceLimitName, 'time'>,
    count: number,
    limit: number,
    driver = (): string => '',
  ): void => {
    if (count <= limit) return;
    const reached = `the run reached ${counted(count)} ${name} at ${virtualSeconds(progress.clockMs)} virtual`;
    throw new TraceLimitError(name, limit, `${reached}, more than its limit of ${counted(limit)} ${name}${driver()}`);
  };
  passed('pods', progress.pods, limits.maxPods, () => {
    const owner = progress.lastPodOwner();
    return owner ? `; the last was created by ${owner}` : '';
  });
  passed('nodes', progress.nodes, limits.maxNodes);
  passed('events', progress.events, limits.maxEvents, () => {
    const last = progress.lastEvent();
    return last ? `; the last: ${last}` : '';
  });
}
