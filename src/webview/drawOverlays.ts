// What is drawn over the rows: the routing windows (a consumer still routing to a pod that
// no longer serves, in the error colour on the pod's row and the consumer's lane), the
// critical path of a pod, the selected event with arrows to its causes and effects, and the
// source's clock while a trace streams.
import { lanes } from '../protocol/traceColumns';
import { rulerHeight } from './geometry';
import { eventOnScreen, pointInRow, rowsOfEvent, type Point } from './eventPlacement';
import { eventsHeight } from './rowLayout';
import type { Scene } from './scene';

/** Arrows drawn per direction at most; the detail pane lists them all. */
const maxArrows = 64;

export function drawWindows(ctx: CanvasRenderingContext2D, scene: Scene): void {
  const { store, layout, geometry, viewport: vp, theme } = scene;
  if (store.windows.length === 0) return;
  ctx.fillStyle = theme.error;
  for (const w of store.windows) {
    if (!w) continue;
    const xs = vp.x(w.start);
    const xe = vp.x(w.end ?? store.clockMs);
    if (xe < vp.x0 || xs > vp.x0 + vp.width) continue;
    const entity = store.entities.byUidOf(w.podUid);
    const rows = [
      entity && entity.index < layout.entityRows.length ? layout.entityRows[entity.index] : -1,
      layout.laneRows[lanes.indexOf(w.lane)],
    ];
    for (const i of rows) {
      if (i < 0) continue;
      const row = layout.rows[i];
      if (!geometry.rowOnScreen(row)) continue;
      const top = geometry.rowTop(row);
      // Over the row's events (a pod's phase bar under them stays as it is).
      const height = eventsHeight(row);
      ctx.globalAlpha = 0.22;
      ctx.fillRect(xs, top + 1, Math.max(2, xe - xs), height - 2);
      ctx.globalAlpha = 1;
      ctx.fillRect(xs, top + height - 3, Math.max(2, xe - xs), 2);
    }
  }
}

/** The point to aim an arrow at: the event's place on screen, or clamped to the edge it is beyond. */
function target(scene: Scene, id: number, preferRow: number): { point: Point; clamped: boolean } | undefined {
  const on = eventOnScreen(scene, id, preferRow);
  if (on) return { point: on.point, clamped: false };
  if (!scene.filter.passes(id)) return undefined;
  const [objectRow, laneRow] = rowsOfEvent(scene, id);
  const row = objectRow >= 0 ? objectRow : laneRow;
  if (row < 0) return undefined;
  const p = pointInRow(scene, id, row);
  const { viewport: vp, geometry } = scene;
  return {
    point: {
      x: Math.min(vp.x0 + vp.width, Math.max(vp.x0, p.x)),
      y: Math.min(geometry.height - 3, Math.max(rulerHeight + 3, p.y)),
    },
    clamped: true,
  };
}

export function drawCriticalPath(ctx: CanvasRenderingContext2D, scene: Scene): void {
  const path = scene.critical;
  if (!path) return;
  const { theme } = scene;
  const points: ({ point: Point; clamped: boolean } | undefined)[] = path.events.map((id) => target(scene, id, -1));
  ctx.strokeStyle = theme.focus;
  ctx.lineWidth = 2;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (!a || !b) continue;
    arrow(ctx, a.point, b.point, a.clamped || b.clamped);
  }
  for (const p of points) if (p && !p.clamped) ring(ctx, p.point, 6, theme.focus, 2);
}

export function drawSelection(ctx: CanvasRenderingContext2D, scene: Scene): void {
  const { selection, store, layout, viewport: vp, geometry, theme } = scene;
  const id = selection.event;
  if (id < 0 || id >= store.count) return;
  const x = vp.x(store.time[id]);
  if (x >= vp.x0 && x <= vp.x0 + vp.width) {
    ctx.strokeStyle = theme.focus;
    ctx.globalAlpha = 0.5;
    ctx.setLineDash([3, 3]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(Math.round(x) + 0.5, rulerHeight);
    ctx.lineTo(Math.round(x) + 0.5, geometry.height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
  }
  const preferRow = selection.rowKey === null ? -1 : layout.indexOfKey(selection.rowKey);
  const here = eventOnScreen(scene, id, preferRow);
  const from = here ? { point: here.point, clamped: false } : target(scene, id, preferRow);
  if (!from) return;
  ctx.strokeStyle = theme.focus;
  ctx.lineWidth = 1.5;
  const causes = store.causesOf(id).slice(-maxArrows);
  for (const c of causes) {
    const t = target(scene, c, -1);
    if (t) arrow(ctx, t.point, from.point, t.clamped || from.clamped);
  }
  for (const e of store.effectsOf(id).slice(0, maxArrows)) {
    const t = target(scene, e, -1);
    if (t) arrow(ctx, from.point, t.point, t.clamped || from.clamped);
  }
  // The selected mark in both its rows.
  for (const row of rowsOfEvent(scene, id)) {
    if (row < 0) continue;
    const r = layout.rows[row];
    if (!geometry.rowOnScreen(r)) continue;
    const p = pointInRow(scene, id, row);
    const d = store.duration[id];
    if (d > 0) {
      const xs = vp.x(store.time[id] - d);
      ctx.strokeStyle = theme.focus;
      ctx.lineWidth = 2;
      ctx.strokeRect(xs - 1, p.y - 6, Math.max(4, vp.x(store.time[id]) - xs + 2), 12);
    } else ring(ctx, { x: vp.x(store.time[id]), y: p.y }, 7, theme.focus, 2);
  }
}

export function drawClock(ctx: CanvasRenderingContext2D, scene: Scene): void {
  if (!scene.live) return;
  const { viewport: vp, geometry, theme, store } = scene;
  const x = Math.round(vp.x(store.clockMs)) + 0.5;
  if (x < vp.x0 || x > vp.x0 + vp.width) return;
  ctx.strokeStyle = theme.focus;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x, rulerHeight);
  ctx.lineTo(x, geometry.height);
  ctx.stroke();
}

function ring(ctx: CanvasRenderingContext2D, p: Point, r: number, colour: string, width: number): void {
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
  ctx.stroke();
}

/** A curved arrow from `a` to `b`, dashed when one end is off screen. */
function arrow(ctx: CanvasRenderingContext2D, a: Point, b: Point, dashed: boolean): void {
  const dx = b.x - a.x;
  const bend = Math.min(60, Math.max(16, Math.abs(dx) / 2));
  ctx.setLineDash(dashed ? [4, 3] : []);
  ctx.beginPath();
  ctx.moveTo(a.x, a.y);
  ctx.bezierCurveTo(a.x + bend, a.y, b.x - bend, b.y, b.x, b.y);
  ctx.stroke();
  ctx.setLineDash([]);
  // The curve ends level (its last control point is level with `b`), so the head points right,
  // as time runs: a cause is never later than its effect.
  const size = 6;
  ctx.beginPath();
  ctx.moveTo(b.x, b.y);
  ctx.lineTo(b.x - size, b.y - size * 0.5);
  ctx.lineTo(b.x - size, b.y + size * 0.5);
  ctx.closePath();
  ctx.fillStyle = ctx.strokeStyle;
  ctx.fill();
}
