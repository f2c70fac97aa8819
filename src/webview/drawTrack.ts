// Draws a row's events: spans as bars, instants as ticks, warnings on top as diamonds in the
// theme's warning colour. Only the events in the visible window are visited (a binary search
// by end time); when there are more of them than pixels, the row is drawn from its level of
// detail instead: each pixel column shaded by how many events it holds.
import { firstBucket } from './levelOfDetail';
import { lowerBound, upperBound } from './growable';
import type { Scene } from './scene';
import type { TrackView } from './track';

/** More events than this many per pixel of width in view: draw from the level of detail. */
const lodDensity = 2;

export interface TrackBand {
  readonly top: number;
  readonly height: number;
  /** The lane whose colour the row uses, or -1 to colour each event by its lane. */
  readonly lane: number;
}

export function drawTrack(ctx: CanvasRenderingContext2D, scene: Scene, view: TrackView, band: TrackBand): void {
  const vp = scene.viewport;
  const pad = vp.msPerPx * 6;
  const t0 = vp.startMs - pad;
  const t1 = vp.endMs + pad;
  const first = lowerBound(view.ends, view.length, t0);
  const last = upperBound(view.ends, view.length, t1 + view.maxDuration);
  if (last <= first) return;
  if (last - first > vp.width * lodDensity) drawFromLevel(ctx, scene, view, band, t0, t1);
  else drawEvents(ctx, scene, view, band, first, last, t1);
}

function drawEvents(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  view: TrackView,
  band: TrackBand,
  first: number,
  last: number,
  t1: number,
): void {
  const { store, viewport: vp, theme } = scene;
  const { ids } = view;
  const { duration, lane, time } = store;
  const barTop = band.top + band.height / 2 - 4;
  const tickTop = band.top + 4;
  const tickHeight = band.height - 8;
  const highlight = scene.highlight;
  if (highlight) {
    ctx.fillStyle = theme.highlight;
    for (let i = first; i < last; i++) {
      const id = ids[i];
      const s = store.source[id];
      if (s < 0 || highlight.sources[s] === 0) continue;
      const xs = vp.x(store.startOf(id));
      ctx.fillRect(xs - 3, band.top + 1, Math.max(6, vp.x(time[id]) - xs + 6), band.height - 2);
    }
  }
  // Spans under instants, warnings over everything.
  for (let pass = 0; pass < 2; pass++) {
    let colour = -2;
    ctx.globalAlpha = pass === 0 ? (theme.dark ? 0.75 : 0.6) : 1;
    for (let i = first; i < last; i++) {
      const id = ids[i];
      const d = duration[id];
      const isSpan = d >= 0;
      if (isSpan !== (pass === 0) || store.isWarning(id)) continue;
      const end = time[id];
      const start = d > 0 ? end - d : end;
      if (start > t1) continue;
      const c = band.lane >= 0 ? band.lane : lane[id];
      if (c !== colour) {
        colour = c;
        ctx.fillStyle = theme.lanes[c];
      }
      if (pass === 0) {
        const xs = vp.x(start);
        ctx.fillRect(xs, barTop, Math.max(2, vp.x(end) - xs), 8);
      } else {
        ctx.fillRect(Math.round(vp.x(end)) - 1, tickTop, 2, tickHeight);
      }
    }
  }
  ctx.globalAlpha = 1;
  if (store.warningCount === 0) return;
  for (let i = first; i < last; i++) {
    const id = ids[i];
    if (!store.isWarning(id)) continue;
    const d = duration[id];
    const end = time[id];
    if (d > 0) {
      const xs = vp.x(end - d);
      ctx.fillStyle = theme.warning;
      ctx.fillRect(xs, barTop, Math.max(2, vp.x(end) - xs), 8);
    }
    diamond(
      ctx,
      vp.x(end),
      band.top + band.height / 2,
      Math.min(5, band.height / 2 - 2),
      theme.warning,
      theme.background,
    );
  }
}

/** Events per pixel column at which the density shading steps up (any event: the first step). */
const densitySteps = [4, 16, 64];
const densityAlpha = [0.3, 0.5, 0.72, 1];

function drawFromLevel(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  view: TrackView,
  band: TrackBand,
  t0: number,
  t1: number,
): void {
  const { viewport: vp, theme } = scene;
  const level = Math.max(0, Math.floor(Math.log2(Math.max(1e-9, vp.msPerPx))));
  const l = scene.lod.level(view, level, scene.store);
  const lastKey = Math.floor((t1 + view.maxDuration) / 2 ** level);
  const width = Math.ceil(vp.width);
  // Each bucket's events are spread over the pixel columns its rectangle covers.
  const columns = scene.lod.densityColumns(width);
  const from = firstBucket(l, level, t0);
  let b = from;
  for (; b < l.length && l.keys[b] <= lastKey; b++) {
    if (l.minStart[b] > t1) continue;
    const cs = Math.max(0, Math.floor(vp.x(l.minStart[b]) - vp.x0));
    const ce = Math.min(width - 1, Math.floor(vp.x(l.maxEnd[b]) - vp.x0));
    if (ce < cs) continue;
    const share = l.count[b] / (ce - cs + 1);
    for (let c = cs; c <= ce; c++) columns[c] += share;
  }
  // One path per density step, runs of equal step merged: a handful of fills per row.
  const paths = densityAlpha.map(() => new Path2D());
  let runStep = -1;
  let runStart = 0;
  const top = band.top + 4;
  const height = band.height - 8;
  for (let c = 0; c <= width; c++) {
    const v = c < width ? columns[c] : 0;
    let step = v > 0 ? 0 : -1;
    while (step >= 0 && step < densitySteps.length && v >= densitySteps[step]) step++;
    if (step === runStep) continue;
    if (runStep >= 0) paths[runStep].rect(vp.x0 + runStart, top, c - runStart, height);
    runStep = step;
    runStart = c;
  }
  ctx.fillStyle = band.lane >= 0 ? theme.lanes[band.lane] : theme.muted;
  const base = theme.dark ? 0.9 : 0.8;
  paths.forEach((path, k) => {
    ctx.globalAlpha = base * densityAlpha[k];
    ctx.fill(path);
  });
  ctx.globalAlpha = 1;
  ctx.fillStyle = theme.warning;
  let lastX = -Infinity;
  for (let i = from; i < b; i++) {
    if (l.warning[i] === 0) continue;
    const x = Math.round(vp.x(l.maxEnd[i]));
    if (x - lastX < 2) continue;
    lastX = x;
    ctx.fillRect(x - 1, band.top + 2, 3, band.height - 4);
  }
}

/** A diamond centred on (x, y), outlined in `outline` so that neighbours stay apart. */
function diamond(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, fill: string, outline: string): void {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y);
  ctx.lineTo(x, y + r);
  ctx.lineTo(x - r, y);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.strokeStyle = outline;
  ctx.stroke();
}
