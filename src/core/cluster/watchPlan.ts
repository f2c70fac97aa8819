// Which collections a real cluster's trace watches for a set of objects (DESIGN section 6):
// in every namespace the objects are in, Pods, Events and EndpointSlices, the kinds applied,
// and the kinds those own (a Deployment's ReplicaSets, a CronJob's Jobs); cluster-scoped kinds
// once. Kinds podtrace does not know the resource of (custom resources) are not watched: their
// Events still are, since the Event watch covers the namespace.
import { resourceForKind, type KubeObject } from '../sim/store/objects';

export interface WatchedCollection {
  /** The collection's path: `/apis/apps/v1/namespaces/default/deployments`. */
  readonly path: string;
  readonly kind: string;
  readonly apiVersion: string;
}

/** The kinds the controllers of a kind create, which the trace follows by their ownerReferences. */
const ownedKinds: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['ReplicaSet'],
  CronJob: ['Job'],
  StatefulSet: ['PersistentVolumeClaim'],
};

/** Watched in every namespace of the objects, whatever their kinds. */
const alwaysKinds = ['Pod', 'Event', 'EndpointSlice'] as const;

/** The API path of a collection: `/api/v1/...` for the core group, `/apis/<group>/<version>/...` otherwise. */
export function collectionPath(apiVersion: string, resource: string, namespace: string | null): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return namespace === null ? `${base}/${resource}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

/** The collections to watch for `objects`, each once, objects without a namespace going to `defaultNamespace`. */
export function watchPlan(objects: readonly KubeObject[], defaultNamespace: string): WatchedCollection[] {
  const out = new Map<string, WatchedCollection>();
  const add = (kind: string, namespace: string | null) => {
    const info = resourceForKind(kind);
    if (!info) return;
    const ns = info.namespaced ? namespace : null;
    if (info.namespaced && ns === null) return;
    const path = collectionPath(info.apiVersion, info.resource, ns);
    if (!out.has(path)) out.set(path, { path, kind: info.kind, apiVersion: info.apiVersion });
  };
  const namespaces = new Set<string>();
  for (const o of objects) {
    const info = resourceForKind(o.kind);
    const namespace = info?.namespaced === false ? null : (o.metadata?.namespace ?? defaultNamespace);
    if (namespace !== null) namespaces.add(namespace);
    add(o.kind, namespace);
    for (const owned of ownedKinds[o.kind] ?? []) add(owned, namespace);
  }
  for (const namespace of namespaces) for (const kind of alwaysKinds) add(kind, namespace);
  return [...out.values()];
}
