// Per-pod phases and the step that held each pod back (its critical path): the longest
// gap between two consecutive phases it reached, or the first phase it never reached.
import { podPhaseNames, type PodPhase, type PodRecord } from './model/podObserver';

export interface PodSummary {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly node: string | null;
  readonly phases: Record<PodPhase, number | null>;
  /** The trace id of the event that set each phase, where one did (the critical path starts from them). */
  readonly phaseEvents: Partial<Record<PodPhase, number>>;
  readonly restarts: number;
  /** The step that took longest (or never finished) and its length in ms. */
  readonly heldBy: { readonly step: string; readonly ms: number | null; readonly detail: string | null } | null;
}

/** The step between a phase and the one before it. */
export const stepInto: Record<PodPhase, string> = {
  created: 'creation',
  scheduled: 'scheduling',
  ipAssigned: 'volumes, sandbox and CNI',
  imagesReady: 'image pulls',
  started: 'container start',
  ready: 'readiness',
  inEndpoints: 'EndpointSlice update',
  routable: 'propagation to consumers',
};

export function summarizePod(r: PodRecord, expectEndpoints: boolean): PodSummary {
  let heldBy: PodSummary['heldBy'] = null;
  let prev: number | null = null;
  let longest = -1;
  for (const phase of podPhaseNames) {
    const t = r.phases[phase];
    if (t === null) {
      if ((phase === 'inEndpoints' || phase === 'routable') && !expectEndpoints) continue;
      heldBy = { step: stepInto[phase], ms: null, detail: r.lastWarning };
      break;
    }
    if (prev !== null && t - prev > longest) {
      longest = t - prev;
      heldBy = { step: stepInto[phase], ms: t - prev, detail: null };
    }
    prev = t;
  }
  return {
    namespace: r.namespace,
    name: r.name,
    uid: r.uid,
    node: r.node,
    phases: { ...r.phases },
    phaseEvents: { ...r.phaseEvents },
    restarts: r.restarts,
    heldBy,
  };
}
