// The timeline app: receives the host's messages into the trace store, keeps the view
// (viewport, rows, filters, selection, follow live) and wires the canvas, the toolbar, the
// detail pane, the table and the screen-reader mirror together. Input and keyboard actions
// live in ./timelineActions and selecting in ./selector; this file holds the state they act on.
import {
  assertNever,
  type HostToWebviewMessage,
  type SourceSelection,
  type TimelineFilters,
  type TraceMeta,
} from '../protocol/messages';
import { chunkProblem } from '../protocol/traceChunkChecks';
import type { TraceChunk } from '../protocol/traceColumns';
import { ScreenReaderMirror } from './accessibility';
import { DetailPane } from './detailPane';
import { EventFilter } from './eventFilter';
import { Geometry } from './geometry';
import type { HostBridge } from './hostBridge';
import { LevelOfDetailCache } from './levelOfDetail';
import { PhaseLegend } from './phaseLegend';
import { Renderer } from './renderer';
import { RowLayout } from './rowLayout';
import type { Scene } from './scene';
import { Selector } from './selector';
import { sourceHighlight } from './sourceHighlight';
import { canvasLabel, metaLine, statusText } from './statusLine';
import { TableView } from './tableView';
import { TextCache } from './textCache';
import { readTheme } from './theme';
import { TraceStore } from './traceStore';
import type { TimelineDom } from './timelineDom';
import { formatTime } from './timeFormat';
import { Toolbar } from './toolbar';
import { ViewRestore } from './viewRestore';
import { defaultViewState, type ViewMode, type ViewState } from './viewState';
import { ViewControl } from './viewControl';
import { Viewport } from './viewport';

/** The window a live trace starts with, before there is anything to fit. */
const liveWindowMs = 10_000;
/** State is written this long after the last change. */
const saveDelayMs = 200;
/** While a complete trace arrives in chunks, at most this long between frames that show how far it got. */
const loadingFrameMs = 250;

export class TimelineState {
  readonly scene: Scene;
  readonly renderer: Renderer;
  readonly toolbar: Toolbar;
  readonly detail: DetailPane;
  readonly table: TableView;
  readonly mirror = new ScreenReaderMirror();
  readonly legend = new PhaseLegend();
  readonly selector = new Selector(this);
  readonly restore: ViewRestore;
  readonly view = new ViewControl(this);
  mode: ViewMode = 'timeline';
  private layoutDirty = true;
  /** Bumped whenever the trace or the rows change (the screen-reader mirror compares it). */
  private version = 0;
  private scrollbarTop = 0;
  private tableDirty = true;
  private sourceSelection: SourceSelection | null = null;
  private saveTimer = 0;
  private started = false;
  private themeDirty = false;
  /** Whether the trace has finished (traceFinished came). */
  private finished = false;
  /** While a complete trace arrives: the timer of the next frame that shows how far it got. */
  private loadingFrame: number | undefined;
  private summary = '';
  private title = 'Podtrace timeline';

  constructor(
    readonly dom: TimelineDom,
    readonly bridge: HostBridge,
    saved: ViewState | undefined,
  ) {
    const scene: Scene = {
      store: new TraceStore(),
      filter: new EventFilter(),
      layout: new RowLayout(),
      viewport: new Viewport(),
      geometry: new Geometry(),
      lod: new LevelOfDetailCache(),
      text: new TextCache(),
      theme: readTheme(document.body),
      selection: { event: -1, rowKey: null },
      highlight: null,
      critical: null,
      live: false,
    };
    this.scene = scene;
    this.renderer = new Renderer(
      dom.canvas,
      scene,
      () => this.prepareFrame(),
      (first, last) => this.mirror.rows(scene, first, last, this.version),
    );
    const state = saved ?? defaultViewState;
    this.toolbar = new Toolbar(
      {
        fit: () => this.view.fit(),
        zoom: (factor) => this.view.zoomAt(scene.viewport.x0 + scene.viewport.width / 2, factor),
        setFollow: (on) => this.view.setFollow(on),
        runControl: (action) => bridge.post({ type: 'runControl', action }),
        setMode: (mode) => this.setMode(mode, true),
        toggleLegend: () => this.setLegend(!this.legend.shown),
        exportAs: (format) => bridge.post({ type: 'exportRequested', format }),
        filtersChanged: (filters) => this.setFilters(filters, true),
      },
      state.filters,
      bridge.kind === 'vscode',
    );
    this.detail = new DetailPane({
      select: (id) => this.selector.event(id, null, true),
      reveal: (id) => this.selector.reveal(id),
      toggleCriticalPath: (e) => this.selector.toggleCriticalPath(e),
    });
    this.table = new TableView(scene.store, scene.filter, {
      select: (id) => this.selector.event(id, null, false),
      reveal: (id) => this.selector.reveal(id),
    });
    this.toolbar.addStrip(this.legend.element);
    dom.toolbarSlot.append(this.toolbar.element);
    dom.detailSlot.append(this.detail.element);
    dom.tableSlot.append(this.table.element);
    dom.a11ySlot.append(this.mirror.list, this.mirror.live);
    this.restore = new ViewRestore(saved);
    this.view.follow = state.follow;
    this.toolbar.setFollow(state.follow);
    for (const s of state.collapsed) scene.layout.collapsed.add(s);
    this.setFilters(state.filters, false);
    this.setMode(state.mode, false);
    this.setLegend(state.legend);
    this.updateStatus();
    this.started = true;
  }

