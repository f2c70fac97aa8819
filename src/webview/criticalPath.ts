// A pod's critical path: the steps that set its time to routable (or to the last phase it
// reached). Each phase the pod reached was set by an event; walking back from it through the
// cause that came last (the one the event waited for) down to the previous phase gives the
// steps in between, such as the EndpointSlice update between ready and in endpoints.
import { podPhases } from '../protocol/traceColumns';
import type { Entity } from './entities';
import type { TraceStore } from './traceStore';

/** A bound on the walk, for traces whose causes run long. */
const maxSteps = 400;

export function criticalPath(store: TraceStore, entity: Entity): number[] {
  const pod = store.podOf(entity);
  const path: number[] = [];
  const seen = new Set<number>();
  if (!pod) return path;
  let previous = -Infinity;
  for (const phase of podPhases) {
    const id = pod.phaseEvents[phase];
    if (id === undefined || id >= store.count || seen.has(id)) continue;
    const segment = [id];
    seen.add(id);
    for (let cur = id; segment.length < maxSteps;) {
      const next = latestCause(store, cur);
      if (next < 0 || seen.has(next) || store.time[next] < previous) break;
      segment.push(next);
      seen.add(next);
      cur = next;
    }
    for (let i = segment.length - 1; i >= 0; i--) path.push(segment[i]);
    previous = store.time[id];
  }
  return path.sort((a, b) => store.time[a] - store.time[b] || a - b);
}

/** The cause of `id` that ended last (the latest id among equals), or -1. */
function latestCause(store: TraceStore, id: number): number {
  let best = -1;
  for (const c of store.causesOf(id)) {
    if (best < 0 || store.time[c] > store.time[best] || (store.time[c] === store.time[best] && c > best)) best = c;
  }
  return best;
}
