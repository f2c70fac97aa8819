// The image step of starting a container (kubelet images.EnsureImageExists): pull policy,
// the node's image cache, serialized pulls, the pull back-off per pod and image, and the
// event texts (Pulling, Pulled, Failed, BackOff, ErrImageNeverPull, InspectFailed).
import { memoize } from '../../base/memo';
import { imageCause } from '../../trace/model/eventCause';
import { normalizeImage } from '../helpers/imageName';
import { imageSizeMb } from './appModel';
import { isValidImageReference, pulledMessage, pullingMessage } from './imageManager';
import type { ContainerState } from './podStatus';
import type { PodContainers, PodWorkerView } from './podWorkerView';

/** Ensures the container's image is on the node, then calls `then`; on failure it records why and retries later. */
export function ensureImage(rt: PodContainers, w: PodWorkerView, c: ContainerState, then: () => void): void {
  const engine = w.host.ctx.engine;
  const image = String(c.spec.image ?? '');
  const host = w.host;
  const pod = w.pod;
  if (!isValidImageReference(image)) {
    c.waitingReason = 'InvalidImageName';
    c.waitingMessage =
      `Failed to apply default image tag "${image}": ` +
      `couldn't parse image name "${image}": invalid reference format`;
    rt.event(c, 'Warning', 'InspectFailed', c.waitingMessage, imageCause);
    rt.event(c, 'Warning', 'Failed', 'Error: InvalidImageName', imageCause);
    w.markDirty();
    return;
  }
  const policy = c.spec.imagePullPolicy ?? 'IfNotPresent';
  const present = host.images.has(image);
  if (policy === 'Never' && !present) {
    c.waitingReason = 'ErrImageNeverPull';
    c.waitingMessage = `Container image "${image}" is not present with pull policy of Never`;
    rt.event(c, 'Warning', 'ErrImageNeverPull', c.waitingMessage, imageCause);
    rt.event(c, 'Warning', 'Failed', 'Error: ErrImageNeverPull', imageCause);
    w.markDirty();
    return;
  }
  const imagesReady = () => {
    if (!c.isInit && w.containers.every((x) => x === c || host.images.has(String(x.spec.image)))) {
      host.observer.mark(w.uid, pod.metadata.namespace!, pod.metadata.name, 'imagesReady', engine.now(), w.cause);
    }
  };
  if (present && policy !== 'Always') {
    rt.event(c, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, imageCause);
    c.imageId = imageId(image);
    imagesReady();
    return then();
  }
  const key = `${w.uid}_${image}`;
  const now = engine.now();
  const failedAt = c.pullFailedAt;
  if (failedAt !== undefined && host.imageBackoff.isInBackOffSince(key, failedAt, now)) {
    c.waitingReason = 'ImagePullBackOff';
    c.waitingMessage = `Back-off pulling image "${image}": ErrImagePull: ${c.pullError}`;
    rt.event(c, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, imageCause);
    rt.event(c, 'Warning', 'Failed', 'Error: ImagePullBackOff', imageCause);
    w.markDirty();
    return rt.resyncAfterError(c, () => ensureImage(rt, w, c, then));
  }
  rt.event(c, 'Normal', 'Pulling', pullingMessage(image), imageCause);
  const sizeMb = imageSizeMb(pod, image, host.ctx.profile.imageSizesMb, host.latencies.constant('defaultImageSizeMb'));
  const outcome = host.pullOutcome(pod, image);
  const duration = host.latencies.of('imagePullBase') + sizeMb * host.latencies.of('imagePullPerMb');
  host.images.pull(image, duration, outcome, (result) => {
    if (w.terminating || host.down) return;
    if (result.outcome.ok) {
      c.imageId = imageId(image);
      host.imagePulled(image, result.outcome.sizeBytes);
      const id = host.record(pod, 'Normal', 'Pulled', pulledMessage(image, result, result.outcome.sizeBytes), {
        fieldPath: c.fieldPath,
        causes: w.causes(),
        cause: imageCause,
        lane: 'cri',
        duration: result.pullMs,
      });
      w.cause = id;
      imagesReady();
      return then();
    }
    c.pullFailedAt = engine.now();
    c.pullError = result.outcome.error;
    host.imageBackoff.next(key, engine.now());
    c.waitingReason = 'ErrImagePull';
    c.waitingMessage = result.outcome.error;
    rt.event(c, 'Warning', 'Failed', `Failed to pull image "${image}": ${result.outcome.error}`, imageCause);
    rt.event(c, 'Warning', 'Failed', 'Error: ErrImagePull', imageCause);
    w.markDirty();
    rt.resyncAfterError(c, () => ensureImage(rt, w, c, then));
  });
}

/** A stable fake digest per image, so imageID looks like the runtime's (made once per image). */
const imageId = memoize(digestOf, 10_000);

function digestOf(image: string): string {
  let h = 0x811c9dc5;
  const out: string[] = [];
  for (let round = 0; round < 8; round++) {
    for (let i = 0; i < image.length; i++) h = Math.imul(h ^ image.charCodeAt(i) ^ round, 0x01000193) >>> 0;
    out.push(h.toString(16).padStart(8, '0'));
  }
  return `${normalizeImage(image).replace(/:[^/:]+$/, '')}@sha256:${out.join('')}`;
}
