// Draws the rows on screen: each lane's track, each object's events, and under each pod's
// events its phase bar (./phaseBar).
import { drawTrack } from './drawTrack';
import { trackOfRow } from './eventPlacement';
import { drawPhaseBar } from './phaseBar';
import { eventsHeight } from './rowLayout';
import type { Scene } from './scene';

export function drawRows(ctx: CanvasRenderingContext2D, scene: Scene, first: number, last: number): void {
  for (let i = first; i < last; i++) {
    const row = scene.layout.rows[i];
    if (row.kind === 'section') continue;
    const top = scene.geometry.rowTop(row);
    if (row.kind === 'pod') drawPhaseBar(ctx, scene, row, top);
    const view = trackOfRow(scene, row);
    if (view) drawTrack(ctx, scene, view, { top, height: eventsHeight(row), lane: row.lane });
  }
}
