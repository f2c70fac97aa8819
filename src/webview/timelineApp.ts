// The timeline app: receives the host's messages into the trace store, keeps the view
// (viewport, rows, filters, selection, follow live) and wires the canvas, the toolbar, the
// detail pane, the table and the screen-reader mirror together. Input and keyboard actions
// live in ./timelineActions; this file holds the state they act on.
import {
  assertNever,
  type HostToWebviewMessage,
  type SourceSelection,
  type TimelineFilters,
  type TraceMeta,
} from '../protocol/messages';
import { chunkProblem, lanes, type TraceChunk } from '../protocol/traceColumns';
import { describeEvent, ScreenReaderMirror } from './accessibility';
import { criticalPath } from './criticalPath';
import { DetailPane } from './detailPane';
import type { Entity } from './entities';
import { EventFilter } from './eventFilter';
import { eventOnScreen } from './eventPlacement';
import { Geometry } from './geometry';
import type { HostBridge } from './hostBridge';
import { LevelOfDetailCache } from './levelOfDetail';
import { Renderer } from './renderer';
import { RowLayout } from './rowLayout';
import type { Scene } from './scene';
import { sourceHighlight } from './sourceHighlight';
import { TableView } from './tableView';
import { TextCache } from './textCache';
import { readTheme } from './theme';
import { TraceStore } from './traceStore';
import type { TimelineDom } from './timelineDom';
import { formatTime } from './timeFormat';
import { Toolbar } from './toolbar';
import { ViewRestore } from './viewRestore';
import { defaultViewState, type ViewMode, type ViewState } from './viewState';
import { Viewport } from './viewport';

/** The window a live trace starts with, before there is anything to fit. */
const liveWindowMs = 10_000;
/** State is written this long after the last change. */
const saveDelayMs = 200;

