// The frame around the events: row backgrounds (the selected row, the rows the YAML cursor
// points at), the grid, the row titles on the left and the time ruler on top.
import { formatTick, rulerTicks, tickStep } from './timeFormat';
import { rulerHeight } from './geometry';
import { labelFont } from './phaseBar';
import { eventsHeight, phaseBarBand, type Row } from './rowLayout';
import type { Scene } from './scene';

/** Major ticks at least this far apart, in CSS pixels. */
const majorTickPx = 90;

export function drawRowBackgrounds(ctx: CanvasRenderingContext2D, scene: Scene, first: number, last: number): void {
  const { layout, geometry, theme, highlight, selection } = scene;
  for (let i = first; i < last; i++) {
    const row = layout.rows[i];
    const top = geometry.rowTop(row);
    if (row.kind === 'section') {
      ctx.fillStyle = theme.section;
      ctx.fillRect(0, top, geometry.width, row.height);
      continue;
    }
    if (row.key === selection.rowKey) {
      ctx.fillStyle = theme.selection;
      ctx.globalAlpha = 0.45;
      ctx.fillRect(0, top, geometry.width, row.height);
      ctx.globalAlpha = 1;
    } else if (highlight && row.entity && highlight.entities[row.entity.index]) {
      ctx.fillStyle = theme.rowHighlight;
      ctx.fillRect(0, top, geometry.width, row.height);
    } else if (i % 2 === 1) {
      ctx.fillStyle = theme.rowAlternate;
      ctx.globalAlpha = 0.5;
      ctx.fillRect(0, top, geometry.width, row.height);
      ctx.globalAlpha = 1;
    }
  }
}

