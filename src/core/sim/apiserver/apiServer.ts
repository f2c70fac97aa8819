// kube-apiserver in the simulator: every write goes through the pipeline (authentication →
// authorization → mutating admission → validation → validating admission → etcd) after the
// profile's request latency, and commits after the etcd latency. Requests from one client
// commit in the order they were sent, as on one HTTP/2 connection.
import { withFields } from '../../base/withFields';
import type { KubernetesVersion } from '../../base/kubernetesVersion';
import type { TraceRecorder } from '../../trace/model/recorder';
import type { SimEngine } from '../engine/engine';
import { withDisruptionTarget } from '../helpers/podUtil';
import { Latencies, type LatencyProfile } from '../profile/profile';
import { ApiError, notFound } from '../store/apiError';
import { nameAlphabet, rfc3339 } from '../store/naming';
import { keyOf, resourceInfo, type KubeObject } from '../store/objects';
import type { ObjectOf } from '../store/kinds';
import type { ObjectStore } from '../store/store';
import { applyDelete, type DeleteOptions } from './deletion';
import { decideEviction } from './eviction';
import type { Pipeline, Verb } from './pipeline';
import { RequestTrace } from './requestTrace';
import { WriteAdmission, type Admitted } from './writeAdmission';

export type Done<T extends KubeObject = KubeObject> = (result: T | undefined, error: ApiError | undefined) => void;

/** How a request reports back; `onDone` gets the stored object, typed by the request's resource. */
export interface RequestOptions<T extends KubeObject = KubeObject> {
  /** A method, so that a request typed by its resource passes where any request does. */
  onDone?(result: T | undefined, error: ApiError | undefined): void;
  readonly causes?: readonly number[];
  /** Trace each pipeline step on the apiserver lane (creates and deletes); off for status patches. */
  readonly traceSteps?: boolean;
  /** dryRun=All: admission and validation run, nothing is stored; `onDone` gets the object that would be. */
  readonly dryRun?: boolean;
  /**
   * The connection the request came on: requests on one connection commit in the order they were
   * sent. By default the user's, as a component has one connection; a served API's clients each
   * have their own.
   */
  readonly connection?: string;
}

export class ApiServer {
  private readonly latencies: Latencies;
  private readonly lastCommit = new Map<string, number>();
  private readonly admission: WriteAdmission;
  private readonly requests: RequestTrace;
  /** The trace id of the last stored write per object uid, for causes. */
  readonly lastWrite: Map<string, number>;

  /** An object's last stored write as a `causes` list: what a controller's requests about it follow from. */
  causesOf(object: KubeObject): number[] {
    const id = this.lastWrite.get(object.metadata.uid ?? '');
    return id === undefined ? [] : [id];
  }

  constructor(
    private readonly engine: SimEngine,
    private readonly store: ObjectStore,
    trace: TraceRecorder,
    profile: LatencyProfile,
    pipeline: Pipeline,
    version: KubernetesVersion,
  ) {
    this.latencies = new Latencies(profile, engine.random('apiserver'));
    const names = engine.random('apiserver-names');
    const context = { store, version, randomSuffix: () => names.chars(5, nameAlphabet) };
    this.admission = new WriteAdmission(store, pipeline, context, names);
    this.requests = new RequestTrace(engine, trace);
    this.lastWrite = this.requests.lastWrite;
  }

  create<R extends string>(
    resource: R,
    object: ObjectOf<R>,
    user: string,
    options: RequestOptions<ObjectOf<R>> = {},
  ): void {
    this.submit(user, 'create', resource, object, options, () =>
      this.admitAndStore('create', resource, object, user, options),
    );
  }

  /** Replaces the spec (and metadata) of an object; admission and validation run again. */
  update<R extends string>(
    resource: R,
    object: ObjectOf<R>,
    user: string,
    options: RequestOptions<ObjectOf<R>> = {},
  ): void {
    this.submit(user, 'update', resource, object, options, () =>
      this.admitAndStore('update', resource, object, user, options),
    );
  }

  /** A status (or metadata) write computed from the object current at commit time: no admission, no conflicts. */
  patch<R extends string>(
    resource: R,
    namespace: string | undefined,
    name: string,
    change: (current: ObjectOf<R>) => ObjectOf<R> | undefined,
    user: string,
    options: RequestOptions<ObjectOf<R>> = {},
  ): void {
    this.schedule(options.connection ?? user, () =>
      this.applyPatch(resource, this.store.get(resource, namespace, name), name, change, options),
    );
  }

