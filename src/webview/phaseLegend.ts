// The legend of the pods' phase bars: a strip under the toolbar, shown by its toggle, that
// names each step beside a swatch painted by the bars' own painter (so in the same colours,
// whatever the theme), then how the step that held a pod back and a step never finished look.
// Its names are text, so screen readers read the legend as a list.
import { paintSegment, type SegmentStyle } from './phaseBar';
import { stepNames } from './podPhases';
import { phaseBarBand } from './rowLayout';
import type { Theme } from './theme';

const swatchWidth = 24;

interface Swatch {
  readonly canvas: HTMLCanvasElement;
  readonly style: SegmentStyle;
}

/** The legend's entries: the steps in the order a pod goes through them (creation is no step), then the two styles. */
function legendEntries(): { readonly name: string; readonly style: SegmentStyle }[] {
  const steps = stepNames
    .map((name, phase) => ({ name, style: { phase, held: false, open: false } }))
    .filter((e) => e.style.phase > 0);
  // The styles in the neutral colour (the step before scheduling has the foreground's).
  return [
    ...steps,
    { name: 'held the pod back', style: { phase: 0, held: true, open: false } },
    { name: 'never finished', style: { phase: 0, held: true, open: true } },
  ];
}

export class PhaseLegend {
  readonly element = document.createElement('ul');
  private readonly swatches: Swatch[] = [];
  private theme: Theme | undefined;

  constructor() {
    this.element.className = 'phase-legend';
    this.element.setAttribute('aria-label', 'Pod phase bars: what each colour is');
    this.element.hidden = true;
    for (const entry of legendEntries()) {
      const item = document.createElement('li');
      item.dataset.step = entry.name;
      const canvas = document.createElement('canvas');
      canvas.className = 'swatch';
      canvas.setAttribute('aria-hidden', 'true');
      canvas.style.width = `${swatchWidth}px`;
      canvas.style.height = `${phaseBarBand.height}px`;
      const name = document.createElement('span');
      name.textContent = entry.name;
      item.append(canvas, name);
      this.element.append(item);
      this.swatches.push({ canvas, style: entry.style });
    }
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  set shown(on: boolean) {
    this.element.hidden = !on;
    if (on && this.theme) this.paint(this.theme);
  }

  /** Paints the swatches in the theme's colours (again after a theme change). */
  paint(theme: Theme): void {
    this.theme = theme;
    if (!this.shown) return;
    const dpr = Math.max(1, window.devicePixelRatio || 1);
    for (const { canvas, style } of this.swatches) {
      canvas.width = Math.round(swatchWidth * dpr);
      canvas.height = Math.round(phaseBarBand.height * dpr);
      const ctx = canvas.getContext('2d', { alpha: false });
      if (!ctx) continue;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.fillStyle = theme.background;
      ctx.fillRect(0, 0, swatchWidth, phaseBarBand.height);
      paintSegment(ctx, theme, style, 0, 0, swatchWidth, phaseBarBand.height);
    }
  }
}
