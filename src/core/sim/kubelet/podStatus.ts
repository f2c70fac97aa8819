// Pod status as the kubelet generates it (pkg/kubelet/kubelet_pods.go generateAPIPodStatus
// and pkg/kubelet/status/generate.go): phase, conditions in the order kubectl shows them
// (PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled) each with
// its own lastTransitionTime, container statuses sorted by name, init ones in spec order.
import type { TimerHandle } from '../engine/engine';
import { rfc3339 } from '../store/naming';
import type { KubeObject } from '../store/objects';
import type { AppBehaviour } from './appModel';

/* eslint-disable @typescript-eslint/no-explicit-any -- status fields are loosely typed. */

export interface ContainerState {
  readonly spec: any;
  readonly name: string;
  readonly isInit: boolean;
  /** `spec.containers{web}`: the involvedObject.fieldPath of container events. */
  readonly fieldPath: string;
  readonly behaviour: AppBehaviour;
  state: 'waiting' | 'running' | 'terminated';
  waitingReason: string;
  waitingMessage?: string;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  termReason?: string;
  lastTerminated?: { exitCode: number; reason: string; startedAt: number; finishedAt: number; containerID: string };
  restartCount: number;
  ready: boolean;
  started: boolean;
  containerId?: string;
  imageId?: string;
  /** The application model: is the process accepting connections, and does it answer probes healthily. */
  listening: boolean;
  failingProbes: boolean;
  timers: TimerHandle[];
}

export type ConditionType = 'PodReadyToStartContainers' | 'Initialized' | 'Ready' | 'ContainersReady' | 'PodScheduled';
export const conditionOrder: readonly ConditionType[] = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

export interface ConditionState {
  status: 'True' | 'False';
  time: number;
}

export interface StatusInput {
  readonly pod: KubeObject;
  readonly hostIP: string;
  readonly podIP: string | undefined;
  readonly startTime: number | undefined;
  readonly containers: readonly ContainerState[];
  readonly initContainers: readonly ContainerState[];
  readonly conditions: ReadonlyMap<ConditionType, ConditionState>;
  readonly phase: string;
  readonly reason?: string;
  readonly message?: string;
}

function containerStatus(c: ContainerState): any {
  const state =
    c.state === 'running'
      ? { running: { startedAt: rfc3339(c.startedAt ?? 0) } }
      : c.state === 'terminated'
        ? { terminated: { exitCode: c.exitCode ?? 0, reason: c.termReason ?? 'Completed', startedAt: rfc3339(c.startedAt ?? 0), finishedAt: rfc3339(c.finishedAt ?? 0), containerID: c.containerId } }
        : { waiting: { reason: c.waitingReason, ...(c.waitingMessage ? { message: c.waitingMessage } : {}) } };
  const last = c.lastTerminated
    ? { terminated: { exitCode: c.lastTerminated.exitCode, reason: c.lastTerminated.reason, startedAt: rfc3339(c.lastTerminated.startedAt), finishedAt: rfc3339(c.lastTerminated.finishedAt), containerID: c.lastTerminated.containerID } }
    : {};
  return {
    name: c.name,
    state,
    lastState: last,
    ready: c.ready,
    restartCount: c.restartCount,
    image: c.spec.image,
    imageID: c.imageId ?? '',
    ...(c.containerId ? { containerID: c.containerId } : {}),
    started: c.started,
  };
}

/** v1qos.GetPodQOS for cpu and memory. */
export function qosClass(pod: KubeObject): string {
  let any = false;
  let guaranteed = true;
  for (const c of pod.spec.containers ?? []) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

export function generateStatus(input: StatusInput): any {
  const names = (list: readonly ContainerState[]) => `[${list.map((c) => c.name).join(' ')}]`;
  const unready = input.containers.filter((c) => !c.ready);
  const incompleteInit = input.initContainers.filter((c) => !(c.state === 'terminated' && c.exitCode === 0));
  const conditions = conditionOrder
    .filter((type) => input.conditions.has(type))
    .map((type) => {
      const c = input.conditions.get(type)!;
      const base: any = { type, status: c.status, lastProbeTime: null, lastTransitionTime: rfc3339(c.time) };
      if (c.status === 'False' && (type === 'Ready' || type === 'ContainersReady') && unready.length > 0) {
        base.reason = 'ContainersNotReady';
        base.message = `containers with unready status: ${names(unready)}`;
      }
      if (c.status === 'False' && type === 'Initialized' && incompleteInit.length > 0) {
        base.reason = 'ContainersNotInitialized';
        base.message = `containers with incomplete status: ${names(incompleteInit)}`;
      }
      if (input.phase === 'Succeeded' && (type === 'Ready' || type === 'ContainersReady')) base.reason = 'PodCompleted';
      return base;
    });
  const sorted = [...input.containers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    phase: input.phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(input.podIP ? { podIP: input.podIP, podIPs: [{ ip: input.podIP }] } : {}),
    ...(input.startTime !== undefined ? { startTime: rfc3339(input.startTime) } : {}),
    ...(input.initContainers.length > 0 ? { initContainerStatuses: input.initContainers.map(containerStatus) } : {}),
    containerStatuses: sorted.map(containerStatus),
    qosClass: qosClass(input.pod),
    ...(input.reason ? { reason: input.reason } : {}),
    ...(input.message ? { message: input.message } : {}),
  };
}
