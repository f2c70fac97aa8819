// What every simulated component gets: the engine (clock, timers, random streams), the
// store it watches, the apiserver it writes through, the trace it reports to, and the
// latency profile. Components never hold references to each other.
import type { KubernetesVersion } from '../../base/kubernetesVersion';
import type { TraceRecorder } from '../../trace/model/recorder';
import type { ApiServer } from '../apiserver/apiServer';
import type { SharedInformers } from './informer';
import type { EventRecorder } from '../apiserver/eventRecorder';
import type { SimEngine } from '../engine/engine';
import type { LatencyProfile } from '../profile/profile';
import type { ObjectStore } from '../store/store';

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
