// Paced mode: virtual time follows wall time multiplied by a speed factor, for live
// viewing. The wall clock and the timer are injected, so tests drive it without sleeping.
import { ms } from '../../base/time';
import type { SimEngine } from './engine';

export interface WallScheduler {
  /** Wall-clock milliseconds from any fixed origin. */
  now(): number;
  /** Calls `run` after about `delayMs` of wall time; returns a cancel function. */
  setTimer(delayMs: number, run: () => void): () => void;
}

export interface PacedOptions {
  /** Virtual milliseconds per wall millisecond (1 = real time, 10 = ten times faster). */
  readonly speed: number;
  /** Stop at this virtual time; without it, stop at quiescence. */
  readonly untilMs?: number;
  /** Wall milliseconds between ticks at most, so a live view refreshes smoothly. */
  readonly maxTickMs?: number;
  readonly onTick?: (virtualMs: number) => void;
  readonly onDone?: () => void;
}

/** Starts a paced run; returns a function that stops it. */
export function runPaced(engine: SimEngine, wall: WallScheduler, options: PacedOptions): () => void {
  if (!(options.speed > 0)) throw new Error(`paced mode: speed must be a positive number, got ${options.speed}`);
  const maxTick = options.maxTickMs ?? 100;
  const wallStart = wall.now();
  const virtualStart = engine.now();
  let cancelTimer: (() => void) | undefined;
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    const target = virtualStart + (wall.now() - wallStart) * options.speed;
    const bounded = options.untilMs === undefined ? target : Math.min(target, options.untilMs);
    engine.runUntil(ms(Math.floor(bounded)));
    options.onTick?.(engine.now());
    const limitReached = options.untilMs !== undefined && engine.now() >= options.untilMs;
    if (limitReached || (options.untilMs === undefined && engine.pendingForeground === 0)) {
      stopped = true;
      options.onDone?.();
      return;
    }
    const next = engine.nextEventTime();
    const wait = next === undefined ? maxTick : Math.min(maxTick, Math.max(0, (next - engine.now()) / options.speed));
    cancelTimer = wall.setTimer(wait, tick);
  };
  cancelTimer = wall.setTimer(0, tick);
  return () => {
    stopped = true;
    cancelTimer?.();
  };
}
