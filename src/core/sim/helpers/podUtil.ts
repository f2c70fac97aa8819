// Pod predicates shared by controllers, mirroring pkg/api/v1/pod and controller_utils.
import { virtualMsOf } from '../store/naming';
import type { PodCondition, PodStatus } from '../../base/apiObjects';
import type { Pod } from '../store/kinds';

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/**
 * Readiness derived once per status object, kept on it under a symbol (statuses are never
 * changed in place, JSON never shows symbols): controllers ask it of every pod event, and a
 * WeakMap holding tens of thousands of statuses would cost the collector more than it saves.
 */
const readinessKey = Symbol('podtrace.readiness');
const unready: Readiness = Object.freeze({ ready: false, since: undefined });

interface Readiness {
  readonly ready: boolean;
  readonly since: number | undefined;
}

/** A status with the readiness derived from it, which only this file reads and writes. */
type StatusWithReadiness = PodStatus & { [readinessKey]?: Readiness };

function readiness(pod: Pod): Readiness {
  const status: StatusWithReadiness | undefined = pod.status;
  if (!status) return unready;
  let r = status[readinessKey];
  if (!r) {
    const c = podCondition(pod, 'Ready');
    const ready = c?.status === 'True';
    r = ready ? { ready, since: c.lastTransitionTime ? virtualMsOf(c.lastTransitionTime) : undefined } : unready;
    status[readinessKey] = r;
  }
  return r;
}

export function isPodReady(pod: Pod): boolean {
  return readiness(pod).ready;
}

/**
 * The virtual ms at which the pod last became Ready, from the
 * condition's whole-second lastTransitionTime as upstream reads it.
 */
export function readySinceMs(pod: Pod): number | undefined {
  return readiness(pod).since;
}

/** Available = Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const since = readySinceMs(pod);
  if (since === undefined) return false;
  return minReadySeconds === 0 || since + minReadySeconds * 1000 < nowMs;
}

/**
 * podutil.UpdatePodCondition for DisruptionTarget (the condition that says who is about to
 * delete the pod and why): added True, or, when the pod has it already, replaced, keeping
 * its lastTransitionTime unless its status changes.
 */
export function withDisruptionTarget(pod: Pod, reason: string, message: string, time: string): Pod {
  const conditions: readonly PodCondition[] = pod.status?.conditions ?? [];
  const at = conditions.findIndex((c) => c.type === 'DisruptionTarget');
  const old = at >= 0 ? conditions[at] : undefined;
  const condition = {
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: old?.status === 'True' ? old.lastTransitionTime : time,
    reason,
    message,
  };
  const next = at >= 0 ? conditions.map((c, i) => (i === at ? condition : c)) : [...conditions, condition];
  return { ...pod, status: { ...pod.status, conditions: next } };
}

/**
 * The pod conditions a kubelet owns (kubetypes.PodConditionByKubelet);
 * it keeps every other one as the apiserver has it.
 */
const kubeletConditions = new Set([
  'PodScheduled',
  'Ready',
  'Initialized',
  'ContainersReady',
  'PodReadyToStartContainers',
]);

/**
 * The status manager's mergePodStatus: a status the kubelet generated, with the conditions
 * it does not own (DisruptionTarget, a readiness gate's) kept from the current status,
 * ahead of its own.
 */
export function keepForeignConditions(current: PodStatus | undefined, generated: PodStatus): PodStatus {
  const conditions = current?.conditions;
  if (!conditions) return generated;
  let foreign: PodCondition[] | undefined;
  for (const c of conditions) if (!kubeletConditions.has(c.type)) (foreign ??= []).push(c);
  return foreign ? { ...generated, conditions: [...foreign, ...generated.conditions!] } : generated;
}

/** Finished: Succeeded or Failed (a finished pod holds no resources and runs no more). */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * The order in which a ReplicaSet picks pods to delete (controller.ActivePodsWithRanks):
 * unassigned before assigned, Pending before Unknown before Running, not ready before
 * ready, more pods of the set on the same node first, more recently ready first, more
 * restarts first, newer first.
 */
export function compareForDeletion(a: Pod, b: Pod, colocated: (pod: Pod) => number): number {
  const aNode = a.spec?.nodeName ? 1 : 0;
  const bNode = b.spec?.nodeName ? 1 : 0;
  if (aNode !== bNode) return aNode - bNode;
  const aPhase = phaseRank[a.status?.phase ?? 'Pending'] ?? 0;
  const bPhase = phaseRank[b.status?.phase ?? 'Pending'] ?? 0;
  if (aPhase !== bPhase) return aPhase - bPhase;
  const aReady = isPodReady(a) ? 1 : 0;
  const bReady = isPodReady(b) ? 1 : 0;
  if (aReady !== bReady) return aReady - bReady;
  const aRank = colocated(a);
  const bRank = colocated(b);
  if (aRank !== bRank) return bRank - aRank;
  const aSince = readySinceMs(a) ?? 0;
  const bSince = readySinceMs(b) ?? 0;
  if (aReady && bReady && aSince !== bSince) return bSince - aSince;
  const restarts = (p: Pod) =>
    (p.status?.containerStatuses ?? []).reduce((n, c) => Math.max(n, c.restartCount ?? 0), 0);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const aCreated = a.metadata.creationTimestamp ?? '';
  const bCreated = b.metadata.creationTimestamp ?? '';
  if (aCreated !== bCreated) return aCreated < bCreated ? 1 : -1;
  return a.metadata.name < b.metadata.name ? -1 : 1;
}
