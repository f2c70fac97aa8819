// Runs a SimulatedTraceRun paced to a wall clock, for a view that shows the trace live:
// virtual time follows wall time times a speed factor, and after every tick what is new goes
// to `onStep`. Skipping to the end drops the pacing but keeps the steps bounded, so that the
// thread running it still answers messages between them. The wall clock and the timer are
// injected (as paced mode's WallScheduler), so tests drive it without sleeping.
//
// Why not the engine's runPaced: it runs every event due by the tick's time, background work
// included, so a paced run would record probe and lease events after the point where the run
// to the end stops (quiescence). Stepping through SimulatedTraceRun.advance keeps the streamed
// trace identical to the one `podtrace trace` prints.
import type { RunResult } from '../sim/engine/engine';
import type { WallScheduler } from '../sim/engine/pacedRunner';
import type { SimulatedTraceRun, TraceStep } from './simulatedTrace';

export interface PacedTraceOptions {
  /** Virtual milliseconds per wall millisecond (1 = real time). */
  readonly speed: number;
  /** Wall milliseconds between ticks while paced (default 100): how often the view moves on. */
  readonly tickMs?: number;
  /** The engine's events per slice of work at most (default 20,000): a slice is about 10–50 ms of CPU. */
  readonly maxSliceEvents?: number;
  /** Trace events per step at most (default 20,000): the bound on one chunk of the stream. */
  readonly maxStepEvents?: number;
  readonly onStep: (step: TraceStep) => void;
  /** Once, when the run ends by itself (not when stopped). */
  readonly onDone: (result: RunResult) => void;
}

export type PacedTraceState = 'idle' | 'paced' | 'skipping' | 'done' | 'stopped';

export class PacedTrace {
  private mode: PacedTraceState = 'idle';
  private cancelTimer: (() => void) | undefined;
  private wallStart = 0;
  private virtualStart = 0;
  private lastClock = -1;

  constructor(
    private readonly run: SimulatedTraceRun,
    private readonly wall: WallScheduler,
    private readonly options: PacedTraceOptions,
  ) {
    if (!(options.speed > 0 && Number.isFinite(options.speed)))
      throw new Error(`paced trace: expected a speed above 0 (virtual ms per wall ms), got ${options.speed}`);
  }

  get state(): PacedTraceState {
    return this.mode;
  }

  /** Starts paced; the first tick runs at once (the apply's first requests land at virtual 0). */
  start(): void {
    if (this.mode !== 'idle') throw new Error(`paced trace: start() called when ${this.mode}`);
    this.mode = 'paced';
    this.wallStart = this.wall.now();
    this.virtualStart = this.run.clockMs;
    this.schedule(0);
  }

  /** Runs the rest at full speed, still in bounded slices. */
  skipToEnd(): void {
    if (this.mode !== 'paced' && this.mode !== 'idle') return;
    this.mode = 'skipping';
    this.schedule(0);
  }

  /** Stops where it is; nothing more is stepped or reported. */
  stop(): void {
    if (this.mode === 'done') return;
    this.mode = 'stopped';
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private schedule(delayMs: number): void {
    this.cancelTimer?.();
    this.cancelTimer = this.wall.setTimer(delayMs, () => this.tick());
  }

  private tick(): void {
    this.cancelTimer = undefined;
    if (this.mode !== 'paced' && this.mode !== 'skipping') return;
    const slice = this.options.maxSliceEvents ?? 20_000;
    // Whole milliseconds, as the engine keeps time: the clock a chunk reports is one an event could have.
    const target =
      this.mode === 'skipping'
        ? Number.POSITIVE_INFINITY
        : Math.floor(this.virtualStart + (this.wall.now() - this.wallStart) * this.options.speed);
    const result = this.run.advance(target, slice);
    this.deliver();
    if (result) {
      this.mode = 'done';
      this.options.onDone(result);
      return;
    }
    // Behind the wall clock (the slice ran out of events before the target): go on at once.
    const behind = this.run.clockMs < target;
    this.schedule(this.mode === 'skipping' || behind ? 0 : (this.options.tickMs ?? 100));
  }

  /** Hands out what the slice recorded, in bounded steps; a quiet tick still moves the clock. */
  private deliver(): void {
    const max = this.options.maxStepEvents ?? 20_000;
    for (;;) {
      const step = this.run.takeStep(max);
      const quiet = step.events.length === 0 && step.pods.length === 0 && step.windows.length === 0;
      if (!quiet || step.clockMs !== this.lastClock) this.options.onStep(step);
      this.lastClock = step.clockMs;
      if (!step.more) return;
    }
  }
}
