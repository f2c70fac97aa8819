// APIs the apiserver no longer serves, and when they went, from the Kubernetes deprecated
// API migration guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
// A row is data: adding a removal adds a row, not a branch.

import { minorOf } from '../../base/kubernetesVersion';

export interface RemovedApi {
  /** `group/version` as written in apiVersion. */
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  /** The minor release that stopped serving it (1.16 → 16). */
  readonly removedIn: number;
  /** The apiVersion to use instead, or undefined when the kind is gone altogether. */
  readonly replacement?: string;
  /** Extra advice when there is no like-for-like replacement. */
  readonly note?: string;
}

const workloads = ['Deployment', 'DaemonSet', 'ReplicaSet'];
const rbac = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
const flowcontrol = ['FlowSchema', 'PriorityLevelConfiguration'];
const authorization = [
  'LocalSubjectAccessReview',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'SubjectAccessReview',
];

export const removedApis: readonly RemovedApi[] = [
  { apiVersion: 'extensions/v1beta1', kinds: workloads, removedIn: 16, replacement: 'apps/v1' },
  {
    apiVersion: 'apps/v1beta1',
    kinds: [...workloads, 'StatefulSet', 'ControllerRevision'],
    removedIn: 16,
    replacement: 'apps/v1',
  },
  {
    apiVersion: 'apps/v1beta2',
    kinds: [...workloads, 'StatefulSet', 'ControllerRevision'],
    removedIn: 16,
    replacement: 'apps/v1',
  },
  { apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], removedIn: 16, replacement: 'networking.k8s.io/v1' },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['PodSecurityPolicy'],
    removedIn: 16,
    note: 'PodSecurityPolicy was removed entirely in 1.25; use Pod Security Admission',
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1alpha1',
    kinds: ['InitializerConfiguration'],
    removedIn: 14,
    note: 'initializers were removed; use admission webhooks',
  },
  { apiVersion: 'batch/v2alpha1', kinds: ['CronJob'], removedIn: 21, replacement: 'batch/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], removedIn: 22, replacement: 'networking.k8s.io/v1' },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['Ingress', 'IngressClass'],
    removedIn: 22,
    replacement: 'networking.k8s.io/v1',
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    removedIn: 22,
    replacement: 'admissionregistration.k8s.io/v1',
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kinds: ['CustomResourceDefinition'],
    removedIn: 22,
    replacement: 'apiextensions.k8s.io/v1',
  },
  {
    apiVersion: 'apiregistration.k8s.io/v1beta1',
    kinds: ['APIService'],
    removedIn: 22,
    replacement: 'apiregistration.k8s.io/v1',
  },
  {
    apiVersion: 'authentication.k8s.io/v1beta1',
    kinds: ['TokenReview'],
    removedIn: 22,
    replacement: 'authentication.k8s.io/v1',
  },
  {
    apiVersion: 'authorization.k8s.io/v1beta1',
    kinds: authorization,
    removedIn: 22,
    replacement: 'authorization.k8s.io/v1',
  },
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kinds: ['CertificateSigningRequest'],
    removedIn: 22,
    replacement: 'certificates.k8s.io/v1',
  },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], removedIn: 22, replacement: 'coordination.k8s.io/v1' },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1beta1',
    kinds: rbac,
    removedIn: 22,
    replacement: 'rbac.authorization.k8s.io/v1',
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1alpha1',
    kinds: rbac,
    removedIn: 22,
    replacement: 'rbac.authorization.k8s.io/v1',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1beta1',
    kinds: ['PriorityClass'],
    removedIn: 22,
    replacement: 'scheduling.k8s.io/v1',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1alpha1',
    kinds: ['PriorityClass'],
    removedIn: 22,
    replacement: 'scheduling.k8s.io/v1',
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    removedIn: 22,
    replacement: 'storage.k8s.io/v1',
  },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], removedIn: 25, replacement: 'batch/v1' },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kinds: ['EndpointSlice'],
    removedIn: 25,
    replacement: 'discovery.k8s.io/v1',
  },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], removedIn: 25, replacement: 'events.k8s.io/v1' },
  {
    apiVersion: 'autoscaling/v2beta1',
    kinds: ['HorizontalPodAutoscaler'],
    removedIn: 25,
    replacement: 'autoscaling/v2',
  },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], removedIn: 25, replacement: 'policy/v1' },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodSecurityPolicy'],
    removedIn: 25,
    note: 'PodSecurityPolicy has no replacement API; use Pod Security Admission',
  },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], removedIn: 25, replacement: 'node.k8s.io/v1' },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    kinds: flowcontrol,
    removedIn: 26,
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    apiVersion: 'autoscaling/v2beta2',
    kinds: ['HorizontalPodAutoscaler'],
    removedIn: 26,
    replacement: 'autoscaling/v2',
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIStorageCapacity'],
    removedIn: 27,
    replacement: 'storage.k8s.io/v1',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    kinds: flowcontrol,
    removedIn: 29,
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kinds: flowcontrol,
    removedIn: 32,
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
];

/** Deprecated APIs that the selected versions still serve: the apiserver's deprecation warning. */
export const deprecatedServedApis: readonly { apiVersion: string; kind: string; warning: string }[] = [
  { apiVersion: 'v1', kind: 'ComponentStatus', warning: 'v1 ComponentStatus is deprecated in v1.19+' },
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    warning: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
  },
];

/** The removal that applies to an apiVersion and kind in a Kubernetes version, if any. */
export function removedApiFor(apiVersion: string, kind: string, kubernetesVersion: string): RemovedApi | undefined {
  const minor = minorOf(kubernetesVersion) || 0;
  return removedApis.find((r) => r.apiVersion === apiVersion && r.kinds.includes(kind) && minor >= r.removedIn);
}

export function removedApiMessage(apiVersion: string, kind: string, removed: RemovedApi): string {
  const base =
    `no matches for kind "${kind}" in version "${apiVersion}": ` +
    `${apiVersion} ${kind} was removed in Kubernetes 1.${removed.removedIn}`;
  if (removed.replacement) return `${base}; use ${removed.replacement}`;
  return `${base}; ${removed.note ?? 'it has no replacement'}`;
}

/** The deprecation warning for a served API, or undefined. Endpoints is deprecated only from 1.33. */
export function deprecationWarningFor(apiVersion: string, kind: string, kubernetesVersion: string): string | undefined {
  const row = deprecatedServedApis.find((d) => d.apiVersion === apiVersion && d.kind === kind);
  if (!row) return undefined;
  if (kind === 'Endpoints' && (minorOf(kubernetesVersion) || 0) < 33) return undefined;
  return row.warning;
}
