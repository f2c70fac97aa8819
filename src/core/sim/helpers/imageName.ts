// The full name of a container image as the kubelet and the scheduler's ImageLocality name it.
import { memoize } from '../../base/memo';

/** docker.io/library/ normalisation and the :latest default, as the kubelet names images (kept per image text). */
export const normalizeImage = memoize(normalize, 10_000);

function normalize(image: string): string {
  let ref = image;
  const lastSlash = ref.lastIndexOf('/');
  if (!ref.includes('@') && ref.indexOf(':', lastSlash + 1) < 0) ref += ':latest';
  const first = ref.split('/')[0];
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}
