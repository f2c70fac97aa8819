// Text on the canvas is measured once: a title cut to fit its width (with an ellipsis) is
// kept until the font changes, so scrolling through 10,000 rows measures each title once.

export class TextCache {
  private readonly fitted = new Map<string, string>();
  private font = '';

  /** `text` cut to `width` CSS pixels in the context's current font. */
  fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
    if (ctx.font !== this.font) {
      this.font = ctx.font;
      this.fitted.clear();
    }
    const key = `${width}\u0000${text}`;
    let out = this.fitted.get(key);
    if (out !== undefined) return out;
    out = text;
    if (ctx.measureText(text).width > width) {
      let lo = 0;
      let hi = text.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (ctx.measureText(`${text.slice(0, mid)}…`).width <= width) lo = mid;
        else hi = mid - 1;
      }
      out = lo === 0 ? '' : `${text.slice(0, lo)}…`;
    }
    if (this.fitted.size > 50_000) this.fitted.clear();
    this.fitted.set(key, out);
    return out;
  }
}
