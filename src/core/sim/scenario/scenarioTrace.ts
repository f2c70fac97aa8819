// What a scenario action says in the trace, on the apiserver lane (the lane of the requests a
// client such as kubectl makes): about the object it acts on, or about the scenario itself.
import type { SimCluster } from '../cluster';
import type { KubeObject } from '../store/objects';

export function traceScenario(
  cluster: SimCluster,
  message: string,
  options: { object?: KubeObject; reason?: string; severity?: 'Normal' | 'Warning'; cause?: number } = {},
): number {
  return cluster.ctx.trace.emit({
    time: cluster.engine.now(),
    lane: 'apiserver',
    node: null,
    object: options.object
      ? cluster.ctx.trace.refs.of(options.object)
      : { kind: 'Scenario', namespace: null, name: 'scenario', uid: null },
    reason: options.reason ?? 'ScenarioAction',
    message,
    severity: options.severity,
    causes: options.cause === undefined ? undefined : [options.cause],
  });
}
