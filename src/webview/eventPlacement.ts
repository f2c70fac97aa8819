// Where an event is on the canvas, and which event is under a point. An event is drawn twice:
// in its lane's track and in its object's row. Pointing at it (the inspection API, arrows)
// prefers the object's row, which is the one engineers read.
import { rulerHeight } from './geometry';
import { clearSpanX, pickInView } from './markPicking';
import { eventsHeight, type Row } from './rowLayout';
import type { Scene } from './scene';
import type { TrackView } from './track';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export function trackOfRow(scene: Scene, row: Row): TrackView | undefined {
  if (row.entity) return scene.filter.view(row.entity.track, scene.store);
  if (row.lane >= 0) return scene.filter.view(scene.store.laneTracks[row.lane], scene.store);
  return undefined;
}

/** The rows an event is drawn in: its object's row, then its lane's (indices, -1 when not laid out). */
export function rowsOfEvent(scene: Scene, id: number): [number, number] {
  const { store, layout } = scene;
  const entity = store.entityOf[store.object[id]];
  return [entity < layout.entityRows.length ? layout.entityRows[entity] : -1, layout.laneRows[store.lane[id]]];
}

/** The x of an event's mark: an instant's time, or the middle of the part of a span in view. */
function eventX(scene: Scene, id: number): number {
  const { store, viewport: vp } = scene;
  const end = store.time[id];
  if (store.duration[id] <= 0) return vp.x(end);
  const xs = Math.max(vp.x0, vp.x(store.startOf(id)));
  const xe = Math.min(vp.x0 + vp.width, vp.x(end));
  return xe < xs ? vp.x(end) : (xs + xe) / 2;
}

/** The centre of the event's mark in `row`, whether or not it is on screen. */
export function pointInRow(scene: Scene, id: number, row: number): Point {
  const r = scene.layout.rows[row];
  return { x: eventX(scene, id), y: scene.geometry.rowTop(r) + eventsHeight(r) / 2 };
}

/**
 * Where the event is on screen, in its object's row or else its lane's (or in the row named
 * by `preferRow` first); undefined when it is filtered out, outside the time window, or in
 * no row on screen. `precise` aims at a stretch of a span that a click picks (for the
 * inspection API); drawing uses the middle of the span.
 */
export function eventOnScreen(
  scene: Scene,
  id: number,
  preferRow = -1,
  precise = false,
): { point: Point; row: number } | undefined {
  if (id < 0 || id >= scene.store.count || !scene.filter.passes(id)) return undefined;
  const { viewport: vp, geometry } = scene;
  const middle = eventX(scene, id);
  if (middle < vp.x0 - 0.5 || middle > vp.x0 + vp.width + 0.5) return undefined;
  const [objectRow, laneRow] = rowsOfEvent(scene, id);
  const candidates =
    preferRow >= 0 && (preferRow === objectRow || preferRow === laneRow)
      ? [preferRow, objectRow, laneRow]
      : [objectRow, laneRow];
  for (const row of candidates) {
    if (row < 0) continue;
    const r = scene.layout.rows[row];
    const y = geometry.rowTop(r) + eventsHeight(r) / 2;
    if (y < rulerHeight || y >= geometry.height) continue;
    const view = precise && scene.store.duration[id] > 0 ? trackOfRow(scene, r) : undefined;
    const x = view ? clearSpanX(scene, view, id) : middle;
    return { point: { x, y }, row };
  }
  return undefined;
}

export interface Hit {
  readonly row: number;
  /** The event under the point, or -1 (a title, an empty stretch of a row, a pod's phase bar). */
  readonly event: number;
  /** Whether the point is on a pod's phase bar (under its events). */
  readonly phaseBar: boolean;
}

/** The row and event at a canvas point (CSS pixels), or undefined above or below the rows. */
export function hitTest(scene: Scene, x: number, y: number): Hit | undefined {
  const { geometry, layout, viewport: vp } = scene;
  if (y < rulerHeight) return undefined;
  const contentY = geometry.contentY(y);
  const row = layout.rowAt(contentY);
  if (row < 0) return undefined;
  const r = layout.rows[row];
  const phaseBar = r.kind === 'pod' && contentY - r.y >= eventsHeight(r);
  if (x < vp.x0 || phaseBar) return { row, event: -1, phaseBar: phaseBar && x >= vp.x0 };
  const view = trackOfRow(scene, r);
  return { row, event: view ? pickInView(scene, view, x) : -1, phaseBar: false };
}