  get store() {
    return this.scene.store;
  }

  handle(message: HostToWebviewMessage): void {
    switch (message.type) {
      case 'traceReset':
        this.reset(message.title, message.meta, message.live, message.filters);
        break;
      case 'eventsAppended':
        this.append(message.chunk);
        break;
      case 'traceFinished':
        this.finish(message.stopReason, message.endedAtMs, message.summary);
        break;
      case 'sourceSelectionChanged':
        this.highlightSource(message.selection);
        break;
      case 'themeChanged':
        this.themeChanged();
        break;
      default:
        assertNever(message);
    }
  }

  private reset(title: string, meta: TraceMeta, live: boolean, filters: TimelineFilters | undefined): void {
    const { scene } = this;
    scene.store.reset();
    scene.filter.newTrace();
    scene.filter.extend(scene.store);
    scene.layout.newTrace();
    scene.selection = { event: -1, rowKey: null };
    scene.critical = null;
    scene.highlight = null;
    scene.live = live;
    this.view.viewSet = false;
    this.finished = false;
    this.summary = '';
    this.title = title;
    this.toolbar.setTitle(title, metaLine(meta));
    this.toolbar.setLive(live);
    this.toolbar.setHasTrace();
    this.toolbar.clearLanes();
    this.renderer.newTrace();
    this.restore.newTrace();
    // The filters the host remembers for the workspace (a new panel starts with them), unless
    // this is the trace the app's own saved view is about: a reloaded webview keeps its view.
    if (filters && !this.restore.ownsView) this.setFilters(filters, false);
    if (live) scene.viewport.set({ startMs: 0, endMs: liveWindowMs });
    this.detail.showNothing();
    this.dirty();
  }

  private append(chunk: TraceChunk): void {
    const { store, filter } = this.scene;
    const problem = chunkProblem(chunk, store.sizes);
    if (problem) {
      console.warn(`podtrace timeline: dropped a chunk of ${chunk.time.length} events from the host: ${problem}`);
      return;
    }
    const rowsChanged = store.append(chunk);
    filter.extend(store);
    this.toolbar.setLanes(store.laneTracks.map((t) => t.length > 0));
    if (this.sourceSelection) this.scene.highlight = sourceHighlight(store, this.sourceSelection);
    this.selector.traceGrew();
    // A trace that is complete but still arriving (a finished one the host replays, or a
    // report's) is drawn once it is all in: a frame per chunk would lay out and draw the rows
    // again for each one. If the chunks are slow to come, a frame shows how far it got.
    const arriving = !this.scene.live && !this.finished;
    // With filters that hide rows without events, a row can appear with any event.
    this.dirty(rowsChanged || filter.narrowing || filter.filters.object !== '', !arriving);
    if (arriving)
      this.loadingFrame ??= window.setTimeout(() => {
        this.loadingFrame = undefined;
        this.renderer.request();
      }, loadingFrameMs);
    this.restore.applyTo(this, false);
  }

  private finish(stopReason: string, endedAtMs: number, summary: string): void {
    const { scene } = this;
    scene.live = false;
    this.finished = true;
    window.clearTimeout(this.loadingFrame);
    this.loadingFrame = undefined;
    scene.store.clockMs = Math.max(scene.store.clockMs, endedAtMs);
    this.summary = summary || `${stopReason} at ${formatTime(endedAtMs)}`;
    this.toolbar.setLive(false);
    this.restore.applyTo(this, true);
    if (!this.view.viewSet) this.view.fitNow();
    this.dirty();
  }

  private highlightSource(selection: SourceSelection | null): void {
    this.sourceSelection = selection;
    const highlight = sourceHighlight(this.store, selection);
    this.scene.highlight = highlight;
    if (highlight && highlight.count > 0) this.revealHighlightedRow(highlight.atCursor ?? highlight.entities);
    this.renderer.request();
  }

  /** Scrolls the first highlighted row into view unless one is already on screen. */
  private revealHighlightedRow(entities: Uint8Array): void {
    this.layoutIfDirty();
    const { layout, geometry } = this.scene;
    let first = -1;
    for (let i = 0; i < layout.rows.length; i++) {
      const e = layout.rows[i].entity;
      if (!e || !entities[e.index]) continue;
      if (geometry.rowOnScreen(layout.rows[i])) return;
      if (first < 0) first = i;
    }
    if (first >= 0) this.view.scrollRowIntoView(first);
  }

