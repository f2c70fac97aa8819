// Pod status as the kubelet generates it (pkg/kubelet/kubelet_pods.go generateAPIPodStatus
// and pkg/kubelet/status/generate.go): phase, conditions in the order kubectl shows them
// (PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled) each with
// its own lastTransitionTime, container statuses sorted by name, init ones in spec order.
import type { Pod } from '../store/kinds';
import type {
  Building,
  Container,
  ContainerState as ContainerStateSpec,
  ContainerStateWaiting,
  ContainerStatus,
  PodCondition,
  PodStatus,
} from '../../base/apiObjects';
import type { TimerHandle } from '../engine/engine';
import { memoize } from '../../base/memo';
import { rfc3339 } from '../store/naming';
import type { AppBehaviour } from './appModel';

export interface ContainerState {
  readonly spec: Container;
  readonly name: string;
  readonly isInit: boolean;
  /**
   * A restartable init container (restartPolicy: Always), a sidecar: it keeps running beside the regular containers.
   */
  readonly restartable: boolean;
  /** A sidecar that has started once: the next init container (or the regular ones) may go. */
  initialized: boolean;
  /** `spec.containers{web}`: the involvedObject.fieldPath of container events. */
  readonly fieldPath: string;
  readonly behaviour: AppBehaviour;
  state: 'waiting' | 'running' | 'terminated';
  waitingReason: string;
  waitingMessage?: string;
  /** When the last pull of the image failed, and its error: what ImagePullBackOff reports. */
  pullFailedAt?: number;
  pullError?: string;
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
export const conditionOrder: readonly ConditionType[] = [
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
  'PodScheduled',
];

export interface ConditionState {
  status: 'True' | 'False';
  time: number;
}

export interface StatusInput {
  readonly pod: Pod;
  readonly hostIP: string;
  readonly podIP: string | undefined;
  readonly startTime: number | undefined;
  readonly containers: readonly ContainerState[];
  readonly initContainers: readonly ContainerState[];
  readonly conditions: ReadonlyMap<ConditionType, ConditionState>;
  readonly phase: string;
  readonly reason?: string;
  readonly message?: string;
  /** The pod's QoS class when the caller keeps it (it never changes for a pod). */
  readonly qosClass?: string;
}

// Statuses are built field by field in the API's order, optional fields only when set: a
// kubelet writes several per pod, and literals with conditional spreads cost far more.
function containerStatus(c: ContainerState): ContainerStatus {
  let state: ContainerStateSpec;
  if (c.state === 'running') state = { running: { startedAt: rfc3339(c.startedAt ?? 0) } };
  else if (c.state === 'terminated')
    state = {
      terminated: {
        exitCode: c.exitCode ?? 0,
        reason: c.termReason ?? 'Completed',
        startedAt: rfc3339(c.startedAt ?? 0),
        finishedAt: rfc3339(c.finishedAt ?? 0),
        containerID: c.containerId,
      },
    };
  else {
    const waiting: Building<ContainerStateWaiting> = { reason: c.waitingReason };
    if (c.waitingMessage) waiting.message = c.waitingMessage;
    state = { waiting };
  }
  const last = c.lastTerminated
    ? {
        terminated: {
          exitCode: c.lastTerminated.exitCode,
          reason: c.lastTerminated.reason,
          startedAt: rfc3339(c.lastTerminated.startedAt),
          finishedAt: rfc3339(c.lastTerminated.finishedAt),
          containerID: c.lastTerminated.containerID,
        },
      }
    : {};
  const status: Building<ContainerStatus> = {
    name: c.name,
    state,
    lastState: last,
    ready: c.ready,
    restartCount: c.restartCount,
    // Validation requires an image; the status repeats it.
    image: c.spec.image!,
    imageID: c.imageId ?? '',
  };
  if (c.containerId) status.containerID = c.containerId;
  status.started = c.started;
  return status;
}

const qosBySpec = new WeakMap<object, string>();

/** v1qos.GetPodQOS for cpu and memory (a function of the spec, which never changes in place). */
export function qosClass(pod: Pod): string {
  const known = qosBySpec.get(pod.spec!);
  if (known !== undefined) return known;
  const qos = computeQosClass(pod);
  qosBySpec.set(pod.spec!, qos);
  return qos;
}

function computeQosClass(pod: Pod): string {
  let any = false;
  let guaranteed = true;
  for (const c of pod.spec!.containers ?? []) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory'])
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

// Parts of statuses that many pods write alike are shared (statuses are never changed in
// place): a True condition is the same for every pod whose condition turned True in the
// same second, and a node's hostIPs are the same for all its pods.
const plainConditions = new Map(
  conditionOrder.map((type) => [
    type,
    memoize(
      (second: number) =>
        Object.freeze({ type, status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(second * 1000) }),
      65536,
    ),
  ]),
);

function plainCondition(type: ConditionType, time: number): PodCondition {
  return plainConditions.get(type)!(Math.floor(time / 1000));
}

const hostIPsOf = memoize(
  (ip: string): readonly { readonly ip: string }[] => Object.freeze([Object.freeze({ ip })]),
  65536,
);

/** `[a b]`: the names of the containers that match, as the kubelet lists them; undefined for none. */
function namesWhere(list: readonly ContainerState[], match: (c: ContainerState) => boolean): string | undefined {
  let names: string | undefined;
  for (const c of list) if (match(c)) names = names === undefined ? c.name : `${names} ${c.name}`;
  return names === undefined ? undefined : `[${names}]`;
}

/** A status the kubelet generates: it always has a phase and its conditions. */
export type GeneratedStatus = PodStatus & { readonly phase: string; readonly conditions: readonly PodCondition[] };

export function generateStatus(input: StatusInput): GeneratedStatus {
  const conditions: PodCondition[] = [];
  for (const type of conditionOrder) {
    const c = input.conditions.get(type);
    if (c === undefined) continue;
    const plain = c.status === 'True' && input.phase !== 'Succeeded';
    if (plain) {
      conditions.push(plainCondition(type, c.time));
      continue;
    }
    const condition: Building<PodCondition> = {
      type,
      status: c.status,
      lastProbeTime: null,
      lastTransitionTime: rfc3339(c.time),
    };
    if (c.status === 'False' && (type === 'Ready' || type === 'ContainersReady')) {
      // Sidecars first, as generateContainersReadyCondition lists them.
      const unready = namesWhere(
        [...input.initContainers.filter((x) => x.restartable), ...input.containers],
        (x) => !x.ready,
      );
      if (unready) {
        condition.reason = 'ContainersNotReady';
        condition.message = `containers with unready status: ${unready}`;
      }
    }
    if (c.status === 'False' && type === 'Initialized') {
      const incomplete = namesWhere(input.initContainers, (x) =>
        x.restartable ? !x.initialized : !(x.state === 'terminated' && x.exitCode === 0),
      );
      if (incomplete) {
        condition.reason = 'ContainersNotInitialized';
        condition.message = `containers with incomplete status: ${incomplete}`;
      }
    }
    if (input.phase === 'Succeeded' && (type === 'Ready' || type === 'ContainersReady'))
      condition.reason = 'PodCompleted';
    conditions.push(condition);
  }
  const sorted =
    input.containers.length > 1
      ? [...input.containers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      : input.containers;
  const status: Building<GeneratedStatus> = {
    phase: input.phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: hostIPsOf(input.hostIP),
  };
  if (input.podIP) {
    status.podIP = input.podIP;
    status.podIPs = [{ ip: input.podIP }];
  }
  if (input.startTime !== undefined) status.startTime = rfc3339(input.startTime);
  if (input.initContainers.length > 0) status.initContainerStatuses = input.initContainers.map(containerStatus);
  status.containerStatuses = sorted.map(containerStatus);
  status.qosClass = input.qosClass ?? qosClass(input.pod);
  if (input.reason) status.reason = input.reason;
  if (input.message) status.message = input.message;
  return status;
}
