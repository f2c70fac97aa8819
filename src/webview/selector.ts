// Selecting: an event (in the row it was picked in), a row without an event, nothing; revealing
// the selected event's YAML (the host opens it; the report shows where it is); a pod's critical
// path. Each keeps the detail pane, the table and the screen-reader announcement in step.
import { lanes } from '../protocol/traceColumns';
import { describeEvent } from './accessibility';
import { criticalPath } from './criticalPath';
import type { DetailContext } from './detailPane';
import type { Entity } from './entities';
import { eventOnScreen } from './eventPlacement';
import type { Scene } from './scene';
import type { Selection, SelectionHost } from './timelineParts';

export class Selector implements Selection {
  constructor(private readonly app: SelectionHost) {}

  private get scene(): Scene {
    return this.app.scene;
  }

  /** Selects event `id` in the row `rowKey` (or its object's row); `bringIntoView` pans and scrolls to it. */
  event(id: number, rowKey: string | null, bringIntoView: boolean): void {
    const { app, scene } = this;
    if (id < 0 || id >= scene.store.count) return;
    app.layoutIfDirty();
    const key = rowKey ?? defaultRowKey(scene, id);
    scene.selection = { event: id, rowKey: key };
    app.detail.show(this.detailContext(), id, null);
    app.mirror.announce(describeEvent(scene, id));
    if (app.mode === 'table') app.table.selectEvent(id);
    if (bringIntoView) this.bringIntoView(id, key);
    app.selectionChanged();
  }

  /** Selects a row without an event (a pod's summary, a lane). */
  row(rowIndex: number): void {
    const { app, scene } = this;
    const row = scene.layout.rows[rowIndex];
    if (!row) return;
    scene.selection = { event: -1, rowKey: row.key };
    if (row.entity) app.detail.show(this.detailContext(), -1, row.entity);
    else if (row.lane >= 0) app.detail.showLane(scene.store, row.lane);
    else app.detail.showNothing();
    app.mirror.announce(row.label);
    app.selectionChanged();
  }

  clear(): void {
    this.scene.selection = { event: -1, rowKey: null };
    this.app.detail.showNothing();
    this.app.mirror.announce('Selection cleared');
    this.app.selectionChanged();
  }

  /** Asks the host to reveal the event's YAML; the report shows the location in the detail pane instead. */
  reveal(id: number): void {
    const { app } = this;
    const source = this.scene.store.sourceOf(id);
    if (!source) {
      app.mirror.announce('This event has no YAML source range.');
      return;
    }
    const location = `${source.file}:${source.line}:${source.column}`;
    if (app.bridge.kind === 'vscode') {
      const { file, line, column, endLine, endColumn } = source;
      app.bridge.post({ type: 'revealSource', eventId: id, source: { file, line, column, endLine, endColumn } });
      app.mirror.announce(`Revealing ${location}`);
    } else app.mirror.announce(`YAML source: ${location} (${source.path})`);
  }

  /** Shows the pod's critical path, or hides it when it shows (or `entity` is null). */
  toggleCriticalPath(entity: Entity | null): void {
    const { app, scene } = this;
    if (!entity || scene.critical?.entity === entity) scene.critical = null;
    else scene.critical = { entity, events: criticalPath(scene.store, entity) };
    this.refreshDetail(entity);
    const path = scene.critical;
    app.mirror.announce(
      path ? `Critical path of ${entity?.name}: ${path.events.length} steps` : 'Critical path hidden',
    );
    app.selectionChanged();
  }

  /** The trace grew: the critical path is walked again and the detail pane shows the latest. */
  traceGrew(): void {
    const { scene } = this;
    const critical = scene.critical;
    if (critical) scene.critical = { entity: critical.entity, events: criticalPath(scene.store, critical.entity) };
  }

  private refreshDetail(entity: Entity | null): void {
    const id = this.scene.selection.event;
    if (id >= 0) this.app.detail.show(this.detailContext(), id, null);
    else if (entity) this.app.detail.show(this.detailContext(), -1, entity);
  }

  private detailContext(): DetailContext {
    const { app, scene } = this;
    return {
      store: scene.store,
      canReveal: app.bridge.kind === 'vscode',
      criticalPath: scene.critical?.events ?? null,
    };
  }

  /** Pans to the event when it is outside the window and scrolls its row into view. */
  private bringIntoView(id: number, rowKey: string): void {
    const { app, scene } = this;
    const { viewport: vp, layout } = scene;
    const t = scene.store.time[id];
    if (t < vp.startMs || t > vp.endMs) {
      const span = vp.spanMs;
      vp.set({ startMs: t - span / 2, endMs: t + span / 2 });
      app.view.userMoved();
    }
    const row = layout.indexOfKey(rowKey);
    if (row >= 0 && !eventOnScreen(scene, id, row)) app.view.scrollRowIntoView(row);
  }
}

/** The row an event is selected in by default: its object's row when laid out, else its lane's. */
function defaultRowKey(scene: Scene, id: number): string {
  const entity = scene.store.entityOfEvent(id);
  const row = scene.layout.entityRows[entity.index] ?? -1;
  return row >= 0 ? `entity:${entity.index}` : `lane:${lanes[scene.store.lane[id]]}`;
}
