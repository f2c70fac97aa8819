// How times read: the ruler's labels at the precision its tick step needs, and fixed forms
// for the detail pane, the table and the screen-reader summaries.

/** A time of the trace, to the millisecond: `2.900 s`. */
export function formatTime(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** A length: `18 ms` below a second, `2.630 s` above. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms * 100) / 100} ms` : `${(ms / 1000).toFixed(3)} s`;
}

/** A ruler label for a tick at `ms` on a ruler whose ticks are `step` ms apart. */
export function formatTick(ms: number, step: number, windowEndMs: number): string {
  if (Math.abs(ms) < 1e-9) return '0';
  if (step >= 1000) return `${round(ms / 1000, decimalsFor(step / 1000))} s`;
  if (Math.abs(windowEndMs) < 1000) return `${round(ms, decimalsFor(step))} ms`;
  return `${round(ms / 1000, decimalsFor(step / 1000))} s`;
}

function decimalsFor(step: number): number {
  return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
}

function round(value: number, decimals: number): string {
  return value.toFixed(Math.min(decimals, 6));
}

export interface Tick {
  readonly ms: number;
  readonly major: boolean;
}

/** The step between labelled ticks: 1, 2 or 5 × 10ⁿ ms, at least `minPx` pixels apart. */
export function tickStep(msPerPx: number, minPx: number): number {
  const target = msPerPx * minPx;
  const step = 10 ** Math.floor(Math.log10(target));
  for (const m of [1, 2, 5, 10]) {
    if (step * m >= target) return step * m;
  }
  return step * 10;
}

/** Major ticks every `step` and minor ticks between them, inside [startMs, endMs]. */
export function rulerTicks(startMs: number, endMs: number, step: number): Tick[] {
  const minorPerMajor = String(step).replace(/0|\./g, '').startsWith('2') ? 4 : 5;
  const minor = step / minorPerMajor;
  const first = Math.floor(startMs / minor);
  const last = Math.ceil(endMs / minor);
  const ticks: Tick[] = [];
  for (let i = first; i <= last && ticks.length < 2000; i++)
    ticks.push({ ms: i * minor, major: i % minorPerMajor === 0 });
  return ticks;
}
