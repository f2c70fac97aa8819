// Draws the rows on screen: each lane's track, each object's events, and each pod's phase
// bar under its events, with the step that held the pod back drawn strongest.
import { drawTrack } from './drawTrack';
import { trackOfRow } from './eventPlacement';
import { phaseSteps } from './podPhases';
import type { Row } from './rowLayout';
import type { Scene } from './scene';

export function drawRows(ctx: CanvasRenderingContext2D, scene: Scene, first: number, last: number): void {
  for (let i = first; i < last; i++) {
    const row = scene.layout.rows[i];
    if (row.kind === 'section') continue;
    const top = scene.geometry.rowTop(row);
    if (row.kind === 'pod') drawPhaseBar(ctx, scene, row, top);
    const view = trackOfRow(scene, row);
    if (view) drawTrack(ctx, scene, view, { top, height: row.height, lane: row.lane });
  }
}

function drawPhaseBar(ctx: CanvasRenderingContext2D, scene: Scene, row: Row, top: number): void {
  const { store, viewport: vp, theme } = scene;
  const pod = row.entity ? store.podOf(row.entity) : undefined;
  if (!pod) return;
  const barTop = top + 5;
  const barHeight = row.height - 10;
  const critical = scene.critical?.entity === row.entity;
  for (const step of phaseSteps(pod)) {
    const xs = vp.x(step.startMs);
    const xe = vp.x(step.endMs ?? store.clockMs);
    if (xe < vp.x0 || xs > vp.x0 + vp.width) continue;
    const open = step.endMs === null;
    ctx.fillStyle = open ? theme.warning : theme.steps[step.phase];
    ctx.globalAlpha = step.held ? (theme.dark ? 0.55 : 0.45) : theme.dark ? 0.28 : 0.2;
    ctx.fillRect(xs, barTop, Math.max(1, xe - xs), barHeight);
    if (step.held) {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = critical ? theme.focus : open ? theme.warning : theme.steps[step.phase];
      ctx.lineWidth = critical ? 2 : 1;
      ctx.strokeRect(Math.round(xs) + 0.5, barTop + 0.5, Math.max(1, Math.round(xe - xs) - 1), barHeight - 1);
    }
  }
  ctx.globalAlpha = 1;
}
