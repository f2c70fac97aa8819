// What the apiserver (and kubectl before it) would refuse of a scenario's changes to a stored
// object: a patch, a new image or a replica count. The objects a run starts with were
// validated before the run; what an action makes of them is validated here the same way,
// so that `patch: {merge: {spec: {replicas: lots}}}` is refused as the apiserver refuses it
// rather than stored and run as NaN.
import { validateManifestText } from '../../manifest/validate';
import type { KubernetesVersion } from '../../base/kubernetesVersion';
import type { KubeObject } from '../store/objects';

/** Kinds with a scale subresource: what `kubectl scale` can scale. */
const scalable = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

export function hasScale(kind: string): boolean {
  return scalable.has(kind);
}

/**
 * Why the apiserver would reject `next` as an update of `current`, in its words; undefined
 * when it would accept it. The name and namespace are the URL's: a patch cannot change them.
 */
export function updateRejection(current: KubeObject, next: KubeObject, version: KubernetesVersion): string | undefined {
  const name = (next as { metadata?: { name?: unknown } }).metadata?.name;
  if (name !== current.metadata.name) {
    return `the name of the object (${String(name)}) does not match the name on the URL (${current.metadata.name})`;
  }
  const namespace = (next as { metadata?: { namespace?: unknown } }).metadata?.namespace;
  if (namespace !== current.metadata.namespace) {
    return (
      `the namespace of the object (${String(namespace)}) does not ` +
      `match the namespace on the URL (${current.metadata.namespace})`
    );
  }
  if (next.kind !== current.kind || next.apiVersion !== current.apiVersion) {
    return (
      `the object's kind and apiVersion (${String(next.kind)}, ` +
      `${String(next.apiVersion)}) cannot change from ${current.kind}, ${current.apiVersion}`
    );
  }
  // JSON is YAML: the validator reads the object as it would a manifest.
  const errors = validateManifestText(JSON.stringify(next), { kubernetesVersion: version }).filter(
    (f) => f.severity === 'error',
  );
  if (errors.length === 0) return undefined;
  const shown = errors.slice(0, 3).map((f) => f.message);
  return (
    `${current.kind}.${groupOf(current.apiVersion)} "${current.metadata.name}" is invalid: ` +
    `${shown.join(', ')}${errors.length > 3 ? `, and ${errors.length - 3} more` : ''}`
  );
}

/** `apps/v1` → `apps`; the core group prints as nothing, as the apiserver's messages have it. */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
