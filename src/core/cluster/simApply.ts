// What applying an object to the simulator writes, as far as server-side apply's outcome can be
// had without managedFields: the applied configuration's labels, annotations and top-level
// fields replace the stored ones; what the cluster set (status, uid, resourceVersion) stays.
import type { KubeObject, ObjectMeta, ResourceInfo } from '../sim/store/objects';

/** Fields of an applied object that are not configuration: the cluster owns them. */
const clusterOwned = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/** The object to write for an applied configuration: its namespace set, its server-set metadata dropped. */
export function appliedObject(object: KubeObject, info: ResourceInfo, namespace: string | null): KubeObject {
  const { metadata } = object;
  const applied: ObjectMeta = {
    name: metadata.name,
    ...(namespace === null ? {} : { namespace }),
    ...(metadata.generateName === undefined ? {} : { generateName: metadata.generateName }),
    ...(metadata.labels === undefined ? {} : { labels: metadata.labels }),
    ...(metadata.annotations === undefined ? {} : { annotations: metadata.annotations }),
    ...(metadata.finalizers === undefined ? {} : { finalizers: metadata.finalizers }),
    ...(metadata.ownerReferences === undefined ? {} : { ownerReferences: metadata.ownerReferences }),
  };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (!clusterOwned.has(key)) fields[key] = value;
  return { ...fields, apiVersion: object.apiVersion ?? info.apiVersion, kind: object.kind, metadata: applied };
}

/** JSON with object keys sorted, so that two values compare equal whatever order their keys came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * Whether the stored object already holds everything the applied configuration sets, so that
 * applying it writes nothing (server-side apply answers `unchanged` without a new resourceVersion).
 * The stored object has defaults the configuration leaves out: a field counts as held when the
 * stored value contains the applied one (maps key by key, lists element by element).
 */
export function sameApplied(stored: KubeObject, applied: KubeObject): boolean {
  for (const [key, value] of Object.entries(applied)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      const m = applied.metadata;
      if (!contains(stored.metadata.labels ?? {}, m.labels ?? {})) return false;
      if (!contains(stored.metadata.annotations ?? {}, m.annotations ?? {})) return false;
      continue;
    }
    if (!contains(stored[key], value)) return false;
  }
  return true;
}

function contains(stored: unknown, applied: unknown): boolean {
  if (applied === null || typeof applied !== 'object') return canonical(stored) === canonical(applied);
  if (Array.isArray(applied))
    return Array.isArray(stored) && stored.length === applied.length && applied.every((a, i) => contains(stored[i], a));
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return false;
  const s = stored as Record<string, unknown>;
  return Object.entries(applied).every(([k, v]) => contains(s[k], v));
}
