// A binary min-heap of timed callbacks ordered by (time, sequence). The sequence number
// is the order in which events were scheduled, so two events at the same virtual
// millisecond always run in the order they were queued: the trace does not depend on
// the heap's internal layout, which is what makes a seed reproducible byte for byte.
//
// The ordering keys live in typed arrays beside the events, so sifting compares numbers in
// contiguous memory instead of reaching into event objects scattered over the heap: with
// tens of thousands of timers queued (probes, leases, pulls), that is most of the cost.
import type { VirtualMs } from '../../base/time';
import { doubled } from '../../base/typedArrays';

export interface QueuedEvent {
  readonly time: VirtualMs;
  readonly seq: number;
  /** Background events (periodic probes of a stable pod, resyncs) do not keep a fast run alive. */
  readonly background: boolean;
  readonly run: () => void;
  /** Cancelled, or already run. */
  cancelled: boolean;
}

export class EventQueue {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private events: (QueuedEvent | undefined)[] = [];
  private n = 0;
  private nextSeq = 0;
  private foreground = 0;

  get size(): number {
    return this.n;
  }

  /** Queued events that are neither background nor cancelled. */
  get foregroundCount(): number {
    return this.foreground;
  }

  push(time: VirtualMs, run: () => void, background = false): QueuedEvent {
    const seq = this.nextSeq++;
    const event: QueuedEvent = { time, seq, background, run, cancelled: false };
    if (!background) this.foreground++;
    if (this.n === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const events = this.events;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < time || (pt === time && seqs[parent] < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent];
      events[i] = events[parent];
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    events[i] = event;
    return event;
  }

  cancel(event: QueuedEvent): void {
    if (event.cancelled) return;
    event.cancelled = true;
    if (!event.background) this.foreground--;
  }

  peek(): QueuedEvent | undefined {
    this.dropCancelled();
    return this.n > 0 ? this.events[0] : undefined;
  }

  pop(): QueuedEvent | undefined {
    this.dropCancelled();
    const top = this.removeTop();
    if (!top) return undefined;
    if (!top.background) this.foreground--;
    // An event that has run is done: cancelling its handle later must not count it again.
    top.cancelled = true;
    return top;
  }

  private dropCancelled(): void {
    while (this.n > 0 && this.events[0]!.cancelled) this.removeTop();
  }

  private removeTop(): QueuedEvent | undefined {
    if (this.n === 0) return undefined;
    const times = this.times;
    const seqs = this.seqs;
    const events = this.events;
    const top = events[0];
    const n = --this.n;
    const lastTime = times[n];
    const lastSeq = seqs[n];
    const last = events[n];
    events[n] = undefined;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && (times[r] < times[l] || (times[r] === times[l] && seqs[r] < seqs[l])) ? r : l;
        const ct = times[child];
        if (ct > lastTime || (ct === lastTime && seqs[child] > lastSeq)) break;
        times[i] = ct;
        seqs[i] = seqs[child];
        events[i] = events[child];
        i = child;
      }
      times[i] = lastTime;
      seqs[i] = lastSeq;
      events[i] = last;
    }
    return top;
  }

  private grow(): void {
    this.times = doubled(this.times);
    this.seqs = doubled(this.seqs);
  }
}
