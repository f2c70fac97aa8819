// What every simulated component gets: the engine (clock, timers, random streams), the
// store it watches, the apiserver it writes through, the trace it reports to, and the
// latency profile. Components never hold references to each other.
import type { KubernetesVersion } from '../manifest/validate';
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

const refCache = new WeakMap<object, ObjectRef>();

/** The trace's reference to an object, shared between events of the same object version. */
export function refOf(object: KubeObject): ObjectRef {
  let ref = refCache.get(object.metadata);
  if (!ref) {
    ref = { kind: object.kind, namespace: object.metadata.namespace ?? null, name: object.metadata.name, uid: object.metadata.uid ?? null };
    refCache.set(object.metadata, ref);
  }
  return ref;
}
