// The apiserver's defaulting of built-in objects, applied before validation because some
// verdicts depend on it (a Job without restartPolicy becomes Always and is rejected). Pure:
// the input is left alone, and only what defaulting touches is copied. Mirrors SetDefaults_* in
// k8s/pkg/apis/core/v1/defaults.go, apps/v1/defaults.go and batch/v1/defaults.go; the
// simulated apiserver reuses it as its mutating admission.
import { isObj, type Obj } from './plainValue';

/** Sets `obj[key]` to `value` when it is absent (undefined or null), as `if x == nil { x = … }` does. */
function fill(o: Obj | undefined, key: string, value: unknown): void {
  if (o && (o[key] === undefined || o[key] === null)) o[key] = value;
}

/**
 * The child object at `key` as this call's own shallow copy, stored back into `o` (which
 * is already owned), or created when absent and `create` is set; undefined when something
 * else is there. Only the objects on the paths defaulting visits are copied; every other
 * subtree is shared with the input, which stays untouched.
 */
function child(o: Obj | undefined, key: string, create = false): Obj | undefined {
  if (!o) return undefined;
  const v = o[key];
  if (isObj(v)) return (o[key] = { ...v });
  if ((v === undefined || v === null) && create) return (o[key] = {});
  return undefined;
}

/** Visits each object of the list at `o[key]`, after replacing the list and those objects with owned copies. */
function each(o: Obj, key: string, fn: (item: Obj) => void): void {
  const list = o[key];
  if (!Array.isArray(list)) return;
  const copy = list.map((item) => (isObj(item) ? { ...item } : item));
  o[key] = copy;
  for (const item of copy) if (isObj(item)) fn(item);
}

/** ParseImageName's tag: `latest` when there is neither a tag nor a digest. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  if (colon >= 0) return name.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

function defaultProbe(probe: Obj | undefined): void {
  if (!probe) return;
  fill(probe, 'timeoutSeconds', 1);
  fill(probe, 'periodSeconds', 10);
  fill(probe, 'successThreshold', 1);
  fill(probe, 'failureThreshold', 3);
  const http = child(probe, 'httpGet');
  if (http) {
    fill(http, 'path', '/');
    fill(http, 'scheme', 'HTTP');
  }
}

function defaultContainer(c: Obj, hostNetwork: boolean, isPod: boolean): void {
  if (typeof c.image === 'string')
    fill(c, 'imagePullPolicy', imageTag(c.image) === 'latest' ? 'Always' : 'IfNotPresent');
  fill(c, 'terminationMessagePath', '/dev/termination-log');
  fill(c, 'terminationMessagePolicy', 'File');
  each(c, 'ports', (p) => {
    fill(p, 'protocol', 'TCP');
    if (hostNetwork && (p.hostPort === undefined || p.hostPort === null || p.hostPort === 0))
      p.hostPort = p.containerPort;
  });
  each(c, 'env', (e) => {
    const valueFrom = child(e, 'valueFrom');
    const fieldRef = valueFrom && child(valueFrom, 'fieldRef');
    if (fieldRef) fill(fieldRef, 'apiVersion', 'v1');
  });
  defaultProbe(child(c, 'livenessProbe'));
  defaultProbe(child(c, 'readinessProbe'));
  defaultProbe(child(c, 'startupProbe'));
  const lifecycle = child(c, 'lifecycle');
  for (const hook of ['postStart', 'preStop']) {
    const handler = lifecycle && child(lifecycle, hook);
    const http = handler && child(handler, 'httpGet');
    if (http) {
      fill(http, 'path', '/');
      fill(http, 'scheme', 'HTTP');
    }
  }
  // SetDefaults_Pod (Pods only, not templates): a limit without a request is also the request.
  const resources = isPod && isObj(c.resources) && isObj(c.resources.limits) ? child(c, 'resources') : undefined;
  if (resources) {
    const requests = child(resources, 'requests', true);
    for (const [name, limit] of Object.entries(resources.limits as Obj)) fill(requests, name, limit);
  }
}

/** SetDefaults_Volume: a volume that names no source at all is an emptyDir. */
function defaultVolumes(spec: Obj): void {
  each(spec, 'volumes', (v) => {
    if (!Object.keys(v).some((key) => key !== 'name' && v[key] !== null && v[key] !== undefined)) v.emptyDir = {};
    for (const source of ['secret', 'configMap', 'downwardAPI', 'projected']) {
      const s = child(v, source);
      if (s) fill(s, 'defaultMode', 420);
    }
  });
}

