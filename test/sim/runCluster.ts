// Runs manifests (and an optional scenario) on a fresh simulated cluster, in process: what the
// scenario-style tests share. Without `untilMs` the run goes to quiescence.
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects, parseScenario } from '../../src/core/sim/scenario/scenario';
import { scheduleScenario } from '../../src/core/sim/scenario/scenarioRunner';
import type { KubeObject } from '../../src/core/sim/store/objects';
import type { TraceEvent } from '../../src/core/trace/model/traceEvent';

export interface ClusterRunOptions {
  readonly seed: number;
  readonly nodes?: number;
  readonly scenario?: string;
  readonly untilMs?: number;
}

export function runCluster(manifest: string, options: ClusterRunOptions) {
  const c = new SimCluster({ seed: options.seed, version: '1.35', nodeCount: options.nodes ?? 3 });
  c.apply(parseAllObjects(manifest) as KubeObject[]);
  if (options.scenario)
    scheduleScenario(
      c,
      parseScenario(options.scenario, () => ''),
    );
  const result = c.run(options.untilMs === undefined ? {} : { untilMs: options.untilMs });
  const events = c.ctx.trace.events;
  /** The events of one object (by name) with one reason. */
  const of = (name: string, reason: string): TraceEvent[] =>
    events.filter((e) => e.object.name === name && e.reason === reason);
  return { c, result, events, of, store: c.ctx.store };
}
