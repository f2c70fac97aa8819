// A trace in the embedded simulated cluster, as `podtrace trace` and the editor's Apply run
// it: the parsed manifests applied to a fresh cluster (Node objects among them replace the
// default nodes unless a node count is asked for), the scenario's actions scheduled, the run
// to quiescence or the time limit, then the pods' phases and the routing windows, with every
// event mapped back to the YAML that caused it.
import { kubernetesObjects } from '../manifest/decode';
import type { ParsedManifestFile } from '../manifest/parse';
import type { KubernetesVersion } from '../manifest/validate';
import { SimCluster } from '../sim/cluster';
import type { RoutingWindow } from '../sim/consumers/routingLedger';
import type { RunResult } from '../sim/engine/engine';
import type { LatencyProfile } from '../sim/profile/profile';
import type { ScenarioAction } from '../sim/scenario/scenario';
import type { KubeObject } from '../sim/store/objects';
import { summarizePod, type PodSummary } from './podSummary';
import { TraceSourceMapper, type TraceSource } from './sourceMapping';
import type { TraceEvent } from './traceEvent';

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

/** The Kubernetes objects of parsed manifests, in order. */
export function manifestObjects(files: readonly { readonly file: ParsedManifestFile }[]): KubeObject[] {
  return files.flatMap((f) => kubernetesObjects(f.file));
}

export function traceInSimulator(input: SimulatedTraceInput): SimulatedTrace {
  const { objects } = input;
  const nodes = objects.filter((o) => o.kind === 'Node');
  const cluster = new SimCluster({
    seed: input.seed,
    profile: input.profile,
    version: input.version,
    nodeCount: nodes.length > 0 && !input.nodesGiven ? 0 : input.nodes,
    nodes: input.nodesGiven ? [] : nodes,
    storeEvents: true,
  });
  const sources = new TraceSourceMapper([...input.files, ...(input.applied ?? [])], cluster.ctx.store.lineage);
  input.mark?.('start');
  cluster.apply(objects);
  cluster.schedule(input.actions ?? []);
  const result = cluster.run({ untilMs: input.untilMs });
  input.mark?.('simulate');
  const hasService = objects.some((o) => o.kind === 'Service');
  const pods = [...cluster.observer.pods.values()].map((r) => summarizePod(r, hasService)).sort((a, b) => (a.phases.created ?? 0) - (b.phases.created ?? 0) || (a.name < b.name ? -1 : 1));
  return { cluster, result, events: cluster.ctx.trace.events, pods, windows: cluster.consumers.ledger.windows, sourceOf: (e) => sources.sourceOf(e) };
}

/** The closing line: `212408 events, 10000 pods (10000 ready) on 1000 nodes; quiescent at 107.992s virtual (seed 1, ...)`. */
export function summaryLine(trace: SimulatedTrace, run: { readonly seed: number; readonly profile: string; readonly version: KubernetesVersion }): string {
  const ready = trace.pods.filter((p) => p.phases.ready !== null).length;
  const ended = `${trace.result.reason === 'quiescent' ? 'quiescent' : 'stopped'} at ${(trace.result.time / 1000).toFixed(3)}s virtual`;
  return `${trace.events.length} events, ${trace.pods.length} pods (${ready} ready) on ${trace.cluster.kubelets.size} nodes; ${ended} (seed ${run.seed}, profile ${run.profile}, Kubernetes ${run.version})`;
}