/** SetDefaults_PodSpec and the container defaults, for a Pod or a pod template. */
function defaultPodSpec(spec: Obj | undefined, isPod: boolean): void {
  if (!spec) return;
  fill(spec, 'dnsPolicy', 'ClusterFirst');
  fill(spec, 'restartPolicy', 'Always');
  fill(spec, 'terminationGracePeriodSeconds', 30);
  fill(spec, 'schedulerName', 'default-scheduler');
  fill(spec, 'securityContext', {});
  fill(spec, 'enableServiceLinks', true);
  const hostNetwork = spec.hostNetwork === true;
  each(spec, 'containers', (c) => defaultContainer(c, hostNetwork, isPod));
  each(spec, 'initContainers', (c) => defaultContainer(c, hostNetwork, isPod));
  defaultVolumes(spec);
}

function defaultTemplate(spec: Obj | undefined): void {
  const template = spec && child(spec, 'template');
  if (template) defaultPodSpec(child(template, 'spec'), false);
}

function defaultService(spec: Obj | undefined): void {
  if (!spec) return;
  fill(spec, 'type', 'ClusterIP');
  fill(spec, 'sessionAffinity', 'None');
  const type = spec.type;
  if (spec.sessionAffinity === 'ClientIP') {
    fill(child(child(spec, 'sessionAffinityConfig', true), 'clientIP', true), 'timeoutSeconds', 10800);
  }
  each(spec, 'ports', (p) => {
    fill(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '')
      p.targetPort = p.port;
  });
  if (type === 'NodePort' || type === 'LoadBalancer') fill(spec, 'externalTrafficPolicy', 'Cluster');
  if (type !== 'ExternalName') fill(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') fill(spec, 'allocateLoadBalancerNodePorts', true);
}

type KindDefaulter = (spec: Obj | undefined, object: Obj) => void;

const defaulters: Record<string, KindDefaulter> = {
  'v1/Pod': (spec) => defaultPodSpec(spec, true),
  'v1/Service': defaultService,
  'v1/Secret': (_spec, object) => fill(object, 'type', 'Opaque'),
  // SetDefaults_PriorityClass.
  'scheduling.k8s.io/v1/PriorityClass': (_spec, object) => fill(object, 'preemptionPolicy', 'PreemptLowerPriority'),
  // SetDefaults_PersistentVolumeClaim(Spec): Filesystem volumes, a new claim is Pending.
  'v1/PersistentVolumeClaim': (spec, object) => {
    fill(spec, 'volumeMode', 'Filesystem');
    fill(child(object, 'status', true), 'phase', 'Pending');
  },
  // SetDefaults_PersistentVolume: Retain, Filesystem, and Pending until the binder looks at it.
  'v1/PersistentVolume': (spec, object) => {
    fill(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    fill(spec, 'volumeMode', 'Filesystem');
    fill(child(object, 'status', true), 'phase', 'Pending');
  },
  // storage/v1 SetDefaults_StorageClass: Delete and Immediate.
  'storage.k8s.io/v1/StorageClass': (_spec, object) => {
    fill(object, 'reclaimPolicy', 'Delete');
    fill(object, 'volumeBindingMode', 'Immediate');
  },
  'v1/ReplicationController': (spec, object) => {
    if (!spec) return;
    // SetDefaults_ReplicationController: an empty selector (and empty labels) take the template's labels.
    const labels = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
    if (isObj(labels)) {
      if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
      const meta = child(object, 'metadata', true);
      if (meta && (!isObj(meta.labels) || Object.keys(meta.labels).length === 0)) meta.labels = { ...labels };
    }
    fill(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  'apps/v1/Deployment': (spec) => {
    if (!spec) return;
    fill(spec, 'replicas', 1);
    const strategy = child(spec, 'strategy', true);
    fill(strategy, 'type', 'RollingUpdate');
    if (strategy?.type === 'RollingUpdate') {
      const rolling = child(strategy, 'rollingUpdate', true);
      if (rolling) {
        fill(rolling, 'maxUnavailable', '25%');
        fill(rolling, 'maxSurge', '25%');
      }
    }
    fill(spec, 'revisionHistoryLimit', 10);
    fill(spec, 'progressDeadlineSeconds', 600);
    defaultTemplate(spec);
  },
  'apps/v1/ReplicaSet': (spec) => {
    if (spec) fill(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  'apps/v1/StatefulSet': (spec) => {
    if (!spec) return;
    fill(spec, 'podManagementPolicy', 'OrderedReady');
    const strategy = child(spec, 'updateStrategy', true);
    fill(strategy, 'type', 'RollingUpdate');
    if (strategy?.type === 'RollingUpdate') {
      const rolling = child(strategy, 'rollingUpdate', true);
      if (rolling) fill(rolling, 'partition', 0);
    }
    fill(spec, 'replicas', 1);
    fill(spec, 'revisionHistoryLimit', 10);
    const retention = child(spec, 'persistentVolumeClaimRetentionPolicy', true);
    fill(retention, 'whenDeleted', 'Retain');
    fill(retention, 'whenScaled', 'Retain');
    defaultTemplate(spec);
  },
  'apps/v1/DaemonSet': (spec) => {
    if (!spec) return;
    const strategy = child(spec, 'updateStrategy', true);
    fill(strategy, 'type', 'RollingUpdate');
    if (strategy?.type === 'RollingUpdate') {
      const rolling = child(strategy, 'rollingUpdate', true);
      if (rolling) {
        fill(rolling, 'maxUnavailable', 1);
        fill(rolling, 'maxSurge', 0);
      }
    }
    fill(spec, 'revisionHistoryLimit', 10);
    defaultTemplate(spec);
  },
  'batch/v1/Job': (spec) => {
    if (!spec) return;
    // Both nil: one pod to completion. Only parallelism nil: run one at a time.
    if (
      (spec.completions === undefined || spec.completions === null) &&
      (spec.parallelism === undefined || spec.parallelism === null)
    )
      spec.completions = 1;
    fill(spec, 'parallelism', 1);
    fill(spec, 'backoffLimit', 6);
    fill(spec, 'completionMode', 'NonIndexed');
    fill(spec, 'suspend', false);
    fill(spec, 'podReplacementPolicy', isObj(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
    defaultTemplate(spec);
  },
  'batch/v1/CronJob': (spec) => {
    if (!spec) return;
    fill(spec, 'concurrencyPolicy', 'Allow');
    fill(spec, 'suspend', false);
    fill(spec, 'successfulJobsHistoryLimit', 3);
    fill(spec, 'failedJobsHistoryLimit', 1);
    const jobTemplate = child(spec, 'jobTemplate');
    defaultTemplate(jobTemplate && child(jobTemplate, 'spec'));
  },
};

/**
 * The object as the apiserver stores it after defaulting: a new object; the input is not
 * changed. Objects on the paths defaulting visits are copied and filled in; the rest (for
 * example metadata, ConfigMap data, container args) is shared with the input, so a caller
 * that goes on to mutate the result in place should copy what it mutates. Kinds without
 * defaults (and values that are not objects) come back as they are.
 * `version` is accepted for the defaults that change between releases; 1.32–1.35 agree on
 * every default applied here.
 */
export function applyDefaults<T>(object: T, version?: string): T {
  void version;
  if (!isObj(object)) return object;
  const defaulter = defaulters[`${object.apiVersion}/${object.kind}`];
  if (!defaulter) return object;
  const copy: Obj = { ...object };
  // A Pod is decoded into a Go struct whose spec is never nil: with no `spec`, or `spec: null`, the
  // apiserver defaults and validates an empty one (`spec.containers: Required value`).
  defaulter(child(copy, 'spec', object.kind === 'Pod' && object.apiVersion === 'v1'), copy);
  return copy as T;
}
