// ResourceQuota: what an object charges to its namespace's quotas (pkg/quota/v1/evaluator/core),
// and the ResourceQuota admission plugin (apiserver/pkg/admission/plugin/resourcequota),
// the last validating step of a create. Quotas constrain what their status.hard names (the
// controller copies it from the spec); one whose usage is missing for a resource it constrains
// refuses what it constrains (`status unknown for quota`); cpu and memory quotas
// need every container to say its requests or limits (`failed quota: … must specify …`);
// a create that would go over a hard limit is refused with `exceeded quota: …, requested:
// …, used: …, limited: …`; one that fits is charged to the quota's status.used at once.
import { ApiError } from '../store/apiError';
import type { KubeObject } from '../store/objects';
import { isKind, type Pod, type ResourceQuota } from '../store/kinds';
import type { ObjectStore } from '../store/store';
import { claimRequest } from '../helpers/volumeUtil';
import {
  compareQuantities,
  formatQuantity,
  parseQuantity,
  quantitySign,
  zeroQuantity as zero,
  type Quantity,
} from '../../base/quantity';
import { addQuantities, countQuantity } from '../../base/quantityAmount';
import type { AdmissionContext, AdmissionRequest, ValidatingPlugin } from './pipeline';

/**
 * Usage as quantities, summed exactly as the quota code's Quantity.Add sums them: a sum keeps
 * the format of its first non-zero part, so `128M` requests are used as `256M`, `128Mi` as `256Mi`.
 */
export type Usage = Map<string, Quantity>;

/** The resources a pod must state for every container once a quota constrains them (the evaluator's validationSet). */
const mustSpecify = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/** A quantity field's value, zero when absent (the validator refuses unreadable ones before they reach the cluster). */
export function quantityOf(value: unknown): Quantity {
  return parseQuantity(value) ?? zero;
}

/**
 * A pod's resources as resourcehelper.PodRequests and PodLimits sum them: its containers' sum,
 * or its largest init container when that is larger; undefined when no container states it.
 */
function podResource(pod: Pod, field: 'requests' | 'limits', name: string): Quantity | undefined {
  let sum: Quantity | undefined;
  for (const c of pod.spec?.containers ?? []) {
    const q = parseQuantity(c.resources?.[field]?.[name]);
    if (q) sum = sum ? addQuantities(sum, q) : q;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const q = parseQuantity(c.resources?.[field]?.[name]);
    if (q && (!sum || compareQuantities(q, sum) > 0)) sum = q;
  }
  return sum;
}

/** QuotaV1Pod: a pod that finished, or whose deletion grace has run out, no longer counts. */
export function podCharged(pod: Pod, nowIso: string): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deletion = pod.metadata.deletionTimestamp;
  return !(deletion !== undefined && pod.metadata.deletionGracePeriodSeconds !== undefined && nowIso > deletion);
}

/**
 * What one object charges to a quota with these hard resources (only the ones the quota
 * names, and only what the object has: a pod without a memory request charges no memory).
 * A pod that no longer counts (`charged` false) still charges count/pods.
 */
