// What the apiserver says on the trace about each request: the pipeline's steps on the
// apiserver lane, the etcd write (or the deletion) that stored it, and rejections. It keeps
// the trace id of each object's last stored write, which later events about the object name
// as their cause.
import type { TraceRecorder } from '../../trace/model/recorder';
import type { ObjectRef } from '../../trace/model/traceEvent';
import type { SimEngine } from '../engine/engine';
import type { ApiError } from '../store/apiError';
import type { KubeObject } from '../store/objects';
import type { Verb } from './pipeline';

export class RequestTrace {
  /** The trace id of the last stored write per object uid, for causes. */
  readonly lastWrite = new Map<string, number>();

  constructor(
    private readonly engine: SimEngine,
    private readonly trace: TraceRecorder,
  ) {}

  /** The object a request is about, as its events name it before it is stored (a generateName object by its prefix). */
  refFor(object: KubeObject): ObjectRef {
    return {
      kind: object.kind,
      namespace: object.metadata.namespace ?? null,
      name: object.metadata.name || `${object.metadata.generateName ?? ''}*`,
      uid: object.metadata.uid ?? null,
    };
  }

  /** A note about the request on the apiserver lane; its trace id. */
  note(
    ref: ObjectRef,
    reason: string,
    message: string,
    severity: 'Normal' | 'Warning',
    causes: readonly number[] | undefined,
  ): number {
    return this.trace.emit({
      time: this.engine.now(),
      lane: 'apiserver',
      node: null,
      object: ref,
      reason,
      message,
      severity,
      causes,
    });
  }

  /** A request refused by the apiserver's pipeline or by etcd, on that lane. */
  rejected(lane: 'apiserver' | 'etcd', ref: ObjectRef, error: ApiError, causes: readonly number[] | undefined): void {
    this.trace.emit({
      time: this.engine.now(),
      lane,
      node: null,
      object: ref,
      reason: 'Rejected',
      message: `${error.code} ${error.reason}: ${error.message}`,
      severity: 'Warning',
      causes,
    });
  }

  /** The pipeline's steps for one request: authentication, authorization and, for writes, admission and validation. */
  steps(
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

  /** The write that etcd stored (or the deletion it recorded), which later events about the object follow from. */
  stored(
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
    const grace = stored?.metadata.deletionGracePeriodSeconds
      ? `, grace ${stored.metadata.deletionGracePeriodSeconds}s`
      : '';
    const written = verb === 'create' ? 'created' : 'updated';
    const message =
      verb === 'delete'
        ? stored
          ? `marked for deletion (deletionTimestamp ${stored.metadata.deletionTimestamp}${grace})`
          : 'removed'
        : `${written} at resourceVersion ${stored?.metadata.resourceVersion}${what ? `: ${what}` : ''}`;
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
