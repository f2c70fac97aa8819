// The visible time window and its mapping to pixels: time ↔ x, zoom around a point, pan,
// fit. Times are virtual ms from the start of the trace, as fractions when zoomed in far.

export interface TimeWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/** The narrowest window: a hundredth of a millisecond across the whole width. */
const minSpanMs = 0.01;
/** The widest: about four days, beyond any trace a timeline is useful for. */
const maxSpanMs = 4 * 24 * 3600 * 1000;

export class Viewport {
  startMs = 0;
  endMs = 10_000;
  /** Where the time axis starts on the canvas and how wide it is, in CSS pixels. */
  x0 = 0;
  width = 1;

  get spanMs(): number {
    return this.endMs - this.startMs;
  }

  get msPerPx(): number {
    return this.spanMs / Math.max(1, this.width);
  }

  x(ms: number): number {
    return this.x0 + ((ms - this.startMs) / this.spanMs) * this.width;
  }

  timeAt(x: number): number {
    return this.startMs + ((x - this.x0) / Math.max(1, this.width)) * this.spanMs;
  }

  set(window: TimeWindow): void {
    let { startMs } = window;
    const { endMs } = window;
    if (!(Number.isFinite(startMs) && Number.isFinite(endMs))) return;
    let span = endMs - startMs;
    if (span < minSpanMs) {
      startMs = (startMs + endMs) / 2 - minSpanMs / 2;
      span = minSpanMs;
    }
    this.startMs = startMs;
    this.endMs = startMs + Math.min(maxSpanMs, span);
  }

  /** Zooms by `factor` (< 1 in, > 1 out) keeping the time under `x` where it is. */
  zoomAround(x: number, factor: number): void {
    const t = this.timeAt(x);
    const span = Math.min(maxSpanMs, Math.max(minSpanMs, this.spanMs * factor));
    const ratio = (x - this.x0) / Math.max(1, this.width);
    this.startMs = t - ratio * span;
    this.endMs = this.startMs + span;
  }

  panPx(dx: number): void {
    const dt = dx * this.msPerPx;
    this.startMs += dt;
    this.endMs += dt;
  }

  /** Shows [0, endMs] with a little room after the end. */
  fit(endMs: number): void {
    const end = Math.max(endMs, 1);
    this.startMs = 0;
    this.endMs = end * 1.02;
  }

  /** Keeps `clockMs` in view near the right edge, sliding the window without zooming. */
  follow(clockMs: number): void {
    const span = this.spanMs;
    if (clockMs <= this.endMs - span * 0.05 && clockMs >= this.startMs) return;
    this.endMs = Math.max(span, clockMs + span * 0.05);
    this.startMs = this.endMs - span;
  }

  window(): TimeWindow {
    return { startMs: this.startMs, endMs: this.endMs };
  }
}
