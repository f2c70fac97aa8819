// Rolling-update arithmetic (pkg/controller/deployment/util): maxSurge rounds up,
// maxUnavailable rounds down, and both zero means one may be unavailable; and the hash of a
// pod template that names its revision.
import { podTemplateHash } from '../store/naming';
import type { PodTemplateSpec } from '../../base/apiObjects';
import type { Deployment } from '../store/kinds';

/** An int-or-percent of `total` (maxSurge, maxUnavailable). */
export function scaled(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const text = String(value ?? '0');
  if (text.endsWith('%')) {
    const exact = (Number(text.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return Number(text) || 0;
}

export function resolveFenceposts(d: Deployment, replicas: number): { maxSurge: number; maxUnavailable: number } {
  if (d.spec!.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas };
  const ru = d.spec!.strategy?.rollingUpdate ?? {};
  const maxSurge = scaled(ru.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = scaled(ru.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

const canonicalCache = new WeakMap<object, unknown>();

/**
 * The template the hash is computed over: without the pod-template-hash
 * label (cached per template object, so the hash is too).
 */
export function canonicalTemplate(template: PodTemplateSpec | undefined): unknown {
  if (template && canonicalCache.has(template)) return canonicalCache.get(template);
  const result = stripHashLabel(template);
  if (template) canonicalCache.set(template, result);
  return result;
}

function stripHashLabel(template: PodTemplateSpec | undefined): unknown {
  const labels = { ...(template?.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  return { ...template, metadata: { ...(template?.metadata ?? {}), labels } };
}

const hashes = new WeakMap<object, Map<number, string>>();

/**
 * A pod template's hash (pod-template-hash, controller-revision-hash), worked out once per
 * template object and collision count: a controller syncs hundreds of times.
 */
export function templateHash(template: PodTemplateSpec | undefined, collisionCount = 0): string {
  if (typeof template !== 'object' || template === null)
    return podTemplateHash(canonicalTemplate(template), collisionCount);
  let byCount = hashes.get(template);
  if (!byCount) hashes.set(template, (byCount = new Map()));
  let hash = byCount.get(collisionCount);
  if (hash === undefined)
    byCount.set(collisionCount, (hash = podTemplateHash(canonicalTemplate(template), collisionCount)));
  return hash;
}
