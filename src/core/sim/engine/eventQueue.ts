// A binary min-heap of timed callbacks ordered by (time, sequence). The sequence number
// is the order in which events were scheduled, so two events at the same virtual
// millisecond always run in the order they were queued: the trace does not depend on
// the heap's internal layout, which is what makes a seed reproducible byte for byte.
import type { VirtualMs } from '../../base/time';

export interface QueuedEvent {
  readonly time: VirtualMs;
  readonly seq: number;
  /** Background events (periodic probes of a stable pod, resyncs) do not keep a fast run alive. */
  readonly background: boolean;
  readonly run: () => void;
  cancelled: boolean;
}

export class EventQueue {
  private readonly heap: QueuedEvent[] = [];
  private nextSeq = 0;
  private foreground = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Queued events that are neither background nor cancelled. */
  get foregroundCount(): number {
    return this.foreground;
  }

  push(time: VirtualMs, run: () => void, background = false): QueuedEvent {
    const event: QueuedEvent = { time, seq: this.nextSeq++, background, run, cancelled: false };
    if (!background) this.foreground++;
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = event;
    return event;
  }

  cancel(event: QueuedEvent): void {
    if (event.cancelled) return;
    event.cancelled = true;
    if (!event.background) this.foreground--;
  }

  peek(): QueuedEvent | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  pop(): QueuedEvent | undefined {
    this.dropCancelled();
    const top = this.removeTop();
    if (top && !top.background) this.foreground--;
    return top;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.removeTop();
  }

  private removeTop(): QueuedEvent | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && before(heap[r], heap[l]) ? r : l;
        if (!before(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
