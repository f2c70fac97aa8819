// Where an event points in its object, as tables (DESIGN section 6, STYLE habit 5): by the
// event's cause when the emitter recorded one (the scheduler plugin and what it rejected, the
// probe, the hook, the image, the volume, the fields), else by its reason and field path,
// which is all a real cluster's Event says. Nothing here reads an event's message.
//
// Each rule gives candidate paths, most telling first; the source mapper takes the first one
// the manifest sets. Paths are relative to the object the event is about (a pod's
// `spec.tolerations`); the mapper puts them under where that object sits in its manifest (a
// Deployment's `spec.template`).
import { at, listAt } from './manifestValue';
import type { PathSegment } from '../manifest/base/fieldPath';
import type { EventCause, PluginName, PluginRejection, SchedulingResource } from './model/eventCause';

export type Candidates = PathSegment[][];

/** A pod spec as the manifest has it: the pod (or pod template) value and the object it sits in. */
export interface PodView {
  /** The pod template (or the bare Pod): its `metadata` and `spec`. */
  readonly pod: unknown;
  /** The manifest's object (a Deployment, a StatefulSet, the Pod itself). */
  readonly root: unknown;
  /** Where the pod sits in the root object ([] for a bare Pod). */
  readonly base: readonly PathSegment[];
}

/** Where an object of a kind sits in an object of another kind that makes it from a template. */
export const embeddings: Readonly<Record<string, Readonly<Record<string, readonly PathSegment[]>>>> = {
  Deployment: { ReplicaSet: [], Pod: ['spec', 'template'] },
  ReplicaSet: { Pod: ['spec', 'template'] },
  ReplicationController: { Pod: ['spec', 'template'] },
  StatefulSet: { Pod: ['spec', 'template'] },
  DaemonSet: { Pod: ['spec', 'template'] },
  Job: { Pod: ['spec', 'template'] },
  CronJob: { Job: ['spec', 'jobTemplate'], Pod: ['spec', 'jobTemplate', 'spec', 'template'] },
};

/** What a claim's class decides: its binding mode, its provisioner, whether it exists. */
const claimClassReasons = [
  'WaitForFirstConsumer',
  'WaitForPodScheduled',
  'ExternalProvisioning',
  'ProvisioningFailed',
  'Provisioning',
  'ProvisioningSucceeded',
  'NotSimulated',
];

/**
 * The fields an event of a kind points to by its reason alone (dotted, relative to the
 * object): what a reason says without a cause. The simulator's emitters record the same
 * fields as causes where the reason alone cannot tell (a CronJob's deletions, a Job's counts).
 */
export const reasonFields: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  Deployment: { ScalingReplicaSet: ['spec.replicas'], ProgressDeadlineExceeded: ['spec.progressDeadlineSeconds'] },
  ReplicaSet: { SuccessfulCreate: ['spec.replicas'], SuccessfulDelete: ['spec.replicas'] },
  ReplicationController: { SuccessfulCreate: ['spec.replicas'], SuccessfulDelete: ['spec.replicas'] },
  StatefulSet: { SuccessfulCreate: ['spec.replicas'], SuccessfulDelete: ['spec.replicas'] },
  Job: {
    BackoffLimitExceeded: ['spec.backoffLimit'],
    DeadlineExceeded: ['spec.activeDeadlineSeconds'],
    Completed: ['spec.completions'],
    SuccessfulCreate: ['spec.parallelism', 'spec.completions'],
    SuccessfulDelete: ['spec.parallelism', 'spec.completions'],
  },
  CronJob: {
    UnknownTimeZone: ['spec.timeZone'],
    UnparseableSchedule: ['spec.schedule'],
    MissSchedule: ['spec.startingDeadlineSeconds', 'spec.schedule'],
    JobAlreadyActive: ['spec.concurrencyPolicy'],
    SuccessfulCreate: ['spec.schedule'],
  },
  PersistentVolumeClaim: Object.fromEntries(claimClassReasons.map((reason) => [reason, ['spec.storageClassName']])),
};

/**
 * Where every other event of an object of a kind points, when the
 * manifest sets it: a ReplicaSet's replicas ask for its pods.
 */
export const kindFields: Readonly<Record<string, readonly string[]>> = {
  ReplicaSet: ['spec.replicas'],
  PersistentVolumeClaim: ['metadata.name'],
};

/**
 * Where the events of objects an input object makes but does
 * not template point: a Service's EndpointSlices and consumers.
 */
export const rootFields: Readonly<Record<string, readonly string[]>> = {
  Service: ['spec.selector'],
  Ingress: ['spec.rules'],
};

/**
 * The part of a container a kubelet reason is about, by the reason alone. `Failed` and
 * `BackOff` are not here: they are about the image or about something else, which only
 * their cause tells.
 */
export const containerReasonParts: Readonly<Record<string, readonly PathSegment[]>> = {
  Pulling: ['image'],
  Pulled: ['image'],
  ErrImagePull: ['image'],
  ImagePullBackOff: ['image'],
  ErrImageNeverPull: ['image'],
  InspectFailed: ['image'],
  InvalidImageName: ['image'],
  Listening: ['ports'],
};

/**
 * The parts of a container a cause is about, most telling first (a missing reference by the
 * name it gives); none for a cause about something else.
 */
