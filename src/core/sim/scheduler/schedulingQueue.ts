// The scheduling queue (pkg/scheduler/backend/queue): activeQ by priority then arrival,
// backoffQ (1 s doubling to 10 s per attempt, counted from the failed attempt), and
// unschedulable pods that wait for a cluster event (a node added or changed, a pod deleted)
// or the 5-minute flush. A pod moved by an event after its backoff is over goes straight to
// activeQ; one still backing off waits in backoffQ for the rest of it. An event moves only the
// pods that a plugin registered for it rejected, and whose queueing hint, if the plugin has
// one, says Queue (isPodWorthRequeuing): a pod deleted frees room for those NodeResourcesFit,
// NodePorts or the spreading plugins turned away, not for a pod no node's labels select.
import type { SimEngine, TimerHandle } from '../engine/engine';
import type { ClusterEvent, PluginName } from './framework';
import type { EventInterest } from './frameworkRuntime';

export interface QueuedPod {
  readonly key: string;
  priority: number;
  attempts: number;
  arrival: number;
  /** When its last attempt failed (the queue's timestamp of the pod): its backoff counts from there. */
  failedAt?: number;
  /** The plugins that rejected it last (UnschedulablePlugins); undefined: any event may help. */
  rejectedBy?: ReadonlySet<PluginName>;
}

const initialBackoffMs = 1000;
const maxBackoffMs = 10_000;
const unschedulableFlushMs = 5 * 60_000;

export class SchedulingQueue {
  private active: QueuedPod[] = [];
  private head = 0;
  private readonly backoff = new Map<string, TimerHandle>();
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly known = new Map<string, QueuedPod>();
  private arrivals = 0;

  constructor(
    private readonly engine: SimEngine,
    private readonly onActive: () => void,
  ) {}

  get activeCount(): number {
    return this.active.length - this.head;
  }

  add(key: string, priority: number): void {
    if (this.known.has(key)) return;
    const entry: QueuedPod = { key, priority, attempts: 0, arrival: this.arrivals++ };
    this.known.set(key, entry);
    this.pushActive(entry);
  }

  delete(key: string): void {
    const entry = this.known.get(key);
    if (!entry) return;
    this.known.delete(key);
    this.unschedulable.delete(key);
    this.engine.cancel(this.backoff.get(key));
    this.backoff.delete(key);
    const i = this.active.indexOf(entry, this.head);
    if (i >= 0) this.active.splice(i, 1);
  }

  pop(): QueuedPod | undefined {
    if (this.head >= this.active.length) return undefined;
    const entry = this.active[this.head++];
    if (this.head > 1024 && this.head * 2 > this.active.length) {
      this.active = this.active.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  done(key: string): void {
    this.known.delete(key);
  }

  /** After a failed attempt: wait in unschedulablePods for an event, and the flush timer. */
  markUnschedulable(entry: QueuedPod): void {
    entry.attempts++;
    entry.failedAt = this.engine.now();
    this.unschedulable.set(entry.key, entry);
    this.engine.after(unschedulableFlushMs, () => this.moveOne(entry.key), true);
  }

  /**
   * A cluster event that may make pods schedulable (MoveAllToActiveOrBackoffQueue): each goes
   * to backoffQ or activeQ. With `interest`, the plugins registered for `event`, only the pods
   * one of them rejected, and whose hint says Queue, move; without, every waiting pod does.
   */
  moveAll(interest?: EventInterest, event?: ClusterEvent): void {
    for (const [key, entry] of [...this.unschedulable])
      if (!interest || !event || worthRequeuing(interest, event, entry)) this.moveOne(key);
  }

  private moveOne(key: string): void {
    const entry = this.unschedulable.get(key);
    if (!entry) return;
    this.unschedulable.delete(key);
    const backoff = Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.max(0, entry.attempts - 1));
    const left = (entry.failedAt ?? this.engine.now()) + backoff - this.engine.now();
    if (left <= 0) return this.pushActive(entry);
    this.backoff.set(
      key,
      this.engine.after(left, () => {
        this.backoff.delete(key);
        if (this.known.get(key) === entry) this.pushActive(entry);
      }),
    );
  }

  private pushActive(entry: QueuedPod): void {
    // Insert keeping (priority desc, arrival asc); the common case appends.
    let i = this.active.length;
    while (
      i > this.head &&
      (this.active[i - 1].priority < entry.priority ||
        (this.active[i - 1].priority === entry.priority && this.active[i - 1].arrival > entry.arrival))
    )
      i--;
    this.active.splice(i, 0, entry);
    this.onActive();
  }
}

/**
 * Whether the event may help the pod: a plugin that rejected it registered for the event and
 * does not hint QueueSkip (a pod none is known to have rejected, always).
 */
function worthRequeuing(interest: EventInterest, event: ClusterEvent, entry: QueuedPod): boolean {
  if (!entry.rejectedBy) return true;
  for (const plugin of entry.rejectedBy) {
    if (!interest.has(plugin)) continue;
    const hint = interest.get(plugin);
    if (!hint || hint(entry.key, event) === 'Queue') return true;
  }
  return false;
}
