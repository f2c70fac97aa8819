// The time window and the scroll as the user and the trace move them: zoom, pan, scroll,
// fit, and follow live. A live trace is followed (its clock kept in view) until the user moves
// the window; a complete one is fitted until then.
import type { ViewHost, ViewMoves } from './timelineParts';

export class ViewControl implements ViewMoves {
  follow = true;
  /** Whether the window was set for this trace (by the user or a restore), so it is neither fitted nor followed. */
  viewSet = false;

  constructor(private readonly app: ViewHost) {}

  /** Before each frame: keep the clock in view, or the whole trace, unless the user took the window. */
  prepare(): void {
    const { scene } = this.app;
    if (this.viewSet) return;
    if (scene.live && this.follow) scene.viewport.follow(scene.store.clockMs);
    else if (!scene.live) this.fitNow();
  }

  zoomAt(x: number, factor: number): void {
    this.app.scene.viewport.zoomAround(x, factor);
    this.userMoved();
  }

  panPx(dx: number): void {
    if (dx === 0) return;
    this.app.scene.viewport.panPx(dx);
    this.userMoved();
  }

  scrollRows(dy: number): void {
    const { geometry, layout } = this.app.scene;
    geometry.scrollTop += dy;
    geometry.clampScroll(layout.height);
    this.app.changed();
  }

  scrollRowIntoView(row: number): void {
    const { layout, geometry } = this.app.scene;
    const r = layout.rows[row];
    if (!r) return;
    if (r.y < geometry.scrollTop) geometry.scrollTop = r.y;
    else if (r.y + r.height > geometry.scrollTop + geometry.rowsHeight)
      geometry.scrollTop = r.y + r.height - geometry.rowsHeight;
    this.app.changed();
  }

  /** Fits the whole trace, and keeps it there (follow live turns off). */
  fit(): void {
    this.fitNow();
    this.viewSet = true;
    this.setFollow(false);
  }

  fitNow(): void {
    const { store, viewport } = this.app.scene;
    viewport.fit(Math.max(store.endMs, store.clockMs));
  }

  /** The user moved the window: it stays where they put it, and follow live turns off. */
  userMoved(): void {
    this.viewSet = true;
    if (this.follow && this.app.scene.live) this.setFollow(false);
    this.app.changed();
  }

  setFollow(on: boolean): void {
    this.follow = on;
    this.app.toolbar.setFollow(on);
    if (on) this.viewSet = false;
    this.app.changed();
  }
}