export function drawGrid(ctx: CanvasRenderingContext2D, scene: Scene): void {
  const { viewport: vp, geometry, theme } = scene;
  const step = tickStep(vp.msPerPx, majorTickPx);
  ctx.strokeStyle = theme.grid;
  ctx.globalAlpha = 0.25;
  ctx.lineWidth = 1;
  ctx.beginPath();
  const first = Math.ceil(vp.startMs / step);
  for (let i = first; i * step <= vp.endMs; i++) {
    const x = Math.round(vp.x(i * step)) + 0.5;
    ctx.moveTo(x, rulerHeight);
    ctx.lineTo(x, geometry.height);
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
}

export function drawTitles(ctx: CanvasRenderingContext2D, scene: Scene, first: number, last: number): void {
  const { layout, geometry, theme, text, store } = scene;
  const gutter = geometry.gutter;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, rulerHeight, gutter, geometry.rowsHeight);
  ctx.textBaseline = 'middle';
  for (let i = first; i < last; i++) {
    const row = layout.rows[i];
    const top = geometry.rowTop(row);
    // A pod's title is level with its events, the phase bar under them.
    const mid = top + eventsHeight(row) / 2;
    if (row.kind === 'section') {
      ctx.fillStyle = theme.section;
      ctx.fillRect(0, top, gutter, row.height);
      ctx.font = `600 ${theme.fontSize}px ${theme.fontFamily}`;
      ctx.fillStyle = theme.foreground;
      ctx.fillText(layout.collapsed.has(row.section) ? '▸' : '▾', 6, mid);
      ctx.fillText(text.fit(ctx, row.title, geometry.width - 30), 20, mid);
      continue;
    }
    rowTitleBackground(ctx, scene, row, i, top, gutter);
    ctx.font = `${theme.fontSize}px ${theme.fontFamily}`;
    let x = 12;
    if (row.lane >= 0) {
      ctx.fillStyle = theme.lanes[row.lane];
      ctx.fillRect(x, mid - 5, 4, 10);
      x += 10;
    } else if (row.entity) {
      // A pod is in trouble when it never got ready (warnings during start-up, such as a
      // readiness probe failing before the app listens, are normal); another object when it
      // had warnings.
      const pod = store.podOf(row.entity);
      const troubled = pod ? pod.phases.ready === null && !scene.live : row.entity.warnings > 0;
      ctx.fillStyle = troubled ? theme.warning : pod?.phases.ready != null ? theme.ok : theme.muted;
      ctx.beginPath();
      ctx.arc(x + 3, mid, 3, 0, Math.PI * 2);
      ctx.fill();
      x += 12;
    }
    ctx.fillStyle = theme.foreground;
    ctx.fillText(text.fit(ctx, row.title, gutter - x - 6), x, mid);
    const held = row.kind === 'pod' && row.entity ? store.podOf(row.entity)?.heldBy : undefined;
    if (held) {
      // Beside the phase bar: which of its steps held the pod back.
      ctx.font = labelFont(theme);
      ctx.fillStyle = held.ms === null ? theme.warning : theme.muted;
      const why = held.ms === null ? `held back by ${held.step} (never finished)` : `held back by ${held.step}`;
      ctx.fillText(text.fit(ctx, why, gutter - x - 6), x, top + phaseBarBand.top + phaseBarBand.height / 2 + 0.5);
    }
  }
  ctx.strokeStyle = theme.grid;
  ctx.globalAlpha = 0.6;
  ctx.beginPath();
  ctx.moveTo(gutter - 0.5, rulerHeight);
  ctx.lineTo(gutter - 0.5, geometry.height);
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function rowTitleBackground(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  row: Row,
  index: number,
  top: number,
  gutter: number,
): void {
  const { theme, selection, highlight } = scene;
  if (row.key === selection.rowKey) {
    ctx.fillStyle = theme.selection;
    ctx.globalAlpha = 0.45;
  } else if (highlight && row.entity && highlight.entities[row.entity.index]) {
    ctx.fillStyle = theme.rowHighlight;
  } else if (index % 2 === 1) {
    ctx.fillStyle = theme.rowAlternate;
    ctx.globalAlpha = 0.5;
  } else return;
  ctx.fillRect(0, top, gutter, row.height);
  ctx.globalAlpha = 1;
  // A row with events at the cursor's very line is marked at its edge, as the editor marks
  // the lines of a search's matches in its gutter.
  if (highlight?.atCursor && row.entity && highlight.atCursor[row.entity.index]) {
    ctx.fillStyle = theme.focus;
    ctx.fillRect(0, top + 1, 3, row.height - 2);
  }
}

export function drawRuler(ctx: CanvasRenderingContext2D, scene: Scene): void {
  const { viewport: vp, geometry, theme, store } = scene;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, geometry.width, rulerHeight);
  const step = tickStep(vp.msPerPx, majorTickPx);
  ctx.strokeStyle = theme.muted;
  ctx.fillStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.font = `${Math.max(10, theme.fontSize - 2)}px ${theme.fontFamily}`;
  ctx.textBaseline = 'top';
  ctx.save();
  ctx.beginPath();
  ctx.rect(vp.x0, 0, geometry.width - vp.x0, rulerHeight);
  ctx.clip();
  ctx.beginPath();
  for (const tick of rulerTicks(vp.startMs, vp.endMs, step)) {
    const x = Math.round(vp.x(tick.ms)) + 0.5;
    ctx.moveTo(x, tick.major ? 4 : rulerHeight - 6);
    ctx.lineTo(x, rulerHeight);
    if (tick.major) ctx.fillText(formatTick(tick.ms, step, vp.endMs), x + 3, 5);
  }
  ctx.stroke();
  if (store.count > 0 || store.clockMs > 0) {
    const x = vp.x(store.clockMs);
    ctx.fillStyle = scene.live ? theme.focus : theme.muted;
    ctx.beginPath();
    ctx.moveTo(x - 5, rulerHeight - 7);
    ctx.lineTo(x + 5, rulerHeight - 7);
    ctx.lineTo(x, rulerHeight);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
  ctx.fillStyle = theme.muted;
  ctx.textBaseline = 'middle';
  ctx.fillText(text(scene), 8, rulerHeight / 2);
  ctx.strokeStyle = theme.grid;
  ctx.beginPath();
  ctx.moveTo(0, rulerHeight - 0.5);
  ctx.lineTo(geometry.width, rulerHeight - 0.5);
  ctx.stroke();
}

/** The ruler's corner says how much one pixel is. */
function text(scene: Scene): string {
  const ms = scene.viewport.msPerPx;
  return ms >= 1000
    ? `${(ms / 1000).toPrecision(3)} s / px`
    : ms >= 1
      ? `${ms.toPrecision(3)} ms / px`
      : `${(ms * 1000).toPrecision(3)} µs / px`;
}
