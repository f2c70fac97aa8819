// The messages on their way to the timeline app, posted a few at a time. Replaying a large
// trace to a reloaded app is hundreds of chunks: posted in one go, their serialization would
// hold the extension host for as long; here each turn of the event loop posts for at most a
// few milliseconds, so the host answers everything else in between. Order is kept.
//
// A chunk's number columns go as typed arrays: VS Code carries typed arrays to a webview as
// binary buffers, where plain arrays pass through its JSON serializer one number at a time
// (about 20 times slower for a chunk of 5,000 events). The protocol's validation accepts both.
import type { HostToWebviewMessage } from '../protocol/messages';
import type { TraceChunk } from '../protocol/traceColumns';

/** Wall milliseconds of posting per turn of the event loop. */
const turnBudgetMs = 8;

/** The number columns that travel as Float64Array and as Int32Array (the benchmark posts the same). */
export const floatColumns = ['time', 'duration'] as const;
export const intColumns = [
  'objects',
  'owners',
  'lane',
  'node',
  'object',
  'fieldPath',
  'reason',
  'message',
  'flags',
  'source',
  'causeCount',
  'causes',
] as const;

/** The chunk as it travels to the app: the same fields, the number columns as typed arrays. */
export function wireChunk(chunk: TraceChunk): Record<keyof TraceChunk, unknown> {
  const wire: Record<string, unknown> = { ...chunk };
  for (const column of floatColumns) wire[column] = Float64Array.from(chunk[column]);
  for (const column of intColumns) wire[column] = Int32Array.from(chunk[column]);
  return wire as Record<keyof TraceChunk, unknown>;
}

/** The message as it travels to the app. */
export function wireMessage(message: HostToWebviewMessage): unknown {
  return message.type === 'eventsAppended' ? { type: message.type, chunk: wireChunk(message.chunk) } : message;
}

export class WebviewOutbox {
  private queue: HostToWebviewMessage[] = [];
  private head = 0;
  private scheduled: NodeJS.Immediate | undefined;

  /** `send` posts one message to the app; `sent` hears of each once it is posted. */
  constructor(
    private readonly send: (wire: unknown) => void,
    private readonly sent: (message: HostToWebviewMessage) => void,
  ) {}

  get pending(): number {
    return this.queue.length - this.head;
  }

  push(message: HostToWebviewMessage): void {
    this.queue.push(message);
    this.scheduled ??= setImmediate(() => this.pump());
  }

  /** Drops what is not posted yet (the app it was for has gone). */
  clear(): void {
    this.queue = [];
    this.head = 0;
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }

  private pump(): void {
    this.scheduled = undefined;
    const started = performance.now();
    while (this.head < this.queue.length && performance.now() - started < turnBudgetMs) {
      const message = this.queue[this.head++];
      this.send(wireMessage(message));
      this.sent(message);
    }
    if (this.head < this.queue.length) this.scheduled = setImmediate(() => this.pump());
    else this.clear();
  }
}
