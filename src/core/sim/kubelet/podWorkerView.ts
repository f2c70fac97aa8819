// What the parts of one pod's life (the container runtime, the image step, termination) need
// of the pod worker that owns them, and of its container runtime, as interfaces. They import
// these instead of podWorker.ts and containerRuntime.ts, which import them, so that the worker
// and its parts form no import cycle.
import type { Pod } from '../store/kinds';
import type { EventCause } from '../../trace/model/eventCause';
import type { KubeletHost } from './kubeletHost';
import type { ConditionType, ContainerState } from './podStatus';

/** The container runtime of one pod, as the image step and termination use it. */
export interface PodContainers {
  /** A kubelet event about container `c` (and, with `cause`, about that part of it); its trace id. */
  event(
    c: ContainerState,
    severity: 'Normal' | 'Warning',
    reason: string,
    message: string,
    cause?: EventCause,
    lane?: 'kubelet' | 'cri',
  ): number;
  /** Calls `retry` after the pod worker's back-off with jitter, unless the pod ends or the node goes down. */
  resyncAfterError(c: ContainerState, retry: () => void): void;
  stopProbes(c: ContainerState): void;
  /** Stops the container (preStop, SIGTERM, SIGKILL after `graceMs`), then calls `done`. */
  kill(c: ContainerState, graceMs: number, done: () => void): void;
}

/** One pod's worker on a node, as the parts of its life see it. */
export interface PodWorkerView {
  readonly pod: Pod;
  readonly uid: string;
  readonly host: KubeletHost;
  readonly containers: ContainerState[];
  readonly initContainers: ContainerState[];
  readonly podIP: string | undefined;
  readonly runtime: PodContainers;
  terminating: boolean;
  finished: boolean;
  /** The trace id that the next step is caused by. */
  cause: number | undefined;
  causes(): readonly number[];
  markDirty(): void;
  patchStatus(onDone?: () => void): void;
  setCondition(type: ConditionType, value: boolean): void;
  stopSandbox(then: () => void): void;
  ended(): void;
  phase(): string;
  refreshReadiness(): void;
  startNext(): void;
}
