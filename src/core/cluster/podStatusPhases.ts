// A real pod's phases, read from its status as a watch delivers it (DESIGN section 6): the
// simulator's observer is told of each phase by the component that reached it; on a real
// cluster the same phases are inferred from the conditions and container states the kubelet
// and the scheduler write. Condition times have whole seconds only, so a phase seen as it
// happened takes the time it arrived within that second.
import type { KubeObject } from '../sim/store/objects';
import type { PodPhase } from '../trace/model/podObserver';

/** A time in epoch ms from an RFC 3339 string with seconds: the arrival time when within that second. */
export function secondsTime(value: unknown, receivedMs: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return undefined;
  return Math.min(Math.max(receivedMs, t), t + 999);
}

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly lastTransitionTime?: string;
}

interface ContainerStatus {
  readonly imageID?: string;
  readonly restartCount?: number;
  readonly started?: boolean;
  readonly state?: { readonly running?: { readonly startedAt?: string }; readonly terminated?: unknown };
}

/** The parts of a pod's status the phases are read from. */
export interface PodStatusView {
  readonly phase: string | undefined;
  readonly conditions: readonly Condition[];
  readonly containers: readonly ContainerStatus[];
  readonly podIP: string | undefined;
  readonly nodeName: string | undefined;
  readonly containerCount: number;
}

function list<T>(value: unknown): readonly T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function podStatusView(pod: KubeObject): PodStatusView {
  const status = record(pod.status);
  const spec = record(pod.spec);
  return {
    phase: typeof status.phase === 'string' ? status.phase : undefined,
    conditions: list<Condition>(status.conditions),
    containers: list<ContainerStatus>(status.containerStatuses),
    podIP: typeof status.podIP === 'string' && status.podIP !== '' ? status.podIP : undefined,
    nodeName: typeof spec.nodeName === 'string' ? spec.nodeName : undefined,
    containerCount: list<unknown>(spec.containers).length,
  };
}

/** The phases a pod's status shows it has reached, each with its time in epoch ms where the status has one. */
export function reachedPhases(pod: KubeObject, receivedMs: number): Partial<Record<PodPhase, number>> {
  const view = podStatusView(pod);
  const out: Partial<Record<PodPhase, number>> = {};
  const created = secondsTime(pod.metadata.creationTimestamp, receivedMs);
  if (created !== undefined) out.created = created;
  const condition = (type: string) => view.conditions.find((c) => c.type === type && c.status === 'True');
  const scheduled = condition('PodScheduled');
  if (scheduled || view.nodeName !== undefined)
    out.scheduled = secondsTime(scheduled?.lastTransitionTime, receivedMs) ?? receivedMs;
  if (view.podIP !== undefined) out.ipAssigned = receivedMs;
  const all = view.containers.length > 0 && view.containers.length >= view.containerCount;
  if (all && view.containers.every((c) => (c.imageID ?? '') !== '')) out.imagesReady = receivedMs;
  if (all && view.containers.every((c) => c.state?.running !== undefined || c.state?.terminated !== undefined)) {
    const starts = view.containers.map((c) => secondsTime(c.state?.running?.startedAt, receivedMs) ?? receivedMs);
    out.started = Math.max(...starts);
  }
  const ready = condition('Ready');
  if (ready) out.ready = secondsTime(ready.lastTransitionTime, receivedMs) ?? receivedMs;
  return out;
}

/** The restarts of a pod's containers, as `kubectl get pods` adds them up. */
export function restartsOf(pod: KubeObject): number {
  return podStatusView(pod).containers.reduce((n, c) => n + (c.restartCount ?? 0), 0);
}
