// kube-apiserver in the simulator: every write goes through the pipeline (authentication →
// authorization → mutating admission → validation → validating admission → etcd) after the
// profile's request latency, and commits after the etcd latency. Requests from one client
// commit in the order they were sent, as on one HTTP/2 connection.
import { withFields } from '../../base/withFields';
import type { KubernetesVersion } from '../../base/kubernetesVersion';
import type { TraceRecorder } from '../../trace/model/recorder';
import type { ObjectRef } from '../../trace/model/traceEvent';
import type { SimEngine } from '../engine/engine';
import { isPodTerminal, withDisruptionTarget } from '../helpers/podUtil';
import { Latencies, type LatencyProfile } from '../profile/profile';
import { ApiError, notFound } from '../store/apiError';
import { decideEviction } from './eviction';
import { generateName, nameAlphabet, rfc3339 } from '../store/naming';
import { keyOf, resourceInfo, type KubeObject } from '../store/objects';
import type { ObjectStore } from '../store/store';
import { invalid, type AdmissionContext, type AdmissionRequest, type Pipeline, type Verb } from './pipeline';

export type Done = (result: KubeObject | undefined, error: ApiError | undefined) => void;

export interface RequestOptions {
  readonly onDone?: Done;
  readonly causes?: readonly number[];
  /** Trace each pipeline step on the apiserver lane (creates and deletes); off for status patches. */
  readonly traceSteps?: boolean;
}

export interface DeleteOptions {
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** Precondition: the uid the caller expects (the kubelet's final delete). */
  readonly uid?: string;
}

export class ApiServer {
  private readonly latencies: Latencies;
  private readonly lastCommit = new Map<string, number>();
  private readonly admission: AdmissionContext;
  /** The trace id of the last stored write per object uid, for causes. */
  readonly lastWrite = new Map<string, number>();

  /** An object's last stored write as a `causes` list: what a controller's requests about it follow from. */
  causesOf(object: KubeObject): number[] {
    const id = this.lastWrite.get(object.metadata.uid ?? '');
    return id === undefined ? [] : [id];
  }
  /**
   * Pods a controller creates from one template are admitted into objects that differ only
   * in their generated name and the random suffix of the service-account volume, neither of
   * which can make them invalid. A clean validation is kept per template spec (the object
   * those pods share) and reused for the next pod of the same owner, labels, annotations and
   * name prefix while nothing that admission reads (namespaces, service accounts, limit
   * ranges) has changed.
   */
  private readonly cleanPodSpecs = new WeakMap<
    object,
    { readonly metadata: KubeObject['metadata']; readonly admissionState: string }
  >();

  constructor(
    private readonly engine: SimEngine,
    private readonly store: ObjectStore,
    private readonly trace: TraceRecorder,
    profile: LatencyProfile,
    private readonly pipeline: Pipeline,
    version: KubernetesVersion,
  ) {
    this.latencies = new Latencies(profile, engine.random('apiserver'));
    const names = engine.random('apiserver-names');
    this.admission = { store, version, randomSuffix: () => names.chars(5, nameAlphabet) };
    this.names = names;
  }

  private readonly names;

  create(resource: string, object: KubeObject, user: string, options: RequestOptions = {}): void {
    this.submit(user, 'create', resource, object, options, () =>
      this.admitAndStore('create', resource, object, user, options),
    );
  }

  /** Replaces the spec (and metadata) of an object; admission and validation run again. */
  update(resource: string, object: KubeObject, user: string, options: RequestOptions = {}): void {
    this.submit(user, 'update', resource, object, options, () =>
      this.admitAndStore('update', resource, object, user, options),
    );
  }

