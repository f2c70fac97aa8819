// The admission plugins that shape a pod's life, in kube-apiserver's default order
// (NamespaceLifecycle, LimitRanger, ServiceAccount, ..., Priority, DefaultTolerationSeconds).
import { withFields } from '../../base/withFields';
import { ApiError } from '../store/apiError';
import type { Container, ResourceRequirements, Toleration } from '../../base/apiObjects';
import { isKind, type PriorityClass, type Service, type StorageClass } from '../store/kinds';
import { applyDefaults } from '../../manifest/base/defaults';
import type { AdmissionContext, AdmissionRequest, MutatingPlugin, ValidatingPlugin } from './pipeline';

/** Resources that may be created while their namespace is missing: the cluster-scoped ones. */
function namespaceOf(request: AdmissionRequest): string | undefined {
  return request.namespace;
}

/**
 * Rejects writes into a namespace that does not exist or is being deleted (plugin/pkg/admission/namespace/lifecycle).
 */
export const namespaceLifecycle: MutatingPlugin = {
  name: 'NamespaceLifecycle',
  admit(object, request, context) {
    const ns = namespaceOf(request);
    if (ns === undefined || request.verb === 'delete' || request.resource === 'events') return object;
    const namespace = context.store.get('namespaces', undefined, ns);
    if (!namespace)
      throw new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
    if (request.verb === 'create' && namespace.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${request.resource} "${request.name}" is forbidden: ` +
          `unable to create new content in namespace ${ns} because it is being terminated`,
      );
    }
    return object;
  },
};

/**
 * The apiserver's defaulting (the shared applyDefaults that the validation layers use, so
 * the editor and the simulator agree on what an object becomes), then what the registry
 * fills in on create: a Service's cluster IP and IP families, a Namespace's finalizer and
 * phase.
 */
export function defaultsPlugin(allocateServiceIp: () => string): MutatingPlugin {
  // A pod's defaults depend on its spec alone: the pods a controller makes from one template
  // share the defaulted spec (objects are never changed in place).
  const podSpecs = new WeakMap<object, unknown>();
  return {
    name: 'Defaults',
    admit(object, _request, context) {
      const podSpec =
        object.kind === 'Pod' && object.apiVersion === 'v1' && typeof object.spec === 'object' && object.spec !== null
          ? object.spec
          : undefined;
      const known = podSpec && podSpecs.get(podSpec);
      if (known) return { ...object, spec: known };
      const defaulted = applyDefaults(object, context.version);
      if (podSpec) podSpecs.set(podSpec, defaulted.spec);
      switch (defaulted.kind) {
        case 'Service':
          return isKind(defaulted, 'Service') ? allocateClusterIp(defaulted, allocateServiceIp) : defaulted;
        case 'Namespace':
          return { ...defaulted, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
        default:
          return defaulted;
      }
    },
  };
}

/** The Service registry's allocation: a cluster IP (unless headless or ExternalName), single-stack IPv4. */
function allocateClusterIp(service: Service, allocate: () => string): Service {
  const spec = service.spec ?? {};
  if (spec.type === 'ExternalName' || (spec.clusterIP && service.metadata.uid)) return service;
  const clusterIP = spec.clusterIP === 'None' ? 'None' : (spec.clusterIP ?? allocate());
  return {
    ...service,
    spec: {
      ...spec,
      clusterIP,
      clusterIPs: spec.clusterIPs ?? [clusterIP],
      ipFamilies: spec.ipFamilies ?? ['IPv4'],
      ipFamilyPolicy: spec.ipFamilyPolicy ?? 'SingleStack',
    },
  };
}

/**
 * LimitRanger: container defaults from the namespace's LimitRange objects (type Container:
 * default → limits, defaultRequest → requests), recorded in the annotation upstream writes.
 */
export const limitRanger: MutatingPlugin = {
  name: 'LimitRanger',
  admit(object, request, context) {
    if (!isKind(object, 'Pod') || !object.spec || request.verb !== 'create') return object;
    const ranges = context.store.list('limitranges', { namespace: request.namespace });
    if (ranges.length === 0) return object;
    const changed: string[] = [];
    const containers = object.spec.containers.map((c): Container => {
      let resources: ResourceRequirements = c.resources ?? {};
      for (const range of ranges) {
        for (const limit of range.spec?.limits ?? []) {
          if (limit.type !== 'Container') continue;
          for (const [field, source] of [
            ['limits', limit.default],
            ['requests', limit.defaultRequest ?? limit.default],
          ] as const) {
            for (const [name, value] of Object.entries(source ?? {})) {
              if (resources[field]?.[name] !== undefined) continue;
              resources = { ...resources, [field]: { ...(resources[field] ?? {}), [name]: value } };
              changed.push(`${name} ${field === 'limits' ? 'limit' : 'request'} for container ${c.name}`);
            }
          }
        }
      }
      return { ...c, resources };
    });
    if (changed.length === 0) return object;
    const annotations = {
      ...(object.metadata.annotations ?? {}),
      'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${changed.join('; ')}`,
    };
    return { ...object, metadata: { ...object.metadata, annotations }, spec: { ...object.spec, containers } };
  },
};

