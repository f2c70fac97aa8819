// The Kubernetes API types the simulator and the rules read, in their JSON wire form.
//
// They come from @kubernetes/client-node's models as type-only imports, which esbuild erases:
// no client-node code reaches a bundle (the package is a devDependency for its types and for
// the tests that drive `podtrace serve` with it). Its models are classes meant for its own
// (de)serialiser, so two things differ from the JSON the apiserver and the store hold, and
// `Wire` maps them: time fields are `Date` there and RFC 3339 strings on the wire (or null: Go
// writes a zero metav1.Time so, as in a condition's `lastProbeTime: null`), and every
// field is mutable there while stored objects are immutable (writers build new ones).
// IntOrString is `number | string` and a Quantity is the string the apiserver prints, as on
// the wire; optional fields are optional as in the OpenAPI documents. One model renames a field
// (LimitRangeItem's `default`), and LimitRangeItem below puts the wire's name back.
import type * as k8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

/** A client-node model as JSON carries it: times as strings (or null), everything readonly, all the way down. */
export type Wire<T> = T extends Date
  ? string | null
  : T extends readonly (infer E)[]
    ? readonly Wire<E>[]
    : T extends object
      ? { readonly [K in keyof T]: Wire<T[K]> }
      : T;

/** A status or condition being built field by field, before it is stored (and immutable). */
export type Building<T> = { -readonly [K in keyof T]: T[K] };

/** An int-or-string field (ports, maxSurge, maxUnavailable, minAvailable). */
export type IntOrString = number | string;

// Shared parts, named as Kubernetes names them.
export type LabelSelectorSpec = Wire<k8s.V1LabelSelector>;
export type LabelSelectorRequirement = Wire<k8s.V1LabelSelectorRequirement>;
export type ObjectReference = Wire<k8s.V1ObjectReference>;
/** metav1.Condition, the condition type of newer APIs (PodDisruptionBudget's). */
export type Condition = Wire<k8s.V1Condition>;
export type TemplateMeta = Wire<k8s.V1ObjectMeta>;

// Pods and their parts.
export type PodSpec = Wire<k8s.V1PodSpec>;
export type PodStatus = Wire<k8s.V1PodStatus>;
export type PodTemplateSpec = Wire<k8s.V1PodTemplateSpec>;
export type PodCondition = Wire<k8s.V1PodCondition>;
export type Container = Wire<k8s.V1Container>;
export type ContainerPort = Wire<k8s.V1ContainerPort>;
export type ContainerStatus = Wire<k8s.V1ContainerStatus>;
export type ContainerState = Wire<k8s.V1ContainerState>;
export type ContainerStateTerminated = Wire<k8s.V1ContainerStateTerminated>;
export type ContainerStateWaiting = Wire<k8s.V1ContainerStateWaiting>;
export type ContainerStateRunning = Wire<k8s.V1ContainerStateRunning>;
export type ResourceRequirements = Wire<k8s.V1ResourceRequirements>;
export type EnvVar = Wire<k8s.V1EnvVar>;
export type EnvFromSource = Wire<k8s.V1EnvFromSource>;
export type Probe = Wire<k8s.V1Probe>;
export type Lifecycle = Wire<k8s.V1Lifecycle>;
export type LifecycleHandler = Wire<k8s.V1LifecycleHandler>;
export type Volume = Wire<k8s.V1Volume>;
export type VolumeMount = Wire<k8s.V1VolumeMount>;
export type Toleration = Wire<k8s.V1Toleration>;
export type Affinity = Wire<k8s.V1Affinity>;
export type NodeAffinity = Wire<k8s.V1NodeAffinity>;
export type NodeSelector = Wire<k8s.V1NodeSelector>;
export type NodeSelectorTerm = Wire<k8s.V1NodeSelectorTerm>;
export type NodeSelectorRequirement = Wire<k8s.V1NodeSelectorRequirement>;
export type PodAffinityTerm = Wire<k8s.V1PodAffinityTerm>;
export type WeightedPodAffinityTerm = Wire<k8s.V1WeightedPodAffinityTerm>;
export type TopologySpreadConstraint = Wire<k8s.V1TopologySpreadConstraint>;

// Nodes and namespaces.
export type NodeSpec = Wire<k8s.V1NodeSpec>;
export type NodeStatus = Wire<k8s.V1NodeStatus>;
export type NodeCondition = Wire<k8s.V1NodeCondition>;
export type Taint = Wire<k8s.V1Taint>;
export type NamespaceSpec = Wire<k8s.V1NamespaceSpec>;
export type NamespaceStatus = Wire<k8s.V1NamespaceStatus>;

