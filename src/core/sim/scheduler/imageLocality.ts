// ImageLocality (pkg/scheduler/framework/plugins/imagelocality): the sizes of the pod's images
// already on the node, each scaled by the share of nodes that have it, between 23 MB and
// 1000 MB per container.
import { normalizeImage } from '../helpers/imageName';
import type { Pod } from '../store/kinds';
import { StateKey, type CycleState } from './cycleState';
import type { Plugin } from './framework';
import type { NodeInfo } from './nodeInfo';
import type { SchedulerCache } from './schedulerCache';

const mb = 1024 * 1024;

/** A pod's container images as ids of the cache's image table, each with its spread (nodes having it / all nodes). */
export interface PodImages {
  readonly ids: readonly number[];
  /** Typed: spreads start at 0 and become fractions; a plain array would change its kind under the JIT. */
  readonly spreads: Float64Array;
  readonly containers: number;
  /** Some node has one of them: without, every node scores 0. */
  readonly present: boolean;
}

export function podImages(pod: Pod, imageId: (name: string) => number, spread: (name: string) => number): PodImages {
  const containers = pod.spec!.containers ?? [];
  const n = containers.length;
  const ids: number[] = [];
  const spreads = new Float64Array(n);
  let present = false;
  // One loop, as the scheduler asks for every pod: no callbacks through typed-array builtins.
  for (let i = 0; i < n; i++) {
    const name = normalizeImage(containers[i].image!);
    spreads[i] = spread(name);
    if (spreads[i] > 0) present = true;
    ids.push(imageId(name));
  }
  return { ids, spreads, containers: n, present };
}

/** The shape ImageLocality scores by: each image with its spread (empty when no node has one). */
function imagesShape(images: PodImages): string {
  if (!images.present) return '';
  let shape = '';
  for (let i = 0; i < images.ids.length; i++) shape += `${images.ids[i]}:${images.spreads[i]},`;
  return shape;
}

/** The score of one node. */
export function imageLocalityScore(images: PodImages, info: NodeInfo): number {
  let sum = 0;
  const ids = info.imageIds;
  for (let i = 0; i < images.ids.length; i++) {
    const wanted = images.ids[i];
    for (let j = 0; j < ids.length; j++) {
      if (ids[j] !== wanted) continue;
      sum += info.imageSizes[j] * images.spreads[i];
      break;
    }
  }
  const min = 23 * mb;
  const max = 1000 * mb * images.containers;
  if (sum < min) return 0;
  if (sum > max) return 100;
  return ((sum - min) * 100) / (max - min);
}

/**
 * The plugin. Upstream's has no PreScore and reads the pod's images in each Score; here the
 * shape, which the cycle asks for once before the first Score, reads them for the cycle.
 */
export function imageLocality(cache: SchedulerCache): Plugin {
  const imagesKey = new StateKey<PodImages>('ImageLocality/scoreShape');
  // Score runs for hundreds of nodes per cycle: the cycle's images are read from its state once.
  let cycle: CycleState | undefined;
  let images: PodImages | undefined;
  const imagesOf = (state: CycleState): PodImages => {
    if (state !== cycle) {
      cycle = state;
      images = state.read(imagesKey);
    }
    return images!;
  };
  return {
    name: 'ImageLocality',
    events: [],
    // The score depends on the node's images and on which of the pod's images how many nodes have.
    scoreShape: (state, { pod }) => {
      const total = cache.nodeOrder.length;
      const podImagesNow = podImages(pod, cache.imageId, (image) => (cache.imageNodes.get(image) ?? 0) / total);
      state.write(imagesKey, podImagesNow);
      return imagesShape(podImagesNow);
    },
    score: (state, _pod, info) => {
      const images = imagesOf(state);
      return images.present ? Math.floor(imageLocalityScore(images, info)) : 0;
    },
  };
}