const tokenPath = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The projection of every kube-api-access-* volume: the same for every
 * pod, so one frozen value is shared (objects are never changed in place).
 */
const apiAccessProjection = deepFreeze({
  defaultMode: 420,
  sources: [
    { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    {
      downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] },
    },
  ],
});

/** The not-ready and unreachable tolerations DefaultTolerationSeconds adds, shared likewise. */
const defaultTolerations = new Map(
  ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => [
    key,
    deepFreeze({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }),
  ]),
);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * ServiceAccount admission: the `default` service account, and the projected
 * kube-api-access-<5 chars> volume (token, the kube-root-ca.crt ConfigMap, the namespace)
 * mounted read-only in every container (plugin/pkg/admission/serviceaccount).
 */
export const serviceAccount: MutatingPlugin = {
  name: 'ServiceAccount',
  admit(object, request, context) {
    if (!isKind(object, 'Pod') || !object.spec || request.verb !== 'create') return object;
    const spec = object.spec;
    const saName = spec.serviceAccountName || spec.serviceAccount || 'default';
    if (!context.store.get('serviceaccounts', request.namespace, saName)) {
      throw new ApiError(
        403,
        'Forbidden',
        `pods "${request.name}" is forbidden: error looking up service account ` +
          `${request.namespace}/${saName}: serviceaccount "${saName}" not found`,
      );
    }
    const fields: Record<string, unknown> = { serviceAccountName: saName, serviceAccount: saName };
    if (
      spec.automountServiceAccountToken !== false &&
      !(spec.volumes ?? []).some((v) => String(v.name).startsWith('kube-api-access-'))
    ) {
      const volumeName = `kube-api-access-${context.randomSuffix()}`;
      const volume = { name: volumeName, projected: apiAccessProjection };
      const mount = { name: volumeName, readOnly: true, mountPath: tokenPath };
      const addMount = (c: Container) =>
        (c.volumeMounts ?? []).some((m) => m.mountPath === tokenPath)
          ? c
          : withFields(c, { volumeMounts: [...(c.volumeMounts ?? []), mount] });
      fields.volumes = [...(spec.volumes ?? []), volume];
      fields.containers = spec.containers.map(addMount);
      if (spec.initContainers) fields.initContainers = spec.initContainers.map(addMount);
    }
    // Key by key, not spread: every pod's spec keeps one shape (see withFields).
    const next = withFields(spec, fields);
    return { ...object, spec: next };
  },
};

/** DefaultTolerationSeconds: not-ready and unreachable NoExecute tolerations for 300 s unless the pod has its own. */
export const defaultTolerationSeconds: MutatingPlugin = {
  name: 'DefaultTolerationSeconds',
  admit(object, request) {
    if (!isKind(object, 'Pod') || !object.spec || request.verb !== 'create') return object;
    const tolerations: Toleration[] = [...(object.spec.tolerations ?? [])];
    const has = (key: string) =>
      tolerations.some(
        (t) =>
          (t.key === key || (t.key === undefined && t.operator === 'Exists')) &&
          (!t.effect || t.effect === 'NoExecute'),
      );
    const given = tolerations.length;
    for (const [key, toleration] of defaultTolerations) if (!has(key)) tolerations.push(toleration);
    return tolerations.length === given ? object : { ...object, spec: withFields(object.spec, { tolerations }) };
  },
};

/**
 * Priority (plugin/pkg/admission/priority), for pods: the priority and preemption policy of
 * the pod's PriorityClass, or of the cluster's default class (globalDefault; the lowest
 * value when several are), or 0 and PreemptLowerPriority without one. A class that does not
 * exist, or a priority or policy in the pod that differs from its class's, is refused.
 */
export const priority: MutatingPlugin = {
  name: 'Priority',
  admit(object, request, context) {
    if (!isKind(object, 'Pod') || !object.spec || request.verb !== 'create') return object;
    const spec = object.spec;
    let className: string = spec.priorityClassName ?? '';
    let value = 0;
    let policy = 'PreemptLowerPriority';
    if (className === '') {
      const fallback = defaultPriorityClass(context.store.list('priorityclasses'));
      if (fallback) {
        className = fallback.metadata.name;
        value = fallback.value ?? 0;
        policy = fallback.preemptionPolicy ?? policy;
      }
    } else {
      const found = context.store.get('priorityclasses', undefined, className);
      if (!found)
        throw new ApiError(
          403,
          'Forbidden',
          `pods "${request.name}" is forbidden: no PriorityClass with name ${className} was found`,
        );
      value = found.value ?? 0;
      policy = found.preemptionPolicy ?? policy;
    }
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== value) {
      throw new ApiError(
        403,
        'Forbidden',
        `pods "${request.name}" is forbidden: the integer value of priority ` +
          `(${spec.priority}) must not be provided in pod spec; ` +
          `priority admission controller computed ${value} from the given PriorityClass name`,
      );
    }
    if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== policy) {
      throw new ApiError(
        403,
        'Forbidden',
        `pods "${request.name}" is forbidden: the string value of PreemptionPolicy ` +
          `(${spec.preemptionPolicy}) must not be provided in pod spec; ` +
          `priority admission controller computed ${policy} from the given PriorityClass name`,
      );
    }
    const fields: Record<string, unknown> = { priority: value, preemptionPolicy: policy };
    if (className !== (spec.priorityClassName ?? '')) fields.priorityClassName = className;
    return { ...object, spec: withFields(spec, fields) };
  },
};