export function containerParts(cause: EventCause): Candidates {
  switch (cause.kind) {
    case 'probe':
      return [[cause.probe]];
    case 'hook':
      return [['lifecycle', cause.hook]];
    case 'image':
      return [['image']];
    case 'env':
      return cause.list === 'env'
        ? [
            ['env', cause.index, 'valueFrom', 'configMapKeyRef', 'name'],
            ['env', cause.index, 'valueFrom', 'secretKeyRef', 'name'],
            ['env', cause.index],
          ]
        : [
            ['envFrom', cause.index, 'configMapRef', 'name'],
            ['envFrom', cause.index, 'secretRef', 'name'],
            ['envFrom', cause.index],
          ];
    case 'scheduling':
    case 'volume':
    case 'fields':
      return [];
  }
}

/** A dotted field path (`spec.backoffLimit`) as segments. */
export function fieldSegments(field: string): PathSegment[] {
  return field.split('.');
}

/**
 * The pod fields each scheduler plugin's rejection points to, in the order they are tried
 * when several plugins rejected nodes: a request no node has room for first, then the node
 * constraints, the volumes, the tolerations, the host ports, the spreading rules.
 */
const pluginPaths: {
  readonly [P in PluginName]: (rejection: Extract<PluginRejection, { plugin: P }>, view: PodView) => Candidates;
} = {
  NodeResourcesFit: (r, view) => resourcePaths(r.resources, view),
  NodeAffinity: (r, view) => [
    pod(
      view,
      r.field === 'nodeSelector'
        ? ['spec', 'nodeSelector']
        : ['spec', 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'],
    ),
  ],
  VolumeBinding: (r, view) => claimPaths(r.volume, view),
  TaintToleration: (_r, view) => [pod(view, ['spec', 'tolerations'])],
  NodePorts: (r, view) => hostPortPaths(r.hostPort, view),
  PodTopologySpread: (r, view) =>
    r.constraint < 0 ? [] : [pod(view, ['spec', 'topologySpreadConstraints', r.constraint])],
  InterPodAffinity: (r, view) =>
    r.rule === 'existingAntiAffinity'
      ? [pod(view, ['metadata', 'labels'])]
      : [pod(view, ['spec', 'affinity', r.rule, 'requiredDuringSchedulingIgnoredDuringExecution', r.term])],
  NodeName: (_r, view) => [pod(view, ['spec', 'nodeName'])],
  // A cordoned node: nothing in the pod is at fault.
  NodeUnschedulable: () => [],
};

const pluginOrder = Object.keys(pluginPaths) as PluginName[];

/** The candidates of a pod event's cause, under the pod's place in the manifest. */
export function podCausePaths(cause: EventCause, view: PodView): Candidates {
  switch (cause.kind) {
    case 'scheduling': {
      const out: Candidates = [];
      for (const plugin of pluginOrder) {
        const paths = pluginPaths[plugin] as (r: PluginRejection, v: PodView) => Candidates;
        for (const r of cause.rejections) if (r.plugin === plugin) out.push(...paths(r, view));
      }
      return out;
    }
    case 'volume':
      return volumePaths(cause.volume, view);
    case 'fields':
      return cause.fields.map((f) => pod(view, fieldSegments(f)));
    case 'probe':
    case 'hook':
    case 'image':
    case 'env':
      return [];
  }
}

/** A path relative to the pod, under the pod's place in the manifest. */
function pod(view: PodView, path: readonly PathSegment[]): PathSegment[] {
  return [...view.base, ...path];
}

const resourceOrder: readonly SchedulingResource[] = ['cpu', 'memory'];

/** Each container's request (or limit, which stands for it) of the resources found short, cpu first. */
function resourcePaths(resources: readonly SchedulingResource[], view: PodView): Candidates {
  const out: Candidates = [];
  for (const resource of resourceOrder) {
    if (!resources.includes(resource)) continue;
    for (const list of ['containers', 'initContainers']) {
      listAt(view.pod, ['spec', list]).forEach((c, i) => {
        const kind =
          at(c, ['resources', 'requests', resource]) !== undefined
            ? 'requests'
            : at(c, ['resources', 'limits', resource]) !== undefined
              ? 'limits'
              : undefined;
        if (kind) out.push(pod(view, ['spec', list, i, 'resources', kind, resource]));
      });
    }
  }
  return out;
}

/** The container port that asks for a host port. */
function hostPortPaths(hostPort: number, view: PodView): Candidates {
  const out: Candidates = [];
  for (const list of ['containers', 'initContainers']) {
    listAt(view.pod, ['spec', list]).forEach((c, i) => {
      listAt(c, ['ports']).forEach((p, j) => {
        if (Number(at(p, ['hostPort'])) === hostPort) out.push(pod(view, ['spec', list, i, 'ports', j, 'hostPort']));
      });
    });
  }
  return out;
}

/**
 * The claim a pod volume uses: the claim it names, its ephemeral template, or the StatefulSet template it comes from.
 */
function claimPaths(volume: string, view: PodView): Candidates {
  return volumePaths(volume, view, ['persistentVolumeClaim', 'claimName'], ['ephemeral']);
}

/**
 * A pod volume by name (each of `tails` below it, the first that is set, else its name); a
 * volume the template does not list comes from the StatefulSet's volumeClaimTemplate of that name.
 */
function volumePaths(volume: string, view: PodView, ...tails: PathSegment[][]): Candidates {
  const index = listAt(view.pod, ['spec', 'volumes']).findIndex((v) => at(v, ['name']) === volume);
  if (index >= 0) return [...tails, ['name']].map((tail) => pod(view, ['spec', 'volumes', index, ...tail]));
  const templates = listAt(view.root, ['spec', 'volumeClaimTemplates']);
  const template = templates.findIndex((t) => at(t, ['metadata', 'name']) === volume);
  return template >= 0 ? [['spec', 'volumeClaimTemplates', template, 'metadata', 'name']] : [];
}
