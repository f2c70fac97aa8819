// A pod's phase bar, under its events: a segment per step in the step's colour, the step that
// held the pod back drawn stronger and outlined, a step never finished in the warning colour,
// and each step's name written inside its segment where it fits (cut with an ellipsis, and
// kept in view while the segment is, as profilers label their slices). High contrast themes
// outline every segment. The legend's swatches are painted by the same function, so that
// they are the bars' colours exactly.
import { entityLabel } from './entities';
import { phaseSteps, stepAt, stepNames, type PhaseStep } from './podPhases';
import { phaseBarBand, type Row } from './rowLayout';
import type { Scene } from './scene';
import type { Theme } from './theme';
import { formatDuration, formatTime } from './timeFormat';

/** How a segment is drawn. */
export interface SegmentStyle {
  /** The phase the step leads into (its index in `podPhases`): the colour. */
  readonly phase: number;
  /** The step that held the pod back. */
  readonly held: boolean;
  /** A step never finished: the warning colour. */
  readonly open: boolean;
  /** The held step of the pod whose critical path is shown: outlined in the focus colour. */
  readonly critical?: boolean;
}

/** Narrower than this (CSS pixels) and a segment carries no name: a letter and an ellipsis say nothing. */
const minLabelWidth = 26;
/** Space between a segment's edge and its name. */
const labelPadding = 4;

/** The font of the names in the bar: a little smaller than the theme's. */
export function labelFont(theme: Theme): string {
  return `${Math.max(10, theme.fontSize - 2)}px ${theme.fontFamily}`;
}

/** Paints one segment (or a legend swatch) in the rectangle. */
export function paintSegment(
  ctx: CanvasRenderingContext2D,
  theme: Theme,
  style: SegmentStyle,
  x: number,
  y: number,
  width: number,
  height: number,
): void {
  const colour = style.open ? theme.warning : theme.steps[style.phase];
  const w = Math.max(1, width);
  // On the page's background, not the row's (striped, selected or highlighted): a step has
  // one colour on every row, and it is the legend's.
  ctx.fillStyle = theme.background;
  ctx.fillRect(x, y, w, height);
  ctx.fillStyle = colour;
  ctx.globalAlpha = style.held ? (theme.dark ? 0.55 : 0.45) : theme.dark ? 0.28 : 0.2;
  ctx.fillRect(x, y, w, height);
  ctx.globalAlpha = 1;
  if (!style.held && !theme.highContrast) return;
  const line = style.critical || (style.held && theme.highContrast) ? 2 : 1;
  ctx.strokeStyle = style.critical ? theme.focus : colour;
  ctx.lineWidth = line;
  ctx.strokeRect(Math.round(x) + line / 2, y + line / 2, Math.max(1, Math.round(w) - line), Math.max(1, height - line));
}

/** Draws the bar of a pod's row whose top is at `top`. */
export function drawPhaseBar(ctx: CanvasRenderingContext2D, scene: Scene, row: Row, top: number): void {
  const { store, viewport: vp, theme, text } = scene;
  const pod = row.entity ? store.podOf(row.entity) : undefined;
  if (!pod) return;
  const y = top + phaseBarBand.top;
  const height = phaseBarBand.height;
  const critical = scene.critical !== null && scene.critical.entity === row.entity;
  const right = vp.x0 + vp.width;
  ctx.font = labelFont(theme);
  ctx.textBaseline = 'middle';
  for (const step of phaseSteps(pod)) {
    const xs = vp.x(step.startMs);
    const xe = vp.x(step.endMs ?? store.clockMs);
    if (xe < vp.x0 || xs > right) continue;
    const open = step.endMs === null;
    paintSegment(
      ctx,
      theme,
      { phase: step.phase, held: step.held, open, critical: critical && step.held },
      xs,
      y,
      xe - xs,
      height,
    );
    // The name in the part of the segment in view.
    const left = Math.max(xs, vp.x0) + labelPadding;
    const room = Math.floor(Math.min(xe, right) - labelPadding - left);
    if (room < minLabelWidth) continue;
    const name = text.fit(ctx, stepNames[step.phase], room);
    if (name === '') continue;
    ctx.fillStyle = theme.foreground;
    ctx.fillText(name, left, y + height / 2 + 0.5);
  }
}

/** The step of a pod's bar under `x` (a couple of pixels either side count, so a thin step can be pointed at). */
export function stepUnder(scene: Scene, row: Row, x: number): PhaseStep | undefined {
  const { store, viewport: vp } = scene;
  const pod = row.entity ? store.podOf(row.entity) : undefined;
  if (!pod) return undefined;
  const steps = phaseSteps(pod);
  const t = vp.timeAt(x);
  const slack = 2 * vp.msPerPx;
  return (
    stepAt(steps, t, store.clockMs) ??
    stepAt(steps, t - slack, store.clockMs) ??
    stepAt(steps, t + slack, store.clockMs)
  );
}

/** The tooltip of a step: its name and pod, when it ran, and whether it held the pod back. */
export function stepTooltip(scene: Scene, row: Row, step: PhaseStep): string {
  const name = stepNames[step.phase];
  const who = row.entity ? entityLabel(row.entity) : row.label;
  const end = step.endMs;
  const when =
    end === null
      ? `${formatTime(step.startMs)} →, not finished by ${formatTime(scene.store.clockMs)}`
      : `${formatTime(step.startMs)} → ${formatTime(end)} (${formatDuration(end - step.startMs)})`;
  const held = step.held ? '\nThe step that held the pod back.' : '';
  return `${name} · ${who}\n${when}${held}`;
}
