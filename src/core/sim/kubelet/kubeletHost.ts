// What a pod worker needs from its node's kubelet: the shared context, the node-level
// services (image store, IP allocation, back-offs) and the observer of pod phases.
import type { SeededRandom } from '../../base/random';
import type { EventSeverity, Lane } from '../../trace/traceEvent';
import type { SimContext } from '../context';
import type { Latencies } from '../profile/profile';
import type { KubeObject } from '../store/objects';
import type { Backoff, NodeImages, PullOutcome } from './imageManager';
import type { PodObserver } from './podObserver';

export interface KubeletHost {
  readonly ctx: SimContext;
  readonly nodeName: string;
  /** `system:node:<name>`, the user its requests are made as (one string: the apiserver keys its per-user order by it). */
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
  pullOutcome(pod: KubeObject, image: string): PullOutcome;
  /** A kubelet event (core/v1, source kubelet on this host); returns its trace id. */
  record(pod: KubeObject, severity: EventSeverity, reason: string, message: string, options?: { fieldPath?: string; causes?: readonly number[]; lane?: Lane; duration?: number }): number;
  /** A trace-only step (no Kubernetes Event): sandbox, CNI, volumes, status patches, the app. */
  note(pod: KubeObject, lane: Lane, reason: string, message: string, options?: { causes?: readonly number[]; duration?: number; severity?: EventSeverity; fieldPath?: string }): number;
  onWorkerDone(uid: string): void;
  /** A pull finished: the node will report the image in its status. */
  imagePulled(image: string, sizeBytes: number): void;
}
