// The simulator's omniscient observer of pod milestones (not a cluster component): the
// kubelet, the controllers and the endpoint consumers report when a pod reached each
// phase, so the trace can give every pod its phases and the step that held it back, and
// find windows in which a consumer still routed to a pod that no longer served.

export const podPhaseNames = [
  'created',
  'scheduled',
  'ipAssigned',
  'imagesReady',
  'started',
  'ready',
  'inEndpoints',
  'routable',
] as const;
export type PodPhase = (typeof podPhaseNames)[number];

export interface PodRecord {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  node: string | null;
  /** The pod's labels as last stored: which Services select it. */
  labels: Readonly<Record<string, string>>;
  readonly phases: Record<PodPhase, number | null>;
  /** The trace id of the event that set each phase, for critical-path causes. */
  readonly phaseEvents: Partial<Record<PodPhase, number>>;
  ip: string | null;
  /** When the application stopped accepting connections (SIGTERM) or turned not ready. */
  stoppedServingAt: number | null;
  restarts: number;
  lastWarning: string | null;
}

export class PodObserver {
  readonly pods = new Map<string, PodRecord>();
  /** Called when a pod stops serving, so the consumers can open routing windows. */
  onStoppedServing: ((record: PodRecord, time: number, why: string) => void) | undefined;
  /**
   * The uids of the pods whose record may have changed since `takeChanged`, once
   * `trackChanges` has been called (a run that streams its trace sends only those pods'
   * summaries). Every change goes through `record` or `mark`, so a uid handed out by
   * `record` counts as changed: a false positive costs one summary, a miss a stale row.
   */
  private changed: Set<string> | undefined;

  trackChanges(): void {
    this.changed ??= new Set(this.pods.keys());
  }

  /** The uids changed since the last call, in the order they first changed; empty unless tracking. */
  takeChanged(): string[] {
    if (!this.changed || this.changed.size === 0) return [];
    const uids = [...this.changed];
    this.changed.clear();
    return uids;
  }

  record(uid: string, namespace: string, name: string): PodRecord {
    this.changed?.add(uid);
    let r = this.pods.get(uid);
    if (!r) {
      r = {
        uid,
        namespace,
        name,
        node: null,
        labels: {},
        phases: {
          created: null,
          scheduled: null,
          ipAssigned: null,
          imagesReady: null,
          started: null,
          ready: null,
          inEndpoints: null,
          routable: null,
        },
        phaseEvents: {},
        ip: null,
        stoppedServingAt: null,
        restarts: 0,
        lastWarning: null,
      };
      this.pods.set(uid, r);
    }
    return r;
  }

  /** Sets a phase the first time it is reached. */
  mark(uid: string, namespace: string, name: string, phase: PodPhase, time: number, eventId?: number): void {
    const r = this.record(uid, namespace, name);
    if (r.phases[phase] !== null) return;
    r.phases[phase] = time;
    if (eventId !== undefined) r.phaseEvents[phase] = eventId;
  }

  stoppedServing(uid: string, time: number, why: string): void {
    const r = this.pods.get(uid);
    if (!r || r.stoppedServingAt !== null) return;
    this.changed?.add(uid);
    r.stoppedServingAt = time;
    this.onStoppedServing?.(r, time, why);
  }
}