  /** The theme changed (or may have): its colours are read again before the next frame. */
  themeChanged(): void {
    this.themeDirty = true;
    this.renderer.request();
  }

  /**
   * The trace or the filters changed: the table, the status line and (when `rows`) the rows
   * follow, drawn in the next frame unless `draw` is false.
   */
  dirty(rows = true, draw = true): void {
    this.version++;
    if (rows) this.layoutDirty = true;
    this.tableDirty = true;
    this.dom.empty.hidden = this.store.count > 0 || this.scene.live;
    this.updateStatus();
    if (this.mode === 'table') this.updateTable();
    if (draw) this.renderer.request();
  }

  layoutIfDirty(): void {
    if (!this.layoutDirty) return;
    this.layoutDirty = false;
    const { layout, store, filter } = this.scene;
    layout.build(store, filter);
    this.dom.scrollContent.style.height = `${layout.height}px`;
  }

  private prepareFrame(): void {
    if (this.themeDirty) {
      this.themeDirty = false;
      this.scene.theme = readTheme(document.body);
      this.legend.paint(this.scene.theme);
    }
    this.layoutIfDirty();
    this.view.prepare();
    // The native scrollbar follows the rows' scroll (kept here, so no frame reads layout back).
    const top = Math.round(this.scene.geometry.scrollTop);
    if (top !== this.scrollbarTop) {
      this.scrollbarTop = top;
      this.dom.scrollbar.scrollTop = top;
    }
  }

  private updateTable(): void {
    if (!this.tableDirty) return;
    this.tableDirty = false;
    this.table.update();
  }

  /** The status line and the canvas's accessible name, after the trace or the rows changed. */
  updateStatus(): void {
    const { store, layout } = this.scene;
    this.dom.status.textContent = statusText(store, { live: this.scene.live, summary: this.summary });
    this.dom.canvas.setAttribute('aria-label', canvasLabel(this.title, store.count, layout.rows.length));
  }

  /** The selection changed: redraw and keep it. */
  selectionChanged(): void {
    this.renderer.request();
    this.saveSoon();
  }

  // -------------------------------------------------------------------------------------
  // What the rows show

  setFilters(filters: TimelineFilters, fromUser: boolean): void {
    const { scene } = this;
    scene.filter.set(filters, scene.store);
    if (!fromUser) this.toolbar.setFilters(filters);
    if (fromUser) this.bridge.post({ type: 'filtersChanged', filters: scene.filter.filters });
    this.dirty();
    this.saveSoon();
  }

  setMode(mode: ViewMode, fromUser: boolean): void {
    this.mode = mode;
    this.toolbar.setMode(mode);
    this.dom.canvasBox.hidden = mode !== 'timeline';
    this.dom.tableSlot.hidden = mode !== 'table';
    if (mode === 'table') {
      this.updateTable();
      if (this.scene.selection.event >= 0) this.table.selectEvent(this.scene.selection.event);
      if (fromUser) this.table.element.focus();
    } else {
      this.renderer.request();
      if (fromUser) this.dom.canvas.focus();
    }
    this.saveSoon();
  }

  /** Shows or hides the legend of the pod phase bars. */
  setLegend(shown: boolean): void {
    this.legend.paint(this.scene.theme);
    this.legend.shown = shown;
    this.toolbar.setLegend(shown);
    this.saveSoon();
  }

  toggleSection(row: number): void {
    const r = this.scene.layout.rows[row];
    if (!r || r.kind !== 'section') return;
    const c = this.scene.layout.collapsed;
    if (c.has(r.section)) c.delete(r.section);
    else c.add(r.section);
    this.layoutDirty = true;
    this.version++;
    this.changed();
  }

  /** A view change: redraw, and keep the state. */
  changed(): void {
    this.renderer.request();
    this.saveSoon();
  }

  private saveSoon(): void {
    // The state is the user's: setting up from it is not a change to write back.
    if (!this.started) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => this.bridge.saveState(this.currentState()), saveDelayMs);
  }

  currentState(): ViewState {
    const { scene } = this;
    const critical = scene.critical;
    return this.restore.merge({
      version: 1,
      viewport: this.view.viewSet ? scene.viewport.window() : null,
      scrollTop: scene.geometry.scrollTop,
      filters: scene.filter.filters,
      selectedEvent: scene.selection.event,
      selectedRow: scene.selection.rowKey,
      mode: this.mode,
      follow: this.view.follow,
      criticalPod: critical ? `entity:${critical.entity.index}` : null,
      collapsed: [...scene.layout.collapsed],
      legend: this.legend.shown,
    });
  }
}
