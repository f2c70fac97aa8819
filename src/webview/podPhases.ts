// A pod's phase bar: the steps between its phases (created, scheduled, IP assigned, images
// ready, started, ready, in endpoints, routable), and which of them held the pod back.
import { podPhases, type PodRow } from '../protocol/traceColumns';

export interface PhaseStep {
  /** The phase the step leads into (its index in `podPhases`). */
  readonly phase: number;
  readonly startMs: number;
  /** null: the pod never reached the phase (the step runs on to the end of the trace). */
  readonly endMs: number | null;
  /** Whether this is the step that held the pod back (`heldBy`). */
  readonly held: boolean;
}

/** What each step is called, by the phase it leads into: the words the trace's `heldBy` uses. */
export const stepNames: readonly string[] = [
  'creation',
  'scheduling',
  'volumes, sandbox and CNI',
  'image pulls',
  'container start',
  'readiness',
  'EndpointSlice update',
  'propagation to consumers',
];

export const phaseNames: Record<(typeof podPhases)[number], string> = {
  created: 'created',
  scheduled: 'scheduled',
  ipAssigned: 'IP assigned',
  imagesReady: 'images ready',
  started: 'started',
  ready: 'ready',
  inEndpoints: 'in endpoints',
  routable: 'routable',
};

/**
 * The pod's steps in order, from each phase it reached to the next one it reached. The held
 * step is the one `heldBy` names: the step of that length (the longest), or, when it never
 * finished, a step from the last phase reached that runs on to the end of the trace.
 */
export function phaseSteps(pod: PodRow): PhaseStep[] {
  const steps: PhaseStep[] = [];
  let prev: number | null = null;
  let lastReached = -1;
  for (let i = 0; i < podPhases.length; i++) {
    const t = pod.phases[podPhases[i]];
    if (t === null) continue;
    if (prev !== null) steps.push({ phase: i, startMs: prev, endMs: t, held: false });
    prev = t;
    lastReached = i;
  }
  const held = pod.heldBy;
  if (held && held.ms !== null) {
    const length = (s: PhaseStep) => (s.endMs ?? 0) - s.startMs;
    let k = steps.findIndex((s) => length(s) === held.ms && stepNames[s.phase] === held.step);
    if (k < 0) k = steps.findIndex((s) => length(s) === held.ms);
    if (k >= 0) steps[k] = { ...steps[k], held: true };
  } else if (held && prev !== null) {
    let phase = stepNames.indexOf(held.step);
    if (phase <= lastReached) phase = lastReached + 1;
    if (phase < podPhases.length) steps.push({ phase, startMs: prev, endMs: null, held: true });
  }
  return steps;
}

/**
 * A short account of the pod for screen readers: `scheduled 0.012 s, ready 4.205 s, held back by readiness 3.900 s`.
 */
export function podSummaryText(pod: PodRow, format: (ms: number) => string): string {
  const parts: string[] = [];
  for (const phase of ['scheduled', 'ready', 'routable'] as const) {
    const t = pod.phases[phase];
    if (t !== null) parts.push(`${phaseNames[phase]} ${format(t)}`);
  }
  if (pod.heldBy)
    parts.push(
      `held back by ${pod.heldBy.step}${pod.heldBy.ms === null ? ' (never finished)' : ` ${format(pod.heldBy.ms)}`}`,
    );
  if (pod.restarts > 0) parts.push(`${pod.restarts} restart${pod.restarts === 1 ? '' : 's'}`);
  return parts.length === 0 ? 'no phase reached yet' : parts.join(', ');
}

/** The step under a time on the pod's bar (a step runs on to `clockMs` when it never finished), or undefined. */
export function stepAt(steps: readonly PhaseStep[], ms: number, clockMs: number): PhaseStep | undefined {
  // Later steps first: where two meet, the one that starts there is the one pointed at.
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if (ms >= s.startMs && ms <= (s.endMs ?? clockMs)) return s;
  }
  return undefined;
}
