// The stored kinds the simulator knows, each a KubeObject with its spec and status types, and
// the table from a resource name to its kind's type, by which the store, the informers and the
// listers return typed objects for a resource named by a literal.
import type * as api from '../../base/apiObjects';
import type { KubeObject } from './objects';

/** A kind with no spec or status: its fields sit beside the metadata. */
export type FlatObject<Fields> = KubeObject<never, never> & Fields;

export type Pod = KubeObject<api.PodSpec, api.PodStatus>;
export type Node = KubeObject<api.NodeSpec, api.NodeStatus>;
export type Namespace = KubeObject<api.NamespaceSpec, api.NamespaceStatus>;
export type Service = KubeObject<api.ServiceSpec, api.ServiceStatus>;
export type Endpoints = FlatObject<api.EndpointsFields>;
export type EndpointSlice = FlatObject<api.EndpointSliceFields>;
export type ConfigMap = FlatObject<api.ConfigMapFields>;
export type Secret = FlatObject<api.SecretFields>;
export type ServiceAccount = FlatObject<api.ServiceAccountFields>;
export type PersistentVolumeClaim = KubeObject<api.PersistentVolumeClaimSpec, api.PersistentVolumeClaimStatus>;
export type PersistentVolume = KubeObject<api.PersistentVolumeSpec, api.PersistentVolumeStatus>;
export type StorageClass = FlatObject<api.StorageClassFields>;
export type Deployment = KubeObject<api.DeploymentSpec, api.DeploymentStatus>;
export type ReplicaSet = KubeObject<api.ReplicaSetSpec, api.ReplicaSetStatus>;
export type StatefulSet = KubeObject<api.StatefulSetSpec, api.StatefulSetStatus>;
export type DaemonSet = KubeObject<api.DaemonSetSpec, api.DaemonSetStatus>;
export type Job = KubeObject<api.JobSpec, api.JobStatus>;
export type CronJob = KubeObject<api.CronJobSpec, api.CronJobStatus>;
export type PodDisruptionBudget = KubeObject<api.PodDisruptionBudgetSpec, api.PodDisruptionBudgetStatus>;
export type PriorityClass = FlatObject<api.PriorityClassFields>;
export type LimitRange = KubeObject<api.LimitRangeSpec, never>;
export type ResourceQuota = KubeObject<api.ResourceQuotaSpec, api.ResourceQuotaStatus>;
export type Ingress = KubeObject<api.IngressSpec, api.IngressStatus>;
export type Lease = KubeObject<api.LeaseSpec, never>;
/** A core/v1 Event, the form the simulator's recorder stores. */
export type CoreEvent = FlatObject<api.CoreEventFields>;
/** An events.k8s.io/v1 Event, the form the events API serves. */
export type EventsEvent = FlatObject<api.EventsEventFields>;

/** What each resource of the simulated apiserver's table holds. */
export interface ResourceKinds {
  namespaces: Namespace;
  nodes: Node;
  pods: Pod;
  services: Service;
  configmaps: ConfigMap;
  secrets: Secret;
  serviceaccounts: ServiceAccount;
  limitranges: LimitRange;
  resourcequotas: ResourceQuota;
  poddisruptionbudgets: PodDisruptionBudget;
  persistentvolumeclaims: PersistentVolumeClaim;
  persistentvolumes: PersistentVolume;
  storageclasses: StorageClass;
  priorityclasses: PriorityClass;
  events: CoreEvent;
  endpointslices: EndpointSlice;
  deployments: Deployment;
  replicasets: ReplicaSet;
  daemonsets: DaemonSet;
  statefulsets: StatefulSet;
  jobs: Job;
  cronjobs: CronJob;
  ingresses: Ingress;
  leases: Lease;
}

/** The object type of a resource named by a literal; any other string gives the untyped KubeObject. */
export type ObjectOf<R extends string> = R extends keyof ResourceKinds ? ResourceKinds[R] : KubeObject;

/** What each kind of the simulated apiserver's table is. */
export interface KindObjects {
  Namespace: Namespace;
  Node: Node;
  Pod: Pod;
  Service: Service;
  ConfigMap: ConfigMap;
  Secret: Secret;
  ServiceAccount: ServiceAccount;
  LimitRange: LimitRange;
  ResourceQuota: ResourceQuota;
  PodDisruptionBudget: PodDisruptionBudget;
  PersistentVolumeClaim: PersistentVolumeClaim;
  PersistentVolume: PersistentVolume;
  StorageClass: StorageClass;
  PriorityClass: PriorityClass;
  Event: CoreEvent;
  EndpointSlice: EndpointSlice;
  Deployment: Deployment;
  ReplicaSet: ReplicaSet;
  DaemonSet: DaemonSet;
  StatefulSet: StatefulSet;
  Job: Job;
  CronJob: CronJob;
  Ingress: Ingress;
  Lease: Lease;
}

/**
 * Whether the object is of `kind`, narrowing it to that kind's type. Objects reach the apiserver
 * decoded and checked against the kind's schema, so the kind names their shape.
 */
export function isKind<K extends keyof KindObjects>(object: KubeObject, kind: K): object is KindObjects[K] {
  return object.kind === kind;
}
