// What a DELETE does to the stored object, as the registry's graceful deletion decides it: a
// pod bound to a node gets a deletionTimestamp of now + grace and stays until the kubelet
// confirms with a zero-grace delete; Foreground and Orphan propagation add their finalizers
// for the garbage collector; an object with finalizers is only marked; anything else goes.
import { isPodTerminal } from '../helpers/podUtil';
import { ApiError } from '../store/apiError';
import { rfc3339 } from '../store/naming';
import type { KubeObject } from '../store/objects';
import { isKind } from '../store/kinds';
import type { ObjectStore } from '../store/store';

export interface DeleteOptions {
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** Precondition: the uid the caller expects (the kubelet's final delete). */
  readonly uid?: string;
}

/**
 * Deletes `current` from the store at virtual time `now`: the object as stored after the
 * delete (marked for deletion), or undefined when it is gone. A uid precondition that does
 * not hold is a 409 Conflict.
 */
export function applyDelete(
  store: ObjectStore,
  now: number,
  resource: string,
  current: KubeObject,
  del: DeleteOptions,
): KubeObject | undefined {
  const { namespace, name } = current.metadata;
  if (del.uid !== undefined && del.uid !== current.metadata.uid)
    throw new ApiError(
      409,
      'Conflict',
      `Precondition failed: UID in precondition: ${del.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  const finalizer =
    del.propagationPolicy === 'Foreground'
      ? 'foregroundDeletion'
      : del.propagationPolicy === 'Orphan'
        ? 'orphan'
        : undefined;
  if (finalizer && !current.metadata.deletionTimestamp) {
    const finalizers = [...(current.metadata.finalizers ?? []), finalizer];
    return store.update(resource, {
      ...current,
      metadata: { ...current.metadata, finalizers, deletionTimestamp: rfc3339(now), deletionGracePeriodSeconds: 0 },
    });
  }
  // The pods resource holds pods only: the kind check always passes, and names the kind for the types.
  if (resource === 'pods' && isKind(current, 'Pod')) {
    const grace =
      !current.spec?.nodeName || isPodTerminal(current)
        ? 0
        : (del.gracePeriodSeconds ?? current.spec?.terminationGracePeriodSeconds ?? 30);
    const already = current.metadata.deletionGracePeriodSeconds;
    if (grace > 0 && (already === undefined || grace < already)) {
      return store.update(resource, {
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
    return store.update(resource, {
      ...current,
      metadata: {
        ...current.metadata,
        deletionTimestamp: current.metadata.deletionTimestamp ?? rfc3339(now),
        deletionGracePeriodSeconds: 0,
      },
    });
  }
  return store.remove(resource, namespace, name);
}
