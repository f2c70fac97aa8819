// One interface for every cluster podtrace applies to and traces (DESIGN sections 1, 4 and 6):
// the embedded simulator in process, or a context of the user's kubeconfig (through
// @kubernetes/client-node, in a bundle of its own loaded on first use). The editor's commands
// (Apply, Delete, Dry Run) and the timeline are written against this interface only, so what
// works against the simulator works against a real cluster, and the other way round.
//
// Apply is server-side apply with the field manager `podtrace`, as `kubectl apply
// --server-side --field-manager=podtrace` sends it. Every call answers per object, in the
// order given, so that the editor maps a failure's causes (the apiserver's field paths) back
// to the YAML ranges of that object's document. A failure is the apiserver's metav1.Status
// (code, reason, message, causes), never a thrown error: one bad object does not hide what
// happened to the others. Thrown errors (rejected promises) are for the target itself being
// unusable: a kubeconfig that does not load, a server that does not answer.
//
// The trace is a stream of steps in the model of src/core/trace: TraceEvents (ids from 0 in
// each stream, causes pointing at earlier events of the same stream), each pod's summary as it
// changes (the phases of src/core/trace/model/podObserver.ts), and the owners the stream has
// seen (an OwnerLineage), so that source mapping, pod summaries, runtime findings and the
// protocol's chunks run on both targets unchanged.
import type { KubeObject } from '../sim/store/objects';
import type { IndexedWindow } from '../trace/simulatedTrace';
import type { PodSummary } from '../trace/podSummary';
import type { OwnerLineage } from '../trace/sourceMapping';
import type { ObjectRef, TraceEvent } from '../trace/model/traceEvent';

/** The field manager podtrace applies with, as upstream names managers (`kubectl`, `kube-controller-manager`). */
export const podtraceFieldManager = 'podtrace';

/** Which implementation a target is. */
export type ClusterTargetKind = 'simulator' | 'kubeconfig';

/** What the status bar and the confirmation show of a target. */
export interface TargetDescription {
  /** A name for people: `embedded simulator`, or the context's name. */
  readonly name: string;
  readonly kind: ClusterTargetKind;
  /** The kubeconfig context, or null for the embedded simulator. */
  readonly context: string | null;
  /** The cluster's server URL (`https://127.0.0.1:6443`), or null for the embedded simulator. */
  readonly server: string | null;
  /** The namespace objects without one go to: the context's namespace, or `default`. */
  readonly namespace: string;
}

/** metav1.StatusCause: one field the apiserver refused, with the field in its dotted form (`spec.replicas`). */
export interface TargetStatusCause {
  /** metav1.CauseType: `FieldValueInvalid`, `FieldValueRequired`, `FieldValueDuplicate`, `FieldManagerConflict`, ... */
  readonly reason: string;
  readonly message: string;
  /** The field path, as the apiserver writes it (`spec.template.spec.containers[0].image`); '' when none. */
  readonly field: string;
}

/** The parts of a metav1.Status failure that the editor shows and maps. */
export interface TargetStatus {
  /** The HTTP code: 404, 409, 410, 422, ... (0 when no answer came, with reason `ConnectionFailed`). */
  readonly code: number;
  /**
   * metav1.StatusReason: `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Forbidden`, ...;
   * '' when the server gave none.
   */
  readonly reason: string;
  readonly message: string;
  readonly causes: readonly TargetStatusCause[];
}

/** Which object a result is about: as the request named it (the stored uid once known). */
export interface TargetObjectRef extends ObjectRef {
  readonly apiVersion: string;
}

/** What happened to one object: the object the server stored (or would store, in a dry run), or its Status. */
export type ObjectOutcome =
  | {
      readonly ok: true;
      readonly ref: TargetObjectRef;
      /** The object as the server answered: defaults, uid, resourceVersion and managedFields set. */
      readonly object: KubeObject;
      /** As kubectl prints it: `created`, `configured`, `unchanged`, `deleted`. */
      readonly operation: 'created' | 'configured' | 'unchanged' | 'deleted';
      /** The apiserver's Warning headers for this request (unknown fields under fieldValidation=Warn, deprecations). */
      readonly warnings: readonly string[];
    }
  | {
      readonly ok: false;
      readonly ref: TargetObjectRef;
      readonly status: TargetStatus;
      readonly warnings: readonly string[];
    };

