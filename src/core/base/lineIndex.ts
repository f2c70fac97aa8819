import type { SourcePosition, SourceRange } from './finding';

/**
 * Maps offsets in a text to 0-based line and column. Built once per text; lookups are
 * a binary search over line starts, so ranges for thousands of findings stay cheap.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): SourcePosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: clamped - this.lineStarts[lo], offset: clamped };
  }

  range(startOffset: number, endOffset: number): SourceRange {
    return { start: this.position(startOffset), end: this.position(Math.max(startOffset, endOffset)) };
  }

  /** Offset of the first character of a 0-based line (the text's end past the last line). */
  lineStart(line: number): number {
    if (line < 0) return 0;
    return line < this.lineStarts.length ? this.lineStarts[line] : this.text.length;
  }

  /** Offset just past the last character of a 0-based line, before its newline. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    return next > 0 && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  }
}
