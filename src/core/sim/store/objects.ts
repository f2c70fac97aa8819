// The shape of stored objects, and the table of resources the simulated apiserver knows.
// Objects are stored as plain JSON-like values and treated as immutable: a writer builds a
// new object (sharing the unchanged parts) instead of mutating, so watchers can keep
// references without deep copies.
import { flat } from '../../base/flatString';

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/**
 * The store writes each object's key into its metadata under a symbol, which JSON and
 * for-in never see and object spreads carry to the next version: the watchers and
 * controllers that ask for it hundreds of thousands of times find it there.
 */
export const storeKey = Symbol('podtrace.storeKey');

export interface ObjectMeta {
  readonly name: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly deletionGracePeriodSeconds?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly finalizers?: readonly string[];
  readonly ownerReferences?: readonly OwnerReference[];
  readonly [storeKey]?: string;
}

/**
 * A stored object. Its spec and status are typed per kind (`Pod` is `KubeObject<PodSpec, PodStatus>`,
 * see kinds.ts); kinds that keep their fields beside the metadata (ConfigMap, Event, EndpointSlice)
 * add them with an intersection. The index signature lets code that handles every kind read a
 * field it does not know by name. A bare `KubeObject` (of a kind not named) has an unknown spec and
 * status: code that reads them names the kind, or narrows with `isKind`.
 */
export interface KubeObject<Spec = unknown, Status = unknown> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly spec?: Spec;
  readonly status?: Status;
  readonly [field: string]: unknown;
}

/** A pod's `spec.nodeName`, the one field the store selects on (a kubelet's watch); other kinds have none. */
export function nodeNameOf(object: KubeObject<unknown, unknown>): string | undefined {
  const spec = object.spec;
  if (typeof spec !== 'object' || spec === null || !('nodeName' in spec)) return undefined;
  return typeof spec.nodeName === 'string' ? spec.nodeName : undefined;
}

export interface ResourceInfo {
  readonly resource: string;
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespaced: boolean;
}

const resourceTable: readonly ResourceInfo[] = [
  { resource: 'namespaces', kind: 'Namespace', apiVersion: 'v1', namespaced: false },
  { resource: 'nodes', kind: 'Node', apiVersion: 'v1', namespaced: false },
  { resource: 'pods', kind: 'Pod', apiVersion: 'v1', namespaced: true },
  { resource: 'services', kind: 'Service', apiVersion: 'v1', namespaced: true },
  { resource: 'configmaps', kind: 'ConfigMap', apiVersion: 'v1', namespaced: true },
  { resource: 'secrets', kind: 'Secret', apiVersion: 'v1', namespaced: true },
  { resource: 'serviceaccounts', kind: 'ServiceAccount', apiVersion: 'v1', namespaced: true },
  { resource: 'limitranges', kind: 'LimitRange', apiVersion: 'v1', namespaced: true },
  { resource: 'resourcequotas', kind: 'ResourceQuota', apiVersion: 'v1', namespaced: true },
  { resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', namespaced: true },
  { resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespaced: true },
  { resource: 'persistentvolumes', kind: 'PersistentVolume', apiVersion: 'v1', namespaced: false },
  { resource: 'storageclasses', kind: 'StorageClass', apiVersion: 'storage.k8s.io/v1', namespaced: false },
  { resource: 'priorityclasses', kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', namespaced: false },
  { resource: 'events', kind: 'Event', apiVersion: 'v1', namespaced: true },
  { resource: 'endpointslices', kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', namespaced: true },
  { resource: 'deployments', kind: 'Deployment', apiVersion: 'apps/v1', namespaced: true },
  { resource: 'replicasets', kind: 'ReplicaSet', apiVersion: 'apps/v1', namespaced: true },
  { resource: 'daemonsets', kind: 'DaemonSet', apiVersion: 'apps/v1', namespaced: true },
  { resource: 'statefulsets', kind: 'StatefulSet', apiVersion: 'apps/v1', namespaced: true },
  { resource: 'jobs', kind: 'Job', apiVersion: 'batch/v1', namespaced: true },
  { resource: 'cronjobs', kind: 'CronJob', apiVersion: 'batch/v1', namespaced: true },
  { resource: 'ingresses', kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', namespaced: true },
  { resource: 'leases', kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', namespaced: true },
];

const byKind = new Map(resourceTable.map((r) => [r.kind, r]));
const byResource = new Map(resourceTable.map((r) => [r.resource, r]));

export function resourceForKind(kind: string): ResourceInfo | undefined {
  return byKind.get(kind);
}

export function resourceInfo(resource: string): ResourceInfo | undefined {
  return byResource.get(resource);
}

/**
 * `namespace/name` for namespaced objects, `name` otherwise: the store's key. Keys are kept
 * by namespace, then name: every version of an object carries the same name and namespace
 * strings, so its key is found instead of built, and is one string whose hash the maps that
 * use it have already computed. (Namespace first: a run has a few namespaces, whose maps
 * stay at hand, and one lookup among many names.)
 */
const keys = new Map<string, Map<string, string>>();
let keyCount = 0;

export function objectKey(namespace: string | undefined, name: string): string {
  if (!namespace) return name;
  let byName = keys.get(namespace);
  if (byName === undefined) keys.set(namespace, (byName = new Map()));
  let key = byName.get(name);
  if (key === undefined) {
    if (++keyCount > 500_000) {
      keys.clear();
      keys.set(namespace, (byName = new Map()));
      keyCount = 1;
    }
    byName.set(name, (key = flat(`${namespace}/${name}`)));
  }
  return key;
}

export function keyOf(object: KubeObject): string {
  const stored = object.metadata[storeKey];
  return stored ?? objectKey(object.metadata.namespace, object.metadata.name);
}

/** Matches equality-based label selectors and `matchLabels`/`matchExpressions` ones. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  if (selector.matchLabels) for (const k in selector.matchLabels) if (have[k] !== selector.matchLabels[k]) return false;
  for (const e of selector.matchExpressions ?? []) {
    const v = have[e.key];
    switch (e.operator) {
      case 'In':
        if (v === undefined || !(e.values ?? []).includes(v)) return false;
        break;
      case 'NotIn':
        if (v !== undefined && (e.values ?? []).includes(v)) return false;
        break;
      case 'Exists':
        if (v === undefined) return false;
        break;
      case 'DoesNotExist':
        if (v !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A Service's `spec.selector` (a plain map): an empty or missing one selects nothing for endpoints. */
export function mapSelectorMatches(
  selector: Readonly<Record<string, string>> | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  let any = false;
  for (const k in selector) {
    any = true;
    if (have[k] !== selector[k]) return false;
  }
  return any;
}
