// What a pod worker needs from its node's kubelet: the shared context, the node-level
// services (image store, IP allocation, back-offs) and the observer of pod phases.
import type { Pod } from '../store/kinds';
import type { SeededRandom } from '../../base/random';
import type { EventCause } from '../../trace/model/eventCause';
import type { EventSeverity, Lane } from '../../trace/model/traceEvent';
import type { SimContext } from '../client/context';
import type { Latencies } from '../profile/profile';
import type { Backoff, NodeImages, PullOutcome } from './imageManager';
import type { PodObserver } from '../../trace/model/podObserver';

/** How a kubelet event is recorded: the container it concerns, its causes, what in the pod made it happen. */
export interface KubeletEventOptions {
  readonly fieldPath?: string;
  readonly causes?: readonly number[];
  readonly cause?: EventCause;
  readonly lane?: Lane;
  readonly duration?: number;
}

export interface KubeletNoteOptions extends KubeletEventOptions {
  readonly severity?: EventSeverity;
}

export interface KubeletHost {
  readonly ctx: SimContext;
  readonly nodeName: string;
  /**
   * `system:node:<name>`, the user its requests are made as (one string: the apiserver keys its per-user order by it).
   */
  readonly user: string;
  readonly hostIP: string;
  readonly latencies: Latencies;
  readonly random: SeededRandom;
  readonly images: NodeImages;
  readonly imageBackoff: Backoff;
  readonly crashBackoff: Backoff;
  readonly observer: PodObserver;
  readonly down: boolean;
  allocateIp(): string;
  releaseIp(ip: string): void;
  /** The registry's answer for a pull of `image` by `pod`. */
  pullOutcome(pod: Pod, image: string): PullOutcome;
  /** A kubelet event (core/v1, source kubelet on this host); returns its trace id. */
  record(pod: Pod, severity: EventSeverity, reason: string, message: string, options?: KubeletEventOptions): number;
  /** A trace-only step (no Kubernetes Event): sandbox, CNI, volumes, status patches, the app. */
  note(pod: Pod, lane: Lane, reason: string, message: string, options?: KubeletNoteOptions): number;
  onWorkerDone(uid: string): void;
  /** A pull finished: the node will report the image in its status. */
  imagePulled(image: string, sizeBytes: number): void;
}
