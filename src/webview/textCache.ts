// Text on the canvas is measured once: a title cut to fit its width (with an ellipsis) is
// kept per font, so scrolling through 10,000 rows measures each title once, even though a
// frame switches fonts between sections, titles and labels many times.

export class TextCache {
  private readonly byFont = new Map<string, Map<string, string>>();
  private size = 0;

  /** `text` cut to `width` CSS pixels in the context's current font. */
  fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
    const font = ctx.font;
    let fitted = this.byFont.get(font);
    if (!fitted) this.byFont.set(font, (fitted = new Map()));
    const key = `${width}\u0000${text}`;
    let out = fitted.get(key);
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
    // A bound on what is kept (a theme or zoom change brings new fonts and widths).
    if (++this.size > 50_000) {
      this.byFont.clear();
      this.size = 0;
      this.byFont.set(font, (fitted = new Map()));
    }
    fitted.set(key, out);
    return out;
  }
}