/** The cluster's default PriorityClass (getDefaultPriorityClass): globalDefault, the lowest value when several are. */
function defaultPriorityClass(classes: readonly PriorityClass[]): PriorityClass | undefined {
  let best: PriorityClass | undefined;
  for (const c of classes) if (c.globalDefault === true && (!best || (c.value ?? 0) < (best.value ?? 0))) best = c;
  return best;
}

/** Priority's validation of PriorityClass writes: one default class at most. */
export const priorityClassAdmission: ValidatingPlugin = {
  name: 'Priority',
  validate(object, request, context) {
    if (
      !isKind(object, 'PriorityClass') ||
      (request.verb !== 'create' && request.verb !== 'update') ||
      object.globalDefault !== true
    )
      return;
    const current = defaultPriorityClass(context.store.list('priorityclasses'));
    if (current && (request.verb === 'create' || current.metadata.name !== object.metadata.name)) {
      throw new ApiError(
        403,
        'Forbidden',
        `priorityclasses.scheduling.k8s.io "${request.name}" is forbidden: PriorityClass ` +
          `${current.metadata.name} is already marked as default. Only one default can exist`,
      );
    }
  },
};

/**
 * The default StorageClass: annotated `storageclass.kubernetes.io/is-default-class:
 * "true"`, the newest one when several are (GetDefaultClass).
 */
export function defaultStorageClassOf(classes: readonly StorageClass[]): StorageClass | undefined {
  let best: StorageClass | undefined;
  for (const c of classes) {
    const annotations = c.metadata.annotations ?? {};
    if (
      annotations['storageclass.kubernetes.io/is-default-class'] !== 'true' &&
      annotations['storageclass.beta.kubernetes.io/is-default-class'] !== 'true'
    )
      continue;
    const created = c.metadata.creationTimestamp ?? '';
    const bestCreated = best?.metadata.creationTimestamp ?? '';
    if (!best || created > bestCreated || (created === bestCreated && c.metadata.name < best.metadata.name)) best = c;
  }
  return best;
}

/**
 * DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a claim
 * created without storageClassName (nil, not "") and without the beta class annotation gets
 * the default class, when there is one.
 */
export const defaultStorageClass: MutatingPlugin = {
  name: 'DefaultStorageClass',
  admit(object, request, context) {
    if (!isKind(object, 'PersistentVolumeClaim') || request.verb !== 'create') return object;
    if (
      (object.spec?.storageClassName ?? null) !== null ||
      object.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined
    )
      return object;
    const chosen = defaultStorageClassOf(context.store.list('storageclasses', {}));
    return chosen ? { ...object, spec: { ...object.spec, storageClassName: chosen.metadata.name } } : object;
  },
};

/**
 * StorageObjectInUseProtection: new claims get the kubernetes.io/pvc-protection finalizer and
 * new volumes kubernetes.io/pv-protection, which the protection controllers take away once
 * nothing uses them.
 */
export const storageObjectInUseProtection: MutatingPlugin = {
  name: 'StorageObjectInUseProtection',
  admit(object, request) {
    if (request.verb !== 'create') return object;
    const finalizer =
      object.kind === 'PersistentVolumeClaim'
        ? 'kubernetes.io/pvc-protection'
        : object.kind === 'PersistentVolume'
          ? 'kubernetes.io/pv-protection'
          : undefined;
    if (!finalizer || (object.metadata.finalizers ?? []).includes(finalizer)) return object;
    return {
      ...object,
      metadata: { ...object.metadata, finalizers: [...(object.metadata.finalizers ?? []), finalizer] },
    };
  },
};

export function defaultMutatingPlugins(allocateServiceIp: () => string): MutatingPlugin[] {
  return [
    defaultsPlugin(allocateServiceIp),
    namespaceLifecycle,
    limitRanger,
    serviceAccount,
    priority,
    defaultTolerationSeconds,
    defaultStorageClass,
    storageObjectInUseProtection,
  ];
}

export type { AdmissionContext };
