// Puts the saved view back after a reload of the webview, once the trace is back: the host
// answers `ready` with the trace from the start, so the window, the selection, the scroll
// and the critical path are applied as the events they need arrive. Until a field is
// applied, the state written back keeps its saved value, so that a reload in the middle of
// the replay loses nothing.
import type { RestoreHost } from './timelineParts';
import type { ViewState } from './viewState';

type Pending = { -readonly [K in keyof ViewState]?: ViewState[K] };

export class ViewRestore {
  private pending: Pending | null;
  private traces = 0;
  private readonly saved: boolean;

  constructor(saved: ViewState | undefined) {
    this.saved = saved !== undefined;
    this.pending = saved
      ? {
          viewport: saved.viewport,
          scrollTop: saved.scrollTop,
          selectedEvent: saved.selectedEvent,
          selectedRow: saved.selectedRow,
          criticalPod: saved.criticalPod,
        }
      : null;
  }

  /** A trace begins: only the first one after loading is the one the saved state was about. */
  newTrace(): void {
    if (++this.traces > 1) this.pending = null;
  }

  /** Whether the app has a view of its own for the current trace: the state saved before a reload. */
  get ownsView(): boolean {
    return this.saved && this.traces === 1;
  }

  /** Applies what the trace so far allows; `finished`: the trace is complete, so drop what is left. */
  applyTo(app: RestoreHost, finished: boolean): void {
    const p = this.pending;
    if (!p) return;
    const { scene } = app;
    const { store } = scene;
    if (p.viewport !== undefined) {
      if (p.viewport && !(scene.live && app.view.follow)) {
        scene.viewport.set(p.viewport);
        app.view.viewSet = true;
      }
      delete p.viewport;
    }
    if (p.selectedEvent !== undefined && (p.selectedEvent < store.count || finished)) {
      if (p.selectedEvent >= 0 && p.selectedEvent < store.count)
        app.selector.event(p.selectedEvent, p.selectedRow ?? null, false);
      else if (p.selectedRow && finished) {
        app.layoutIfDirty();
        const row = scene.layout.indexOfKey(p.selectedRow);
        if (row >= 0) app.selector.row(row);
      }
      delete p.selectedEvent;
      delete p.selectedRow;
    }
    if (p.criticalPod !== undefined) {
      const index = p.criticalPod === null ? -1 : Number(p.criticalPod.replace(/^entity:/, ''));
      const entity = store.entities.list[index];
      if (p.criticalPod === null) delete p.criticalPod;
      else if (entity && store.podOf(entity) && (finished || store.podOf(entity)?.phases.routable !== null)) {
        app.selector.toggleCriticalPath(entity);
        delete p.criticalPod;
      } else if (finished) delete p.criticalPod;
    }
    if (p.scrollTop !== undefined) {
      app.layoutIfDirty();
      if (finished || scene.layout.height >= p.scrollTop + scene.geometry.rowsHeight) {
        scene.geometry.scrollTop = p.scrollTop;
        scene.geometry.clampScroll(scene.layout.height);
        delete p.scrollTop;
      }
    }
    if (finished || Object.keys(p).length === 0) this.pending = null;
    app.renderer.request();
  }

  /** `state` with the saved values of the fields not applied yet. */
  merge(state: ViewState): ViewState {
    const p = this.pending;
    if (!p) return state;
    return { ...state, ...p } as ViewState;
  }
}