export class TimelineState {
  readonly scene: Scene;
  readonly renderer: Renderer;
  readonly toolbar: Toolbar;
  readonly detail: DetailPane;
  readonly table: TableView;
  readonly mirror = new ScreenReaderMirror();
  readonly restore: ViewRestore;
  mode: ViewMode = 'timeline';
  follow = true;
  /** Whether the viewport was set for this trace (by the user or a restore), so it is not fitted or followed. */
  viewSet = false;
  finished = false;
  private layoutDirty = true;
  private tableDirty = true;
  private sourceSelection: SourceSelection | null = null;
  private saveTimer = 0;
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
      (first, last) => this.mirror.rows(scene, first, last),
    );
    const state = saved ?? defaultViewState;
    this.toolbar = new Toolbar(
      {
        fit: () => this.fit(),
        zoom: (factor) => this.zoomAt(scene.viewport.x0 + scene.viewport.width / 2, factor),
        setFollow: (on) => this.setFollow(on),
        runControl: (action) => bridge.post({ type: 'runControl', action }),
        setMode: (mode) => this.setMode(mode, true),
        exportAs: (format) => bridge.post({ type: 'exportRequested', format }),
        filtersChanged: (filters) => this.setFilters(filters, true),
      },
      state.filters,
      bridge.kind === 'vscode',
    );
    this.detail = new DetailPane({
      select: (id) => this.select(id, null, true),
      reveal: (id) => this.reveal(id),
      toggleCriticalPath: (e) => this.toggleCriticalPath(e),
    });
    this.table = new TableView(scene.store, scene.filter, {
      select: (id) => this.select(id, null, false),
      reveal: (id) => this.reveal(id),
    });
    dom.toolbarSlot.append(this.toolbar.element);
    dom.detailSlot.append(this.detail.element);
    dom.tableSlot.append(this.table.element);
    dom.a11ySlot.append(this.mirror.list, this.mirror.live);
    this.restore = new ViewRestore(saved);
    this.follow = state.follow;
    this.toolbar.setFollow(state.follow);
    for (const s of state.collapsed) scene.layout.collapsed.add(s);
    this.setFilters(state.filters, false);
    this.setMode(state.mode, false);
    this.updateStatus();
  }

  get store() {
    return this.scene.store;
  }

  handle(message: HostToWebviewMessage): void {
    switch (message.type) {
      case 'traceReset':
        this.reset(message.title, message.meta, message.live);
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

  private reset(title: string, meta: TraceMeta, live: boolean): void {
    const { scene } = this;
    scene.store.reset();
    scene.filter.newTrace();
    scene.filter.extend(scene.store);
    scene.selection = { event: -1, rowKey: null };
    scene.critical = null;
    scene.highlight = null;
    scene.live = live;
    this.finished = false;
    this.viewSet = false;
    this.summary = '';
    this.title = title;
    this.toolbar.setTitle(title, metaLine(meta));
    this.toolbar.setLive(live);
    this.toolbar.clearLanes();
    this.renderer.newTrace();
    this.restore.newTrace();
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
    store.append(chunk);
    filter.extend(store);
    this.toolbar.setLanes(store.laneTracks.map((t) => t.length > 0));
    if (this.sourceSelection) this.scene.highlight = sourceHighlight(store, this.sourceSelection);
    const critical = this.scene.critical;
    if (critical) this.scene.critical = { entity: critical.entity, events: criticalPath(store, critical.entity) };
    this.dirty();
    this.restore.apply(this, false);
  }

  private finish(stopReason: string, endedAtMs: number, summary: string): void {
    const { scene } = this;
    scene.live = false;
    this.finished = true;
    scene.store.clockMs = Math.max(scene.store.clockMs, endedAtMs);
    this.summary = summary || `${stopReason} at ${formatTime(endedAtMs)}`;
    this.toolbar.setLive(false);
    this.restore.apply(this, true);
    if (!this.viewSet) this.fitNow();
    this.dirty();
  }

  private highlightSource(selection: SourceSelection | null): void {
    this.sourceSelection = selection;
    const highlight = sourceHighlight(this.store, selection);
    this.scene.highlight = highlight;
    if (highlight && highlight.count > 0) this.revealHighlightedRow(highlight.entities);
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
    if (first >= 0) this.scrollRowIntoView(first);
  }

  themeChanged(): void {
    this.scene.theme = readTheme(document.body);
    this.renderer.request();
  }

  /** Something changed that the rows, the table and the status line depend on. */
  dirty(): void {
    this.layoutDirty = true;
    this.tableDirty = true;
    this.dom.empty.hidden = this.store.count > 0 || this.scene.live;
    this.updateStatus();
    if (this.mode === 'table') this.updateTable();
    this.renderer.request();
  }

  layoutIfDirty(): void {
    if (!this.layoutDirty) return;
    this.layoutDirty = false;
    const { layout, store, filter, geometry } = this.scene;
    layout.build(store, filter);
    this.dom.scrollContent.style.height = `${layout.height + geometry.height}px`;
  }

  private prepareFrame(): void {
    this.layoutIfDirty();
    const { scene } = this;
    if (!this.viewSet) {
      if (scene.live && this.follow) scene.viewport.follow(scene.store.clockMs);
      else if (!scene.live) this.fitNow();
    }
    if (Math.abs(this.dom.scrollbar.scrollTop - scene.geometry.scrollTop) >= 1)
      this.dom.scrollbar.scrollTop = scene.geometry.scrollTop;
  }

  private updateTable(): void {
    if (!this.tableDirty) return;
    this.tableDirty = false;
    this.table.update();
  }

  updateStatus(): void {
    const { store, selection } = this.scene;
    const ready = [...store.pods.values()].filter((p) => p.phases.ready !== null).length;
    const warnings = `${store.warningCount} warning${store.warningCount === 1 ? '' : 's'}`;
    const counts = `${store.count} events · ${store.pods.size} pods (${ready} ready) · ${warnings}`;
    const text = this.scene.live
      ? `${counts} · live, clock at ${formatTime(store.clockMs)}`
      : this.summary
        ? `${this.summary} · ${warnings}`
        : counts;
    this.dom.status.textContent = text;
    this.dom.canvas.setAttribute(
      'aria-label',
      `${this.title}: ${store.count} events in ${this.scene.layout.rows.length} rows${selection.event >= 0 ? '' : ', nothing selected'}. ` +
        'Arrow keys move between events and rows, Enter reveals the YAML, W and S zoom, A and D pan, F fits, C shows a pod’s critical path.',
    );
  }

  // -------------------------------------------------------------------------------------
  // Selection

  /** Selects event `id` in the row `rowKey` (or its object's row); `bringIntoView` pans and scrolls to it. */
  select(id: number, rowKey: string | null, bringIntoView: boolean): void {
    const { scene } = this;
    if (id < 0 || id >= this.store.count) return;
    this.layoutIfDirty();
    const key = rowKey ?? defaultRowKey(scene, id);
    scene.selection = { event: id, rowKey: key };
    this.detail.show(this.detailContext(), id, null);
    this.mirror.announce(describeEvent(scene, id));
    if (this.mode === 'table') this.table.selectEvent(id);
    if (bringIntoView) this.bringIntoView(id, key);
    this.changed();
  }

  /** Selects a row without an event (a pod's summary, a lane). */
  selectRow(rowIndex: number): void {
    const row = this.scene.layout.rows[rowIndex];
    if (!row) return;
    this.scene.selection = { event: -1, rowKey: row.key };
    if (row.entity) this.detail.show(this.detailContext(), -1, row.entity);
    else this.detail.showNothing();
    this.mirror.announce(row.label);
    this.changed();
  }

  clearSelection(): void {
    this.scene.selection = { event: -1, rowKey: null };
    this.detail.showNothing();
    this.mirror.announce('Selection cleared');
    this.changed();
  }

  /** Asks the host to reveal the event's YAML; the report shows the location in the detail pane instead. */
  reveal(id: number): void {
    const source = this.store.sourceOf(id);
    if (!source) {
      this.mirror.announce('This event has no YAML source range.');
      return;
    }
    const location = `${source.file}:${source.line}:${source.column}`;
    if (this.bridge.kind === 'vscode') {
      this.bridge.post({
        type: 'revealSource',
        eventId: id,
        source: {
          file: source.file,
          line: source.line,
          column: source.column,
          endLine: source.endLine,
          endColumn: source.endColumn,
        },
      });
      this.mirror.announce(`Revealing ${location}`);
    } else this.mirror.announce(`YAML source: ${location} (${source.path})`);
  }

  toggleCriticalPath(entity: Entity | null): void {
    const { scene } = this;
    if (!entity || scene.critical?.entity === entity) scene.critical = null;
    else scene.critical = { entity, events: criticalPath(this.store, entity) };
    const id = scene.selection.event;
    if (id >= 0) this.detail.show(this.detailContext(), id, null);
    else if (entity) this.detail.show(this.detailContext(), -1, entity);
    this.mirror.announce(
      scene.critical
        ? `Critical path of ${entity?.name}: ${scene.critical.events.length} steps`
        : 'Critical path hidden',
    );
    this.changed();
  }

  private detailContext() {
    return {
      store: this.store,
      canReveal: this.bridge.kind === 'vscode',
      criticalPath: this.scene.critical?.events ?? null,
    };
  }

  /** Pans to the event when it is outside the window and scrolls its row into view. */
  private bringIntoView(id: number, rowKey: string): void {
    const { viewport: vp, layout } = this.scene;
    const t = this.store.time[id];
    if (t < vp.startMs || t > vp.endMs) {
      const span = vp.spanMs;
      vp.set({ startMs: t - span / 2, endMs: t + span / 2 });
      this.userMoved();
    }
    const row = layout.indexOfKey(rowKey);
    if (row >= 0 && !eventOnScreen(this.scene, id, row)) this.scrollRowIntoView(row);
  }

  scrollRowIntoView(row: number): void {
    const { layout, geometry } = this.scene;
    const r = layout.rows[row];
    if (!r) return;
    if (r.y < geometry.scrollTop) geometry.scrollTop = r.y;
    else if (r.y + r.height > geometry.scrollTop + geometry.rowsHeight)
      geometry.scrollTop = r.y + r.height - geometry.rowsHeight;
    this.renderer.request();
  }

  // -------------------------------------------------------------------------------------
  // The view

  zoomAt(x: number, factor: number): void {
    this.scene.viewport.zoomAround(x, factor);
    this.userMoved();
  }

  panPx(dx: number): void {
    if (dx === 0) return;
    this.scene.viewport.panPx(dx);
    this.userMoved();
  }

  scrollRows(dy: number): void {
    const g = this.scene.geometry;
    g.scrollTop += dy;
    g.clampScroll(this.scene.layout.height);
    this.changed();
  }

  fit(): void {
    this.fitNow();
    this.viewSet = true;
    this.setFollow(false);
    this.changed();
  }

  private fitNow(): void {
    this.scene.viewport.fit(Math.max(this.store.endMs, this.store.clockMs));
  }

  /** The user moved the window: it stays where they put it, and follow live turns off. */
  userMoved(): void {
    this.viewSet = true;
    if (this.follow && this.scene.live) this.setFollow(false);
    this.changed();
  }

  setFollow(on: boolean): void {
    this.follow = on;
    this.toolbar.setFollow(on);
    if (on) this.viewSet = false;
    this.changed();
  }

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

  toggleSection(row: number): void {
    const r = this.scene.layout.rows[row];
    if (!r || r.kind !== 'section') return;
    const c = this.scene.layout.collapsed;
    if (c.has(r.section)) c.delete(r.section);
    else c.add(r.section);
    this.layoutDirty = true;
    this.changed();
  }

  /** A view change: redraw, and keep the state. */
  changed(): void {
    this.renderer.request();
    this.updateStatus();
    this.saveSoon();
  }

  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => this.bridge.saveState(this.currentState()), saveDelayMs);
  }

  currentState(): ViewState {
    const { scene } = this;
    const critical = scene.critical;
    return this.restore.merge({
      version: 1,
      viewport: this.viewSet ? scene.viewport.window() : null,
      scrollTop: scene.geometry.scrollTop,
      filters: scene.filter.filters,
      selectedEvent: scene.selection.event,
      selectedRow: scene.selection.rowKey,
      mode: this.mode,
      follow: this.follow,
      criticalPod: critical ? `entity:${critical.entity.index}` : null,
      collapsed: [...scene.layout.collapsed],
    });
  }
}

/** The row an event is selected in by default: its object's row when laid out, else its lane's. */
function defaultRowKey(scene: Scene, id: number): string {
  const entity = scene.store.entityOfEvent(id);
  const row = scene.layout.entityRows[entity.index] ?? -1;
  return row >= 0 ? `entity:${entity.index}` : `lane:${lanes[scene.store.lane[id]]}`;
}

function metaLine(meta: TraceMeta): string {
  const parts = [meta.target, `Kubernetes ${meta.kubernetesVersion}`];
  if (meta.nodes !== null) parts.push(`${meta.nodes} nodes`);
  if (meta.seed !== null) parts.push(`seed ${meta.seed}`);
  if (meta.profile) parts.push(`profile ${meta.profile}`);
  return parts.join(' · ');
}
