// Draws the timeline on its canvas: at most one frame per animation frame, sized to the
// device's pixel ratio, from the scene as it is when the frame comes. Each drawn frame is a
// `podtrace:frame` performance measure (its duration is the draw time), and the first frame
// that holds every event received since a trace began is marked
// `podtrace:first-complete-frame`: the benchmark and the tests read both.
import { drawGrid, drawRowBackgrounds, drawRuler, drawTitles } from './drawChrome';
import { drawClock, drawCriticalPath, drawSelection, drawWindows } from './drawOverlays';
import { drawRows } from './drawRows';
import { rulerHeight } from './geometry';
import type { Scene } from './scene';

const firstFrameMark = 'podtrace:first-complete-frame';
const frameMeasure = 'podtrace:frame';

/** Frame measures kept before the oldest are dropped (a long session must not grow without end). */
const maxMeasures = 20_000;

export class Renderer {
  frames = 0;
  private requested = 0;
  private dpr = 1;
  private firstFrameDone = false;
  private measures = 0;
  private readonly ctx: CanvasRenderingContext2D;

  /**
   * `prepare` runs at the start of each frame (the app lays rows out there and follows the
   * clock); `drawn` runs after it with the rows on screen.
   */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly scene: Scene,
    private readonly prepare: () => void,
    private readonly drawn: (first: number, last: number) => void,
  ) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('podtrace timeline: expected a 2D canvas context, the browser gave none');
    this.ctx = ctx;
  }

  /** A new trace: the next complete frame is marked again. */
  newTrace(): void {
    this.firstFrameDone = false;
    performance.clearMarks(firstFrameMark);
  }

  /** Asks for a frame; several asks before it comes make one frame. */
  request(): void {
    if (this.requested !== 0) return;
    this.requested = requestAnimationFrame(() => {
      this.requested = 0;
      this.draw();
    });
  }

  /** The canvas's size in CSS pixels changed. */
  resize(width: number, height: number): void {
    const { geometry, viewport } = this.scene;
    geometry.width = Math.max(1, Math.floor(width));
    geometry.height = Math.max(1, Math.floor(height));
    viewport.x0 = geometry.timeX0;
    viewport.width = geometry.timeWidth;
    this.applyPixelRatio();
    this.request();
  }

  private applyPixelRatio(): void {
    const { geometry } = this.scene;
    this.dpr = Math.max(1, window.devicePixelRatio || 1);
    const w = Math.round(geometry.width * this.dpr);
    const h = Math.round(geometry.height * this.dpr);
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
  }

  draw(): void {
    const started = performance.now();
    if ((window.devicePixelRatio || 1) !== this.dpr) this.applyPixelRatio();
    this.prepare();
    const { scene, ctx } = this;
    const { geometry, layout, theme, viewport } = scene;
    geometry.clampScroll(layout.height);
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, geometry.width, geometry.height);
    const [first, last] = layout.visibleRange(geometry.scrollTop, geometry.scrollTop + geometry.rowsHeight);
    drawRowBackgrounds(ctx, scene, first, last);
    ctx.save();
    ctx.beginPath();
    ctx.rect(viewport.x0, rulerHeight, geometry.width - viewport.x0, geometry.rowsHeight);
    ctx.clip();
    drawGrid(ctx, scene);
    drawRows(ctx, scene, first, last);
    drawWindows(ctx, scene);
    drawCriticalPath(ctx, scene);
    drawSelection(ctx, scene);
    drawClock(ctx, scene);
    ctx.restore();
    drawTitles(ctx, scene, first, last);
    drawRuler(ctx, scene);
    this.frames++;
    const ended = performance.now();
    if (this.measures++ >= maxMeasures) {
      performance.clearMeasures(frameMeasure);
      this.measures = 1;
    }
    performance.measure(frameMeasure, { start: started, end: ended });
    if (!this.firstFrameDone && scene.store.count > 0) {
      this.firstFrameDone = true;
      performance.mark(firstFrameMark);
    }
    this.drawn(first, last);
  }
}
