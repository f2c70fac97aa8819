// Keyboard navigation over the rows: the previous or next event in a row, the previous or
// next row, and the event of a row nearest a time (to keep the place when moving between
// rows).
import { lowerBound } from './growable';
import { trackOfRow } from './eventPlacement';
import { orderInView } from './markPicking';
import type { Scene } from './scene';

/** The position of event `id` in the row's view, or -1. */
function positionInRow(scene: Scene, row: number, id: number): number {
  const view = trackOfRow(scene, scene.layout.rows[row]);
  return !view || id < 0 ? -1 : orderInView(view, id, scene.store.time[id]);
}

/**
 * The event after (`step` 1) or before (-1) `id` in the row;
 * from the window's edge when `id` is not in it; -1 at the end.
 */
export function stepInRow(scene: Scene, row: number, id: number, step: 1 | -1): number {
  const view = trackOfRow(scene, scene.layout.rows[row]);
  if (!view || view.length === 0) return -1;
  const at = positionInRow(scene, row, id);
  if (at >= 0) {
    const next = at + step;
    return next >= 0 && next < view.length ? view.ids[next] : -1;
  }
  const vp = scene.viewport;
  const from = lowerBound(view.ends, view.length, step === 1 ? vp.startMs : vp.endMs);
  const i = step === 1 ? Math.min(from, view.length - 1) : Math.max(0, from - 1);
  return view.ids[i];
}

/** The event of the row nearest `ms`, or -1 when the row shows none. */
export function nearestInRow(scene: Scene, row: number, ms: number): number {
  const view = trackOfRow(scene, scene.layout.rows[row]);
  if (!view || view.length === 0) return -1;
  const i = lowerBound(view.ends, view.length, ms);
  if (i === 0) return view.ids[0];
  if (i === view.length) return view.ids[view.length - 1];
  return ms - view.ends[i - 1] <= view.ends[i] - ms ? view.ids[i - 1] : view.ids[i];
}

/** The row after (`step` 1) or before (-1) `row` that is not a section header; -1 past the ends. */
export function stepRow(scene: Scene, row: number, step: 1 | -1): number {
  const rows = scene.layout.rows;
  for (let i = row + step; i >= 0 && i < rows.length; i += step) if (rows[i].kind !== 'section') return i;
  return -1;
}
