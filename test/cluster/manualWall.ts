// A wall clock the test moves by hand, with the timers it fires in order, and a way to wait for
// a promise of code that runs on that clock: move the clock in steps, letting promise callbacks
// run between them, until the promise settles.
import type { WallScheduler } from '../../src/core/sim/engine/pacedRunner';

export class ManualWall implements WallScheduler {
  private time = 0;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private nextId = 0;

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, run: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.time + delayMs, run, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  /** Moves the clock by `ms`, firing the timers that fall due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.run();
    }
    this.time = end;
  }

  /**
   * Moves the clock in steps of `stepMs` until `promise` settles (promise callbacks run between
   * steps), and fails after `maxMs` of wall time on this clock.
   */
  async until<T>(promise: Promise<T>, stepMs = 10, maxMs = 600_000): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    // A rejection is reported by the await below, not as an unhandled one meanwhile.
    watched.catch(() => undefined);
    const start = this.time;
    while (!settled) {
      if (this.time - start > maxMs)
        throw new Error(`ManualWall.until: expected the promise to settle within ${maxMs} ms, it did not`);
      this.advance(stepMs);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return watched;
  }
}