  /** Takes one finalizer off an object; an object being deleted whose last finalizer goes is removed. */
  removeFinalizer(
    resource: string,
    namespace: string | undefined,
    name: string,
    finalizer: string,
    user: string,
    options: RequestOptions = {},
  ): void {
    this.patch(
      resource,
      namespace,
      name,
      (cur) => ({
        ...cur,
        metadata: { ...cur.metadata, finalizers: (cur.metadata.finalizers ?? []).filter((f) => f !== finalizer) },
      }),
      user,
      options,
    );
  }

  /** `patch` of an object the caller has (any version of it): found by its store key, not by its name again. */
  patchObject<R extends string>(
    resource: R,
    object: ObjectOf<R>,
    change: (current: ObjectOf<R>) => ObjectOf<R> | undefined,
    user: string,
    options: RequestOptions<ObjectOf<R>> = {},
  ): void {
    const key = keyOf(object);
    this.schedule(options.connection ?? user, () =>
      this.applyPatch(resource, this.store.getByKey(resource, key), object.metadata.name, change, options),
    );
  }

  private applyPatch<R extends string>(
    resource: R,
    current: ObjectOf<R> | undefined,
    name: string,
    change: (current: ObjectOf<R>) => ObjectOf<R> | undefined,
    options: RequestOptions<ObjectOf<R>>,
  ): void {
    if (!current) return options.onDone?.(undefined, notFound(resource, name));
    const next = change(current);
    if (!next || next === current) return options.onDone?.(current, undefined);
    const stored = this.store.update(resource, next, current.metadata.resourceVersion);
    // A write that took the last finalizer off an object being deleted removed it: said as a delete is.
    if (
      stored.metadata.deletionTimestamp &&
      (stored.metadata.finalizers?.length ?? 0) === 0 &&
      !this.store.getByKey(resource, keyOf(stored))
    )
      this.requests.stored(this.requests.refFor(stored), 'delete', undefined, options.causes);
    options.onDone?.(stored, undefined);
  }

  /** pods/binding: sets spec.nodeName; 409 if the pod is already bound. */
  bind(namespace: string, name: string, nodeName: string, user: string, options: RequestOptions = {}): void {
    this.schedule(options.connection ?? user, () => {
      const pod = this.store.get('pods', namespace, name);
      if (!pod) return options.onDone?.(undefined, notFound('pods', name));
      const spec = pod.spec;
      if (spec?.nodeName) {
        return options.onDone?.(
          undefined,
          new ApiError(
            409,
            'Conflict',
            `Operation cannot be fulfilled on pods/binding "${name}": ` +
              `pod ${name} is already assigned to node "${spec.nodeName}"`,
          ),
        );
      }
      const stored = this.store.update('pods', withFields(pod, { spec: withFields(spec ?? {}, { nodeName }) }));
      options.onDone?.(stored, undefined);
    });
  }

  /**
   * DELETE. A pod bound to a node is deleted gracefully: it gets a deletionTimestamp of
   * now + grace and stays until the kubelet confirms with a zero-grace delete. Foreground
   * and orphan propagation add their finalizers for the garbage collector.
   */
  delete(
    resource: string,
    namespace: string | undefined,
    name: string,
    user: string,
    del: DeleteOptions = {},
    options: RequestOptions = {},
  ): void {
    this.schedule(options.connection ?? user, () => {
      const current = this.store.get(resource, namespace, name);
      if (!current) return options.onDone?.(undefined, notFound(resource, name));
      const ref = this.requests.refFor(current);
      if (options.traceSteps) this.requests.steps('delete', ref, user, [], options.causes);
      try {
        const result = applyDelete(this.store, this.engine.now(), resource, current, del);
        this.requests.stored(ref, 'delete', result, options.causes);
        options.onDone?.(result, undefined);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        options.onDone?.(undefined, error);
      }
    });
  }

