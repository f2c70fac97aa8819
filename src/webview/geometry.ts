// Where things sit on the canvas, in CSS pixels: the row titles on the left, the ruler on
// top, the time axis to the right of the titles, and rows scrolled under the ruler.
import type { Row } from './rowLayout';

export const rulerHeight = 26;
const rightPadding = 10;

export class Geometry {
  width = 1;
  height = 1;
  /** The scroll offset of the rows, in CSS pixels. */
  scrollTop = 0;

  /** The width of the row titles: about a quarter of the canvas, within bounds. */
  get gutter(): number {
    return Math.round(Math.min(280, Math.max(120, this.width * 0.24)));
  }

  get timeX0(): number {
    return this.gutter;
  }

  get timeWidth(): number {
    return Math.max(1, this.width - this.gutter - rightPadding);
  }

  /** The height of the band the rows are drawn in. */
  get rowsHeight(): number {
    return Math.max(0, this.height - rulerHeight);
  }

  /** The canvas y of a row's top. */
  rowTop(row: Row): number {
    return rulerHeight + row.y - this.scrollTop;
  }

  /** The content offset (for the layout) of a canvas y. */
  contentY(canvasY: number): number {
    return canvasY - rulerHeight + this.scrollTop;
  }

  /** Whether any of the row is in the rows band. */
  rowOnScreen(row: Row): boolean {
    const top = this.rowTop(row);
    return top + row.height > rulerHeight && top < this.height;
  }

  clampScroll(contentHeight: number): void {
    const max = Math.max(0, contentHeight - this.rowsHeight);
    this.scrollTop = Math.min(max, Math.max(0, this.scrollTop));
  }
}
