// What every simulated component gets: the engine (clock, timers, random streams), the
// store it watches, the apiserver it writes through, the trace it reports to, and the
// latency profile. Components never hold references to each other.
import type { KubernetesVersion } from '../base/kubernetesVersion';
import type { TraceRecorder } from '../trace/recorder';
import type { ObjectRef } from '../trace/traceEvent';
import type { ApiServer } from './apiserver/apiServer';
import type { SharedInformers } from './controllers/informer';
import type { EventRecorder } from './apiserver/eventRecorder';
import type { SimEngine } from './engine/engine';
import type { LatencyProfile } from './profile/profile';
import type { KubeObject } from './store/objects';
import type { ObjectStore } from './store/store';

export interface SimContext {
  readonly engine: SimEngine;
  readonly store: ObjectStore;
  readonly api: ApiServer;
  readonly trace: TraceRecorder;
  readonly events: EventRecorder;
  readonly profile: LatencyProfile;
  readonly version: KubernetesVersion;
  readonly informers: SharedInformers;
}

/**
 * References by uid: an object's kind, namespace and name never change, so all its versions
 * share one. Clusters run one after another in a process (the editor's traces, the tests) and
 * one seed gives the same uids to other objects: a reference is reused only when it names the
 * same object.
 */
const refsByUid = new Map<string, ObjectRef>();
const refsByMetadata = new WeakMap<object, ObjectRef>();

/** The trace's reference to an object, shared between all events of the object. */
export function refOf(object: KubeObject): ObjectRef {
  const uid = object.metadata.uid;
  let ref = uid === undefined ? refsByMetadata.get(object.metadata) : refsByUid.get(uid);
  if (!ref || ref.name !== object.metadata.name || ref.kind !== object.kind || ref.namespace !== (object.metadata.namespace ?? null)) {
    ref = { kind: object.kind, namespace: object.metadata.namespace ?? null, name: object.metadata.name, uid: uid ?? null };
    if (uid === undefined) refsByMetadata.set(object.metadata, ref);
    else {
      if (refsByUid.size >= 500_000) refsByUid.clear();
      refsByUid.set(uid, ref);
    }
  }
  return ref;
}