  /** A status (or metadata) write computed from the object current at commit time: no admission, no conflicts. */
  patch(
    resource: string,
    namespace: string | undefined,
    name: string,
    change: (current: KubeObject) => KubeObject | undefined,
    user: string,
    options: RequestOptions = {},
  ): void {
    this.schedule(user, () =>
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
  patchObject(
    resource: string,
    object: KubeObject,
    change: (current: KubeObject) => KubeObject | undefined,
    user: string,
    options: RequestOptions = {},
  ): void {
    const key = keyOf(object);
    this.schedule(user, () =>
      this.applyPatch(resource, this.store.getByKey(resource, key), object.metadata.name, change, options),
    );
  }

  private applyPatch(
    resource: string,
    current: KubeObject | undefined,
    name: string,
    change: (current: KubeObject) => KubeObject | undefined,
    options: RequestOptions,
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
      this.traceStored(this.refFor(stored), 'delete', undefined, options.causes);
    options.onDone?.(stored, undefined);
  }

  /** pods/binding: sets spec.nodeName; 409 if the pod is already bound. */
  bind(namespace: string, name: string, nodeName: string, user: string, options: RequestOptions = {}): void {
    this.schedule(user, () => {
      const pod = this.store.get('pods', namespace, name);
      if (!pod) return options.onDone?.(undefined, notFound('pods', name));
      if (pod.spec.nodeName) {
        return options.onDone?.(
          undefined,
          new ApiError(
            409,
            'Conflict',
            `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${pod.spec.nodeName}"`,
          ),
        );
      }
      const stored = this.store.update('pods', withFields(pod, { spec: withFields(pod.spec, { nodeName }) }));
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
    this.schedule(user, () => {
      const current = this.store.get(resource, namespace, name);
      if (!current) return options.onDone?.(undefined, notFound(resource, name));
      const ref = this.refFor(current);
      if (options.traceSteps) this.traceSteps('delete', ref, user, [], options.causes);
      try {
        const result = this.applyDelete(resource, current, del);
        this.traceStored(ref, 'delete', result, options.causes);
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
    this.schedule(user, () => {
      const pod = this.store.get('pods', namespace, name);
      if (!pod) return options.onDone?.(undefined, notFound('pods', name));
      const ref = this.refFor(pod);
      const decision = decideEviction(this.store, pod, this.engine.now());
      const note = (reason: string, message: string, severity: 'Normal' | 'Warning' = 'Normal') =>
        this.trace.emit({
          time: this.engine.now(),
          lane: 'apiserver',
          node: null,
          object: ref,
          reason,
          message,
          severity,
          causes: options.causes,
        });
      if (decision.kind === 'refuse') {
        const cause = decision.error.details?.causes?.[0]?.message;
        note(
          'EvictionRefused',
          `${decision.error.code} ${decision.error.reason || 'InternalError'}: ${decision.error.message}${cause ? ` (${cause})` : ''}`,
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
          `eviction allowed by PodDisruptionBudget ${decision.budget.metadata.name}: disruptionsAllowed now ${decision.status.disruptionsAllowed}`,
        );
      } else note('Evicting', `eviction allowed: ${decision.why}`);
      // addConditionAndDeletePod: the pod is first updated with DisruptionTarget (who deletes
      // it and why, for its controller and whoever reads its status), then deleted.
      const marked = this.store.update(
        'pods',
        withDisruptionTarget(pod, 'EvictionByEvictionAPI', 'Eviction API: evicting', rfc3339(this.engine.now())),
        pod.metadata.resourceVersion,
      );
      this.traceStored(
        ref,
        'update',
        marked,
        options.causes,
        undefined,
        'condition DisruptionTarget=True (EvictionByEvictionAPI)',
      );
      const result = this.applyDelete('pods', marked, {});
      this.traceStored(ref, 'delete', result, options.causes);
      options.onDone?.(result, undefined);
    });
  }

  private applyDelete(resource: string, current: KubeObject, del: DeleteOptions): KubeObject | undefined {
    const { namespace, name } = current.metadata;
    if (del.uid !== undefined && del.uid !== current.metadata.uid)
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${del.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    const now = this.engine.now();
    const finalizer =
      del.propagationPolicy === 'Foreground'
        ? 'foregroundDeletion'
        : del.propagationPolicy === 'Orphan'
          ? 'orphan'
          : undefined;
    if (finalizer && !current.metadata.deletionTimestamp) {
      const finalizers = [...(current.metadata.finalizers ?? []), finalizer];
      return this.store.update(resource, {
        ...current,
        metadata: { ...current.metadata, finalizers, deletionTimestamp: rfc3339(now), deletionGracePeriodSeconds: 0 },
      });
    }
    if (resource === 'pods') {
      const grace =
        !current.spec?.nodeName || isPodTerminal(current)
          ? 0
          : (del.gracePeriodSeconds ?? current.spec?.terminationGracePeriodSeconds ?? 30);
      const already = current.metadata.deletionGracePeriodSeconds;
      if (grace > 0 && (already === undefined || grace < already)) {
        return this.store.update(resource, {
          ...current,
          metadata: {
            ...current.metadata,
            deletionTimestamp: rfc3339(now + grace * 1000),
            deletionGracePeriodSeconds: grace,
          },
        });
      }
      if (grace > 0) return current;
    }
    if ((current.metadata.finalizers?.length ?? 0) > 0) {
      if (current.metadata.deletionTimestamp && current.metadata.deletionGracePeriodSeconds === 0) return current;
      return this.store.update(resource, {
        ...current,
        metadata: {
          ...current.metadata,
          deletionTimestamp: current.metadata.deletionTimestamp ?? rfc3339(now),
          deletionGracePeriodSeconds: 0,
        },
      });
    }
    return this.store.remove(resource, namespace, name);
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
    this.schedule(user, run);
  }

  private schedule(user: string, run: () => void): void {
    const at = Math.max(this.engine.now() + this.latencies.of('apiserverRequest'), this.lastCommit.get(user) ?? 0);
    this.lastCommit.set(user, at);
    this.engine.after(at - this.engine.now(), run);
  }

  private admitAndStore(
    verb: 'create' | 'update',
    resource: string,
    input: KubeObject,
    user: string,
    options: RequestOptions,
  ): void {
    let object = input;
    if (verb === 'create' && !object.metadata.name && object.metadata.generateName) {
      let name = generateName(object.metadata.generateName, this.names);
      if (this.store.get(resource, object.metadata.namespace, name))
        name = generateName(object.metadata.generateName, this.names);
      object = { ...object, metadata: { ...object.metadata, name } };
    }
    const info = resourceInfo(resource)!;
    if (info.namespaced && !object.metadata.namespace)
      object = { ...object, metadata: { ...object.metadata, namespace: 'default' } };
    // Mutating admission's errors name a generateName object by its prefix (upstream's NewForbidden: the name is generated after mutating admission).
    const request: AdmissionRequest = {
      verb,
      resource,
      user,
      namespace: object.metadata.namespace,
      name: input.metadata.name || input.metadata.generateName || object.metadata.name,
    };
    const ref = this.refFor(object);
    const plugins: string[] = [];
    try {
      const identity = this.pipeline.authenticate(user);
      if (!this.pipeline.authorize(identity.user, request)) {
        throw new ApiError(
          403,
          'Forbidden',
          `${resource} "${object.metadata.name}" is forbidden: User "${user}" cannot ${verb} resource "${resource}"`,
        );
      }
      for (const plugin of this.pipeline.mutating) {
        const next = plugin.admit(object, request, this.admission);
        if (next !== object) plugins.push(plugin.name);
        object = next;
      }
      const template =
        verb === 'create' &&
        resource === 'pods' &&
        !input.metadata.name &&
        input.metadata.generateName &&
        typeof input.spec === 'object'
          ? input.spec
          : undefined;
      const admissionState = template
        ? `${this.store.lastChange('namespaces')}/${this.store.lastChange('serviceaccounts')}/${this.store.lastChange('limitranges')}`
        : '';
      const clean = template ? this.cleanPodSpecs.get(template) : undefined;
      const reuse =
        clean !== undefined &&
        clean.admissionState === admissionState &&
        sameTemplateMetadata(clean.metadata, input.metadata);
      const errors = reuse ? [] : this.pipeline.validate(object, this.admission.version);
      if (template && !reuse && errors.length === 0)
        this.cleanPodSpecs.set(template, { metadata: input.metadata, admissionState });
      if (errors.length > 0) {
        const group = info.apiVersion.includes('/') ? info.apiVersion.split('/')[0] : '';
        throw invalid(object.kind, group, object.metadata.name, errors);
      }
      // Validating admission runs in the registry's create, after the name was generated: its errors name the object itself.
      const validatingRequest =
        request.name === object.metadata.name ? request : { ...request, name: object.metadata.name };
      for (const plugin of this.pipeline.validating) plugin.validate(object, validatingRequest, this.admission);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (options.traceSteps)
        this.trace.emit({
          time: this.engine.now(),
          lane: 'apiserver',
          node: null,
          object: ref,
          reason: 'Rejected',
          message: `${error.code} ${error.reason}: ${error.message}`,
          severity: 'Warning',
          causes: options.causes,
        });
      options.onDone?.(undefined, error);
      return;
    }
    if (options.traceSteps) this.traceSteps(verb, ref, user, plugins, options.causes);
    const etcd = this.latencies.of('etcdWrite');
    this.engine.after(etcd, () => {
      try {
        const stored = verb === 'create' ? this.store.create(resource, object) : this.store.update(resource, object);
        this.traceStored(this.refFor(stored), verb, stored, options.causes, etcd);
        options.onDone?.(stored, undefined);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (options.traceSteps)
          this.trace.emit({
            time: this.engine.now(),
            lane: 'etcd',
            node: null,
            object: ref,
            reason: 'Rejected',
            message: `${error.code} ${error.reason}: ${error.message}`,
            severity: 'Warning',
            causes: options.causes,
          });
        options.onDone?.(undefined, error);
      }
    });
  }

  private refFor(object: KubeObject): ObjectRef {
    return {
      kind: object.kind,
      namespace: object.metadata.namespace ?? null,
      name: object.metadata.name || `${object.metadata.generateName ?? ''}*`,
      uid: object.metadata.uid ?? null,
    };
  }

  private traceSteps(
    verb: Verb,
    ref: ObjectRef,
    user: string,
    plugins: readonly string[],
    causes: readonly number[] | undefined,
  ): void {
    const time = this.engine.now();
    const emit = (reason: string, message: string, c?: readonly number[]) =>
      this.trace.emit({ time, lane: 'apiserver', node: null, object: ref, reason, message, causes: c });
    // The later steps share one list of their cause.
    const first = [emit('Authenticated', `${verb} request authenticated as ${user}`, causes)];
    emit('Authorized', `RBAC: allowed ${verb} ${ref.kind}`, first);
    if (verb !== 'delete') {
      emit('MutatingAdmission', plugins.length > 0 ? `admitted by ${plugins.join(', ')}` : 'no mutation', first);
      emit('Validated', 'object is valid', first);
      emit('ValidatingAdmission', 'admitted', first);
    }
  }

  private traceStored(
    ref: ObjectRef,
    verb: Verb,
    stored: KubeObject | undefined,
    causes: readonly number[] | undefined,
    duration?: number,
    what?: string,
  ): void {
    const uid = stored?.metadata.uid ?? ref.uid;
    // The stored object's shared reference (its name and uid final now), as its later events use.
    const finalRef = stored ? this.trace.refs.of(stored) : ref;
    const message =
      verb === 'delete'
        ? stored
          ? `marked for deletion (deletionTimestamp ${stored.metadata.deletionTimestamp}${stored.metadata.deletionGracePeriodSeconds ? `, grace ${stored.metadata.deletionGracePeriodSeconds}s` : ''})`
          : 'removed'
        : `${verb === 'create' ? 'created' : 'updated'} at resourceVersion ${stored?.metadata.resourceVersion}${what ? `: ${what}` : ''}`;
    const id = this.trace.emit({
      time: this.engine.now(),
      lane: 'etcd',
      node: null,
      object: finalRef,
      reason: verb === 'delete' ? 'Deleted' : 'Stored',
      message,
      causes,
      duration,
    });
    if (uid) this.lastWrite.set(uid, id);
  }
}

/** The metadata a pod's validation reads, the same objects (a controller's pods share them). */
function sameTemplateMetadata(a: KubeObject['metadata'], b: KubeObject['metadata']): boolean {
  return (
    a.namespace === b.namespace &&
    a.generateName === b.generateName &&
    a.labels === b.labels &&
    a.annotations === b.annotations &&
    a.ownerReferences === b.ownerReferences &&
    a.finalizers === b.finalizers
  );
}