// Services and endpoints.
export type ServiceSpec = Wire<k8s.V1ServiceSpec>;
export type ServiceStatus = Wire<k8s.V1ServiceStatus>;
export type ServicePort = Wire<k8s.V1ServicePort>;
/** The core/v1 Endpoints object's fields beside its metadata. */
export type EndpointsFields = Wire<Pick<k8s.V1Endpoints, 'subsets'>>;
export type EndpointSubset = Wire<k8s.V1EndpointSubset>;
/** The discovery.k8s.io/v1 EndpointSlice's fields beside its metadata. */
export type EndpointSliceFields = Wire<Pick<k8s.V1EndpointSlice, 'addressType' | 'endpoints' | 'ports'>>;
export type Endpoint = Wire<k8s.V1Endpoint>;
export type EndpointConditions = Wire<k8s.V1EndpointConditions>;
export type EndpointPort = Wire<k8s.DiscoveryV1EndpointPort>;
export type IngressSpec = Wire<k8s.V1IngressSpec>;
export type IngressStatus = Wire<k8s.V1IngressStatus>;
export type IngressRule = Wire<k8s.V1IngressRule>;
export type IngressBackend = Wire<k8s.V1IngressBackend>;

// Configuration and identity.
export type ConfigMapFields = Wire<Pick<k8s.V1ConfigMap, 'data' | 'binaryData' | 'immutable'>>;
export type SecretFields = Wire<Pick<k8s.V1Secret, 'data' | 'stringData' | 'type' | 'immutable'>>;
export type ServiceAccountFields = Wire<Pick<k8s.V1ServiceAccount, 'secrets' | 'automountServiceAccountToken'>>;

// Storage.
export type PersistentVolumeClaimSpec = Wire<k8s.V1PersistentVolumeClaimSpec>;
export type PersistentVolumeClaimStatus = Wire<k8s.V1PersistentVolumeClaimStatus>;
export type PersistentVolumeSpec = Wire<k8s.V1PersistentVolumeSpec>;
export type PersistentVolumeStatus = Wire<k8s.V1PersistentVolumeStatus>;
export type StorageClassFields = Wire<
  Pick<
    k8s.V1StorageClass,
    'provisioner' | 'parameters' | 'reclaimPolicy' | 'volumeBindingMode' | 'allowedTopologies' | 'mountOptions'
  >
>;

// Workloads.
export type DeploymentSpec = Wire<k8s.V1DeploymentSpec>;
export type DeploymentStatus = Wire<k8s.V1DeploymentStatus>;
export type DeploymentCondition = Wire<k8s.V1DeploymentCondition>;
export type ReplicaSetSpec = Wire<k8s.V1ReplicaSetSpec>;
export type ReplicaSetStatus = Wire<k8s.V1ReplicaSetStatus>;
export type StatefulSetSpec = Wire<k8s.V1StatefulSetSpec>;
export type StatefulSetStatus = Wire<k8s.V1StatefulSetStatus>;
export type DaemonSetSpec = Wire<k8s.V1DaemonSetSpec>;
export type DaemonSetStatus = Wire<k8s.V1DaemonSetStatus>;
export type JobSpec = Wire<k8s.V1JobSpec>;
export type JobStatus = Wire<k8s.V1JobStatus>;
export type JobCondition = Wire<k8s.V1JobCondition>;
export type CronJobSpec = Wire<k8s.V1CronJobSpec>;
export type CronJobStatus = Wire<k8s.V1CronJobStatus>;

// Policy, scheduling and quotas.
export type PodDisruptionBudgetSpec = Wire<k8s.V1PodDisruptionBudgetSpec>;
export type PodDisruptionBudgetStatus = Wire<k8s.V1PodDisruptionBudgetStatus>;
export type PriorityClassFields = Wire<
  Pick<k8s.V1PriorityClass, 'value' | 'globalDefault' | 'preemptionPolicy' | 'description'>
>;
/**
 * client-node names a LimitRangeItem's `default` `_default` (its generator avoids the word); the
 * wire, the store and the admission plugin call it `default`.
 */
export type LimitRangeItem = Omit<Wire<k8s.V1LimitRangeItem>, '_default'> & {
  readonly default?: Readonly<Record<string, string>>;
};
export interface LimitRangeSpec {
  readonly limits: readonly LimitRangeItem[];
}
export type ResourceQuotaSpec = Wire<k8s.V1ResourceQuotaSpec>;
export type ResourceQuotaStatus = Wire<k8s.V1ResourceQuotaStatus>;
export type LeaseSpec = Wire<k8s.V1LeaseSpec>;

// Events: core/v1 and events.k8s.io/v1 keep their fields beside the metadata, not in a spec.
export type CoreEventFields = Wire<Omit<k8s.CoreV1Event, 'apiVersion' | 'kind' | 'metadata'>>;
export type EventsEventFields = Wire<Omit<k8s.EventsV1Event, 'apiVersion' | 'kind' | 'metadata'>>;
