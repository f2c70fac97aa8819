// What made an event happen, recorded by the component that emits it (DESIGN section 6,
// STYLE habit 13): the scheduler plugins that turned nodes away, the probe that failed, the
// hook that ran, the image, the volume, the fields of a Job that decided its event. Source
// mapping reads it; nothing reads it back out of the message text, which changes between
// Kubernetes versions. It stays beside the events (the --json document has no such field).
//
// An event of a real cluster has only a reason, a message and involvedObject.fieldPath: it
// has no cause, and maps by its reason and field path alone (or by a cause its adapter builds
// once, at the boundary, from what the Event says).

/** A container's probes, by their field names in the container spec. */
export type ProbeField = 'startupProbe' | 'livenessProbe' | 'readinessProbe';

/** A container's lifecycle hooks, by their field names under `lifecycle`. */
export type HookField = 'postStart' | 'preStop';

/** What NodeResourcesFit found short on a node (`Too many pods` is `pods`). */
export type SchedulingResource = 'pods' | 'cpu' | 'memory';

/**
 * What one scheduler plugin found wrong with a node (or, at PreFilter and PreBind, with the
 * pod), in the terms of the pod's own spec: which resource, which of its constraints or terms
 * (indices into the pod's lists), which of its volumes (by the pod's volume name).
 */
export type PluginRejection =
  | { readonly plugin: 'NodeUnschedulable' }
  | { readonly plugin: 'NodeName' }
  | { readonly plugin: 'TaintToleration' }
  /** Which of the pod's node constraints the node's labels failed: its nodeSelector or its required node affinity. */
  | { readonly plugin: 'NodeAffinity'; readonly field: 'nodeSelector' | 'nodeAffinity' }
  /** The host port that is taken on the node. */
  | { readonly plugin: 'NodePorts'; readonly hostPort: number }
  | { readonly plugin: 'NodeResourcesFit'; readonly resources: readonly SchedulingResource[] }
  /** The pod volume whose claim is missing, unbound or unbindable on the node. */
  | { readonly plugin: 'VolumeBinding'; readonly volume: string }
  /** The index of the constraint in the pod's spec.topologySpreadConstraints. */
  | { readonly plugin: 'PodTopologySpread'; readonly constraint: number }
  /**
   * The pod's own required term that failed (its index under the rule's
   * requiredDuringSchedulingIgnoredDuringExecution), or the anti-affinity of pods already
   * placed, which the pod's labels match (term -1).
   */
  | {
      readonly plugin: 'InterPodAffinity';
      readonly rule: 'podAffinity' | 'podAntiAffinity' | 'existingAntiAffinity';
      readonly term: number;
    };

export type PluginName = PluginRejection['plugin'];

/**
 * The kinds of cause. `probe`, `hook`, `image` and `env` are about a part of the container
 * that the event's field path names (`spec.containers{web}`); `volume` and `scheduling` about
 * the pod; `fields` about the involved object's own fields.
 */
export type EventCause =
  /** FailedScheduling: every distinct rejection of the cycle (the pod's UnschedulablePlugins, with what each found). */
  | { readonly kind: 'scheduling'; readonly rejections: readonly PluginRejection[] }
  | { readonly kind: 'probe'; readonly probe: ProbeField }
  | { readonly kind: 'hook'; readonly hook: HookField }
  | { readonly kind: 'image' }
  /** A reference of the container's `env` (its index) or `envFrom` that does not resolve. */
  | { readonly kind: 'env'; readonly list: 'env' | 'envFrom'; readonly index: number }
  /** One of the pod's volumes, by its name in spec.volumes. */
  | { readonly kind: 'volume'; readonly volume: string }
  /**
   * Fields of the involved object that decided the event, in the apiserver's dotted form
   * (`spec.backoffLimit`), most telling first: the first one the manifest sets is its source.
   */
  | { readonly kind: 'fields'; readonly fields: readonly string[] };

/** The shared causes of probe events, one per probe (a pod's events share them). */
export const probeCauses: { readonly [P in ProbeField]: EventCause } = Object.freeze({
  startupProbe: Object.freeze({ kind: 'probe', probe: 'startupProbe' }),
  livenessProbe: Object.freeze({ kind: 'probe', probe: 'livenessProbe' }),
  readinessProbe: Object.freeze({ kind: 'probe', probe: 'readinessProbe' }),
});

/** The shared causes of hook events. */
export const hookCauses: { readonly [H in HookField]: EventCause } = Object.freeze({
  postStart: Object.freeze({ kind: 'hook', hook: 'postStart' }),
  preStop: Object.freeze({ kind: 'hook', hook: 'preStop' }),
});

/** The shared cause of image events (Pulling, Pulled, the pull failures and back-off). */
export const imageCause: EventCause = Object.freeze({ kind: 'image' });

/** A cause of the involved object's fields, frozen (callers keep one per list where it repeats). */
export function fieldsCause(...fields: string[]): EventCause {
  return Object.freeze({ kind: 'fields', fields: Object.freeze(fields) });
}