export function usageOf(object: KubeObject, hard: readonly string[], charged = true): Usage {
  const usage: Usage = new Map();
  const charge = (name: string, amount: Quantity | number | undefined) => {
    const q = typeof amount === 'number' ? countQuantity(amount) : amount;
    if (!q || quantitySign(q) <= 0 || !hard.includes(name)) return;
    // A first charge is the pod's own quantity, printed as written when that was canonical.
    const before = usage.get(name);
    usage.set(name, before ? addQuantities(before, q) : q);
  };
  // Each kind check is the `switch` on the kind it replaced, and narrows the object for the types.
  if (isKind(object, 'Pod')) {
    charge('count/pods', 1);
    if (charged) {
      charge('pods', 1);
      for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
        const requested = podResource(object, 'requests', r);
        charge(`requests.${r}`, requested);
        charge(r, requested);
        charge(`limits.${r}`, podResource(object, 'limits', r));
      }
    }
  } else if (isKind(object, 'PersistentVolumeClaim')) {
    const storage = parseQuantity(claimRequest(object));
    charge('persistentvolumeclaims', 1);
    charge('count/persistentvolumeclaims', 1);
    charge('requests.storage', storage);
    const className = object.spec?.storageClassName;
    if (className) {
      charge(`${className}.storageclass.storage.k8s.io/persistentvolumeclaims`, 1);
      charge(`${className}.storageclass.storage.k8s.io/requests.storage`, storage);
    }
  } else if (isKind(object, 'Service')) {
    charge('services', 1);
    charge('count/services', 1);
    if (object.spec?.type === 'LoadBalancer') charge('services.loadbalancers', 1);
    if (object.spec?.type === 'NodePort' || object.spec?.type === 'LoadBalancer')
      charge('services.nodeports', (object.spec?.ports ?? []).length);
  } else {
    charge(`count/${resourceKey(object)}`, 1);
    for (const [kind, name] of [
      ['ConfigMap', 'configmaps'],
      ['Secret', 'secrets'],
    ] as const)
      if (object.kind === kind) charge(name, 1);
  }
  return usage;
}

const podResources =
  /^(pods|count\/pods|cpu|memory|ephemeral-storage|(requests|limits)\.(cpu|memory|ephemeral-storage))$/;
// The namespace's claims and storage, or those of one storage class (`<class>.storageclass.storage.k8s.io/...`).
const claimResources = new RegExp(
  `${/^(persistentvolumeclaims|count\/persistentvolumeclaims|requests\.storage)$/.source}|` +
    /^.+\.storageclass\.storage\.k8s\.io\/(persistentvolumeclaims|requests\.storage)$/.source,
);
const serviceResources = /^(services|count\/services|services\.nodeports|services\.loadbalancers)$/;

/** MatchingResources: the quota's resources the object's evaluator can charge, whatever this object charges. */
function matchingResources(object: KubeObject, names: readonly string[]): string[] {
  const pattern =
    object.kind === 'Pod'
      ? podResources
      : object.kind === 'PersistentVolumeClaim'
        ? claimResources
        : object.kind === 'Service'
          ? serviceResources
          : undefined;
  if (pattern) return names.filter((n) => pattern.test(n));
  const count = `count/${resourceKey(object)}`;
  const alias = object.kind === 'ConfigMap' ? 'configmaps' : object.kind === 'Secret' ? 'secrets' : undefined;
  return names.filter((n) => n === count || n === alias);
}

/** `count/<resource>.<group>` names: deployments.apps, jobs.batch; core resources without a group. */
function resourceKey(object: KubeObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  const plural = `${object.kind.toLowerCase()}s`;
  return group ? `${plural}.${group}` : plural;
}

/** The usage of every object in the namespace that a quota with these hard resources counts. */
export function namespaceUsage(store: ObjectStore, namespace: string, hard: readonly string[], nowIso: string): Usage {
  const used: Usage = new Map(hard.map((h) => [h, zero]));
  const add = (usage: Usage) => {
    for (const [k, v] of usage) used.set(k, addQuantities(used.get(k) ?? zero, v));
  };
  for (const pod of store.list('pods', { namespace })) add(usageOf(pod, hard, podCharged(pod, nowIso)));
  for (const resource of [
    'persistentvolumeclaims',
    'services',
    'configmaps',
    'secrets',
    'deployments',
    'replicasets',
    'statefulsets',
    'daemonsets',
    'jobs',
    'cronjobs',
  ]) {
    for (const object of store.list(resource, { namespace })) add(usageOf(object, hard));
  }
  return used;
}