/** fieldValidation as the apiserver takes it. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface ApplyOptions {
  /** Server dry run (`dryRun=All`): admission and validation run, nothing is stored. */
  readonly dryRun?: boolean;
  /** Take ownership of fields another manager owns instead of failing with a conflict (`force=true`). */
  readonly force?: boolean;
  /** Default `Strict`, as kubectl's `--validate=strict`: an unknown field is a 422 with its path. */
  readonly fieldValidation?: FieldValidation;
}

/** metav1.DeletionPropagation. */
export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions {
  /** Default `Background`, as kubectl deletes. */
  readonly propagationPolicy?: PropagationPolicy;
  /** The pods' grace period; unset keeps each pod's terminationGracePeriodSeconds. */
  readonly gracePeriodSeconds?: number;
  readonly dryRun?: boolean;
}

/** What a step of a trace stream adds. */
export interface TargetTraceStep {
  /** New events, with consecutive ids from where the last step stopped (the first step starts at 0). */
  readonly events: readonly TraceEvent[];
  /** Pods whose summary changed since the last step, as they are now. */
  readonly pods: readonly PodSummary[];
  /** Routing windows opened or closed (the simulator's consumers find them; a real cluster has none). */
  readonly windows: readonly IndexedWindow[];
  /** Milliseconds since the stream started: virtual ones on the simulator, wall ones on a real cluster. */
  readonly clockMs: number;
}

export interface TraceRequest {
  /**
   * The objects to follow (as applied, or as parsed from the manifests): events on them and
   * on everything they own, transitively by ownerReferences (a Deployment's ReplicaSets and
   * their pods, a Service's EndpointSlices), are in the stream.
   */
  readonly objects: readonly KubeObject[];
}

export interface TraceSink {
  /** Each step, in order; never called after `stop`. */
  readonly onStep: (step: TargetTraceStep) => void;
  /**
   * The stream ended by itself and will send nothing more: the simulator settled (`quiescent`),
   * or a real cluster's watch failed in a way resuming cannot mend (`failed`, with the reason).
   */
  readonly onEnd: (end: TraceEnd) => void;
}

export type TraceEnd =
  { readonly reason: 'quiescent'; readonly clockMs: number } | { readonly reason: 'failed'; readonly message: string };

/** A running trace. */
export interface TraceStream {
  /**
   * The owners of the objects the stream has seen, by uid (kept up to date as it runs): for
   * source mapping (TraceSourceMapper) and for grouping pods under their workloads.
   */
  readonly lineage: OwnerLineage;
  /** Stops the stream: its watches or subscriptions end, and the sink hears nothing more. */
  stop(): void;
}

export interface ClusterTarget {
  describe(): TargetDescription;
  /** Server-side apply of each object with the field manager `podtrace`, in order; one outcome per object. */
  apply(objects: readonly KubeObject[], options?: ApplyOptions): Promise<ObjectOutcome[]>;
  /** `apply` with `dryRun`: what the server would store, or why it would refuse. */
  dryRun(objects: readonly KubeObject[], options?: Omit<ApplyOptions, 'dryRun'>): Promise<ObjectOutcome[]>;
  /** Deletes each object, in order; one outcome per object (a 404 for one already gone). */
  delete(objects: readonly KubeObject[], options?: DeleteOptions): Promise<ObjectOutcome[]>;
  /** Starts following the objects; start it before `apply` to see the apply's own events. */
  trace(request: TraceRequest, sink: TraceSink): TraceStream;
  /** Stops every stream and lets go of the connection (or the simulator); the target is unusable after. */
  close(): Promise<void>;
}

/** The reference a request names an object by: the namespace defaulted as the target does. */
export function targetRefOf(object: KubeObject, defaultNamespace: string | null): TargetObjectRef {
  const namespace = object.metadata?.namespace ?? defaultNamespace;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: namespace ?? null,
    name: object.metadata?.name ?? '',
    uid: object.metadata?.uid ?? null,
  };
}
