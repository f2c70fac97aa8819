// The discrete-event engine: a virtual clock, the event queue and the seeded random
// streams. Components never call each other; they schedule callbacks here and talk
// through the store, so the order and the races of a real cluster emerge.
import { addMs, ms, type Clock, type VirtualMs } from '../../base/time';
import { SeededRandom } from '../../base/random';
import { EventQueue, type QueuedEvent } from './eventQueue';

export type TimerHandle = QueuedEvent;

/** Why a run stopped. */
export type StopReason = 'quiescent' | 'time-limit' | 'event-limit' | 'stopped';

export interface RunResult {
  readonly reason: StopReason;
  readonly time: VirtualMs;
  readonly eventsRun: number;
}

export class SimEngine implements Clock {
  private current: VirtualMs = ms(0);
  private readonly queue = new EventQueue();
  private readonly root: SeededRandom;
  private eventsRun = 0;
  private stopRequested = false;
  /** Whether the event running now is background work; what it schedules inherits that. */
  private inBackground = false;

  constructor(seed: number) {
    this.root = new SeededRandom(seed);
  }

  now(): VirtualMs {
    return this.current;
  }

  /** An independent random stream per component, so one component's draws never shift another's. */
  random(label: string): SeededRandom {
    return this.root.fork(label);
  }

  /**
   * Runs `run` after `delayMs` of virtual time (at least 0; fractions are rounded to whole
   * ms). Without `background`, the new event is background work exactly when the event
   * scheduling it is, so the follow-ups of a lease renewal never keep a run alive.
   */
  after(delayMs: number, run: () => void, background?: boolean): TimerHandle {
    return this.queue.push(addMs(this.current, Math.max(0, Math.round(delayMs))), run, background ?? this.inBackground);
  }

  at(time: VirtualMs, run: () => void, background?: boolean): TimerHandle {
    return this.queue.push(time < this.current ? this.current : time, run, background ?? this.inBackground);
  }

  /** Runs `work` as foreground: a background check that found a change promotes its consequences. */
  foreground<T>(work: () => T): T {
    const was = this.inBackground;
    this.inBackground = false;
    try {
      return work();
    } finally {
      this.inBackground = was;
    }
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle) this.queue.cancel(handle);
  }

  stop(): void {
    this.stopRequested = true;
  }

  /** Whether the event running now is background work (what it schedules is too, unless it says otherwise). */
  get runningBackground(): boolean {
    return this.inBackground;
  }

  get pendingForeground(): number {
    return this.queue.foregroundCount;
  }

  /**
   * Fast mode: runs events as fast as the CPU allows until nothing but background work
   * is left (quiescence), the virtual time limit is reached, or `maxEvents` have run.
   * With a time limit, background events up to that limit run too, unless
   * `stopAtQuiescence` asks to stop early when only background work is left.
   */
  runFast(options: { untilMs?: number; maxEvents?: number; stopAtQuiescence?: boolean } = {}): RunResult {
    const limit = options.untilMs;
    const quiesce = options.stopAtQuiescence ?? limit === undefined;
    const maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
    this.stopRequested = false;
    let ran = 0;
    for (;;) {
      if (this.stopRequested) return this.result('stopped');
      if (quiesce && this.queue.foregroundCount === 0) return this.result('quiescent');
      const next = this.queue.peek();
      if (!next) {
        if (limit !== undefined) this.current = ms(Math.max(this.current, limit));
        return this.result('quiescent');
      }
      if (limit !== undefined && next.time > limit) {
        this.current = ms(limit);
        return this.result('time-limit');
      }
      if (ran >= maxEvents) return this.result('event-limit');
      this.step();
      ran++;
    }
  }

  /** Runs every event due at or before `time` and advances the clock to it. Used by paced mode. */
  runUntil(time: VirtualMs): void {
    for (;;) {
      const next = this.queue.peek();
      if (!next || next.time > time || this.stopRequested) break;
      this.step();
    }
    if (time > this.current) this.current = time;
  }

  nextEventTime(): VirtualMs | undefined {
    return this.queue.peek()?.time;
  }

  private step(): void {
    const event = this.queue.pop()!;
    this.current = event.time;
    this.eventsRun++;
    this.inBackground = event.background;
    event.run();
    this.inBackground = false;
  }

  private result(reason: StopReason): RunResult {
    return { reason, time: this.current, eventsRun: this.eventsRun };
  }
}
