// One simulated trace on the host's side: starts the worker (dist/traceWorker.js), checks
// every message it sends (the union and, for chunks, that each fits the chunks before it),
// hands them on, and settles once: when the worker is done, fails, exits early or is
// cancelled. Cancelling terminates the worker at once, so a run busy in a large step stops
// too; nothing it sent after that is handed on. No 'vscode' here: tests run it under Node.
import { Worker } from 'node:worker_threads';
import { chunkProblem } from '../protocol/traceChunkChecks';
import { emptyTableSizes, sizesAfter, type TraceChunk, type TraceTableSizes } from '../protocol/traceColumns';
import {
  parseWorkerToHost,
  type StartTraceRequest,
  type TraceDoneNotification,
  type WorkerToHostMessage,
} from './workerMessages';

export type TraceStopReason = 'quiescent' | 'time-limit' | 'cancelled' | 'failed';

/**
 * How a trace ended: what the worker says of a run that ended by itself, or what the host saw
 * of one cut short (its summary says so; its timeline is empty).
 */
export type TraceOutcome = Omit<TraceDoneNotification, 'type' | 'stopReason'> & {
  readonly stopReason: TraceStopReason;
};

export interface TraceSessionListener {
  readonly started: (info: { readonly nodes: number; readonly profile: string }) => void;
  readonly chunk: (chunk: TraceChunk) => void;
  readonly finished: (outcome: TraceOutcome) => void;
  readonly log: (line: string) => void;
}

export class TraceSession {
  /** Settles once, with the outcome `finished` was given. */
  readonly done: Promise<TraceOutcome>;
  /** Resolves with the worker's exit code once its thread is gone. */
  readonly workerExited: Promise<number>;
  private readonly worker: Worker;
  private settle!: (outcome: TraceOutcome) => void;
  private outcome: TraceOutcome | undefined;
  private sizes: TraceTableSizes = emptyTableSizes;
  private clock = 0;
  /** Each pod's readiness, by uid, from the chunks' pod rows. */
  private readonly readiness = new Map<string, boolean>();

  constructor(
    workerFile: string,
    request: StartTraceRequest,
    private readonly listener: TraceSessionListener,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
    this.worker = new Worker(workerFile, { name: 'podtrace trace' });
    this.workerExited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.on('message', (raw: unknown) => this.receive(raw));
    this.worker.on('error', (error) => this.end('failed', `the trace worker failed: ${error.stack ?? error.message}`));
    this.worker.once('exit', (code) =>
      this.end('failed', `the trace worker exited (code ${code}) before the trace ended`),
    );
    this.worker.postMessage(request);
  }

  /** Whether the run is still going. */
  get live(): boolean {
    return this.outcome === undefined;
  }

  /** The virtual time the chunks so far reached. */
  get clockMs(): number {
    return this.clock;
  }

  /** Stops pacing: the worker runs the rest at full speed. */
  skipToEnd(): void {
    if (this.live) this.worker.postMessage({ type: 'skipToEnd' });
  }

  /** Stops the run now; `finished` gets `cancelled` with what arrived so far. */
  cancel(): void {
    this.end('cancelled', undefined);
  }

  private receive(raw: unknown): void {
    if (!this.live) return;
    const parsed = parseWorkerToHost(raw);
    if (!parsed.ok) {
      this.listener.log(`trace worker: dropped a message: ${parsed.reason}`);
      return;
    }
    this.handle(parsed.message);
  }

  private handle(message: WorkerToHostMessage): void {
    switch (message.type) {
      case 'started':
        this.listener.started({ nodes: message.nodes, profile: message.profile });
        return;
      case 'chunk': {
        const problem = chunkProblem(message.chunk, this.sizes);
        if (problem) {
          // A chunk that does not fit leaves a gap no later chunk can fill: the trace is broken.
          this.end('failed', `the trace worker sent a chunk that does not fit the trace so far: ${problem}`);
          return;
        }
        this.sizes = sizesAfter(this.sizes, message.chunk);
        this.clock = Math.max(this.clock, message.chunk.clockMs);
        for (const pod of message.chunk.pods) this.readiness.set(pod.uid, pod.phases.ready !== null);
        this.listener.chunk(message.chunk);
        return;
      }
      case 'done': {
        const { stopReason, endedAtMs, summary, timeline, events, pods, ready, findings } = message;
        this.finish({ stopReason, endedAtMs, summary, timeline, events, pods, ready, findings });
        return;
      }
      case 'failed':
        this.end('failed', message.message);
        return;
      case 'log':
        this.listener.log(message.line);
        return;
    }
  }

  /** Ends a run that did not finish by itself, with what the host saw of it. */
  private end(reason: 'cancelled' | 'failed', why: string | undefined): void {
    if (!this.live) return;
    const ready = [...this.readiness.values()].filter(Boolean).length;
    const seen = `${this.sizes.events} events, ${this.readiness.size} pods (${ready} ready)`;
    const summary =
      reason === 'cancelled'
        ? `cancelled at ${(this.clock / 1000).toFixed(3)}s virtual: ${seen}`
        : `failed at ${(this.clock / 1000).toFixed(3)}s virtual (${seen}): ${why ?? 'no reason given'}`;
    this.finish({
      stopReason: reason,
      endedAtMs: this.clock,
      summary,
      timeline: '',
      events: this.sizes.events,
      pods: this.readiness.size,
      ready,
      findings: [],
    });
  }

  private finish(outcome: TraceOutcome): void {
    if (!this.live) return;
    this.outcome = outcome;
    // The worker has nothing left to do; ending it frees its thread and its memory.
    void this.worker.terminate();
    try {
      this.listener.finished(outcome);
    } finally {
      // Whoever waits for the run hears of its end, even if showing it failed.
      this.settle(outcome);
    }
  }
}