/** `requests.cpu=500m,requests.memory=1Gi`: sorted by name (quota's prettyPrint). */
function pretty(entries: Iterable<[string, string]>): string {
  return [...entries]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

const quotaKinds = new Set([
  'Pod',
  'PersistentVolumeClaim',
  'Service',
  'ConfigMap',
  'Secret',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
]);

export const resourceQuotaAdmission: ValidatingPlugin = {
  name: 'ResourceQuota',
  validate(object: KubeObject, request: AdmissionRequest, context: AdmissionContext): void {
    if (request.verb !== 'create' || !quotaKinds.has(object.kind) || request.namespace === undefined) return;
    const quotas = context.store.list('resourcequotas', { namespace: request.namespace });
    if (quotas.length === 0) return;
    // The generated name in validating admission (see AdmissionRequest.name).
    const forbidden = (message: string) =>
      new ApiError(403, 'Forbidden', `${request.resource} "${request.name}" is forbidden: ${message}`, {
        name: request.name,
        kind: request.resource,
      });
    // Quotas are matched on status.hard (a quota the controller has not synced yet does not
    // constrain anything). A first pass checks what every quota needs of the object and of its
    // own status, so that `failed quota` comes before any `exceeded quota`; then the usage.
    const matching: { quota: ResourceQuota; names: string[] }[] = [];
    for (const quota of [...quotas].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
      const names = matchingResources(object, Object.keys(quota.status?.hard ?? {}));
      if (names.length === 0) continue;
      if (isKind(object, 'Pod')) {
        const missing = missingRequests(object, names);
        if (missing) throw forbidden(`failed quota: ${quota.metadata.name}: must specify ${missing}`);
      }
      const used: Record<string, unknown> = quota.status?.used ?? {};
      if (names.some((n) => used[n] === undefined))
        throw forbidden(`status unknown for quota: ${quota.metadata.name}, resources: ${[...names].sort().join(',')}`);
      matching.push({ quota, names });
    }
    const charges: { quota: ResourceQuota; used: Record<string, string> }[] = [];
    for (const { quota, names } of matching) {
      const requested = usageOf(object, names);
      if (requested.size === 0) continue;
      const hard: Record<string, unknown> = quota.status!.hard!;
      const usedText: Record<string, string> = quota.status!.used!;
      const exceeded: string[] = [];
      const next: Record<string, string> = { ...usedText };
      for (const [n, amount] of requested) {
        const total = addQuantities(quantityOf(usedText[n]), amount);
        if (compareQuantities(total, quantityOf(hard[n])) > 0) exceeded.push(n);
        next[n] = formatQuantity(total);
      }
      if (exceeded.length > 0) {
        const pick = (values: (n: string) => string) => pretty(exceeded.map((n) => [n, values(n)] as [string, string]));
        // The used and hard texts are printed as their Quantities print: as stored, when canonical.
        const requestedText = pick((n) => formatQuantity(requested.get(n)!));
        const usedNow = pick((n) => formatQuantity(quantityOf(usedText[n])));
        throw forbidden(
          `exceeded quota: ${quota.metadata.name}, requested: ${requestedText}, used: ` +
            `${usedNow}, limited: ${pick((n) => formatQuantity(quantityOf(hard[n])))}`,
        );
      }
      charges.push({ quota, used: next });
    }
    // Every quota admitted the object: each is charged now, before the object is stored.
    for (const { quota, used } of charges)
      context.store.update(
        'resourcequotas',
        { ...quota, status: { ...quota.status, used } },
        quota.metadata.resourceVersion,
      );
  },
};

/** enforcePodContainerConstraints: `limits.cpu for: app; requests.cpu for: app,sidecar`, or undefined. */
function missingRequests(pod: Pod, hard: readonly string[]): string | undefined {
  const required = mustSpecify.filter((r) => hard.includes(r));
  if (required.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const r of required) {
      const [field, name] = r.includes('.')
        ? (r.split('.') as ['requests' | 'limits', string])
        : (['requests', r] as const);
      if (c.resources?.[field]?.[name] !== undefined) continue;
      let names = missing.get(r);
      if (!names) missing.set(r, (names = new Set()));
      names.add(c.name);
    }
  }
  if (missing.size === 0) return undefined;
  return [...missing.keys()]
    .sort()
    .map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`)
    .join('; ');
}