  /**
   * pods/eviction: the budgets that select the pod decide (decideEviction); an allowed
   * eviction charges its budget and deletes the pod gracefully, with its own grace period.
   * The trace says what was decided and why.
   */
  evict(namespace: string, name: string, user: string, options: RequestOptions = {}): void {
    this.schedule(options.connection ?? user, () => {
      const pod = this.store.get('pods', namespace, name);
      if (!pod) return options.onDone?.(undefined, notFound('pods', name));
      const ref = this.requests.refFor(pod);
      const decision = decideEviction(this.store, pod, this.engine.now());
      const note = (reason: string, message: string, severity: 'Normal' | 'Warning' = 'Normal') =>
        this.requests.note(ref, reason, message, severity, options.causes);
      if (decision.kind === 'refuse') {
        const cause = decision.error.details?.causes?.[0]?.message;
        note(
          'EvictionRefused',
          `${decision.error.code} ${decision.error.reason || 'InternalError'}: ` +
            `${decision.error.message}${cause ? ` (${cause})` : ''}`,
          'Warning',
        );
        return options.onDone?.(undefined, decision.error);
      }
      if (decision.kind === 'charge') {
        this.store.update(
          'poddisruptionbudgets',
          { ...decision.budget, status: decision.status },
          decision.budget.metadata.resourceVersion,
        );
        note(
          'Evicting',
          `eviction allowed by PodDisruptionBudget ${decision.budget.metadata.name}: ` +
            `disruptionsAllowed now ${decision.status.disruptionsAllowed}`,
        );
      } else note('Evicting', `eviction allowed: ${decision.why}`);
      // addConditionAndDeletePod: the pod is first updated with DisruptionTarget (who deletes
      // it and why, for its controller and whoever reads its status), then deleted.
      const marked = this.store.update(
        'pods',
        withDisruptionTarget(pod, 'EvictionByEvictionAPI', 'Eviction API: evicting', rfc3339(this.engine.now())),
        pod.metadata.resourceVersion,
      );
      this.requests.stored(
        ref,
        'update',
        marked,
        options.causes,
        undefined,
        'condition DisruptionTarget=True (EvictionByEvictionAPI)',
      );
      const result = applyDelete(this.store, this.engine.now(), 'pods', marked, {});
      this.requests.stored(ref, 'delete', result, options.causes);
      options.onDone?.(result, undefined);
    });
  }

  private submit(
    user: string,
    verb: Verb,
    resource: string,
    object: KubeObject,
    options: RequestOptions,
    run: () => void,
  ): void {
    if (!resourceInfo(resource)) {
      options.onDone?.(
        undefined,
        new ApiError(404, 'NotFound', `the server could not find the requested resource (${verb} ${resource})`),
      );
      return;
    }
    void object;
    this.schedule(options.connection ?? user, run);
  }

  private schedule(connection: string, run: () => void): void {
    const at = Math.max(
      this.engine.now() + this.latencies.of('apiserverRequest'),
      this.lastCommit.get(connection) ?? 0,
    );
    this.lastCommit.set(connection, at);
    // Connections come and go (a served API's clients): the entries already behind the clock order nothing.
    if (this.lastCommit.size > 1024)
      for (const [key, time] of this.lastCommit) if (time < this.engine.now()) this.lastCommit.delete(key);
    this.engine.after(at - this.engine.now(), run);
  }

  private admitAndStore(
    verb: 'create' | 'update',
    resource: string,
    input: KubeObject,
    user: string,
    options: RequestOptions,
  ): void {
    const named = this.admission.named(verb, resource, input);
    const ref = this.requests.refFor(named);
    let admitted: Admitted;
    try {
      admitted = this.admission.admit(verb, resource, input, named, user);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (options.traceSteps) this.requests.rejected('apiserver', ref, error, options.causes);
      options.onDone?.(undefined, error);
      return;
    }
    const { object, plugins } = admitted;
    if (options.dryRun) {
      // What a dry run answers: the admitted object, with no uid or resourceVersion given by storage.
      options.onDone?.(object, undefined);
      return;
    }
    if (options.traceSteps) this.requests.steps(verb, ref, user, plugins, options.causes);
    const etcd = this.latencies.of('etcdWrite');
    this.engine.after(etcd, () => {
      try {
        const stored = verb === 'create' ? this.store.create(resource, object) : this.store.update(resource, object);
        this.requests.stored(this.requests.refFor(stored), verb, stored, options.causes, etcd);
        options.onDone?.(stored, undefined);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (options.traceSteps) this.requests.rejected('etcd', ref, error, options.causes);
        options.onDone?.(undefined, error);
      }
    });
  }
}
