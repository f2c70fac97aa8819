// A read-only window on the timeline for tests and the benchmark: `window.__podtraceTimeline`.
// The VS Code end-to-end tests click events at `eventPosition(id)`; the benchmark reads
// `frames` with the `podtrace:frame` measures. Keep these names and shapes.
import { eventOnScreen } from './eventPlacement';
import { phaseSteps, stepNames } from './podPhases';
import { eventsHeight, phaseBarBand } from './rowLayout';
import type { TimelineState } from './timelineApp';
import type { TimeWindow } from './viewport';

export interface InspectedRow {
  readonly label: string;
  readonly kind: 'section' | 'lane' | 'pod' | 'object';
  /** CSS pixels from the canvas's top. */
  readonly y: number;
  readonly height: number;
  /** The height of the band at the row's top that its events are drawn in (a pod's phase bar is under it). */
  readonly eventsHeight: number;
}

export interface TimelineInspection {
  readonly eventCount: number;
  readonly rowCount: number;
  /** The rows on screen, top to bottom. */
  rows(): InspectedRow[];
  /** The centre of the event's mark in CSS pixels from the canvas's top left; undefined when it is not on screen. */
  eventPosition(id: number): { x: number; y: number } | undefined;
  readonly selectedEventId: number | undefined;
  viewport(): TimeWindow;
  readonly frames: number;
  /** The event ids the table view lists (the filtered events), in order. */
  tableEventIds(): number[];
  /** The labels of the rows the YAML cursor highlights, on screen or not. */
  highlightedRows(): string[];
  /** The labels of the rows with events at the YAML cursor's very line. */
  rowsAtCursor(): string[];
  /** The segments of a pod row's phase bar, by the row's label; empty when the row is not a pod's or not laid out. */
  phaseSegments(rowLabel: string): InspectedSegment[];
}

export interface InspectedSegment {
  /** The step's name, as the legend and the bar's labels say it. */
  readonly step: string;
  /** CSS pixels from the canvas's left (unclipped) and top. */
  readonly x0: number;
  readonly x1: number;
  readonly y: number;
  readonly height: number;
  readonly held: boolean;
  /** Never finished: it runs on to the end of the trace. */
  readonly open: boolean;
}

declare global {
  interface Window {
    __podtraceTimeline?: TimelineInspection;
  }
}

export function installInspection(inspection: TimelineInspection): void {
  Object.defineProperty(window, '__podtraceTimeline', {
    value: Object.freeze(inspection),
    configurable: true,
    enumerable: false,
    writable: false,
  });
}

/** The inspection API over a running app. */
export function timelineInspection(app: TimelineState): TimelineInspection {
  const { scene } = app;
  return {
    get eventCount() {
      return scene.store.count;
    },
    get rowCount() {
      app.layoutIfDirty();
      return scene.layout.rows.length;
    },
    rows() {
      app.layoutIfDirty();
      const { layout, geometry } = scene;
      const [first, last] = layout.visibleRange(geometry.scrollTop, geometry.scrollTop + geometry.rowsHeight);
      return layout.rows.slice(first, last).map((r) => ({
        label: r.label,
        kind: r.kind,
        y: geometry.rowTop(r),
        height: r.height,
        eventsHeight: eventsHeight(r),
      }));
    },
    eventPosition(id: number) {
      app.layoutIfDirty();
      const on = eventOnScreen(scene, id, -1, true);
      return on ? { x: on.point.x, y: on.point.y } : undefined;
    },
    get selectedEventId() {
      return scene.selection.event >= 0 ? scene.selection.event : undefined;
    },
    viewport: () => scene.viewport.window(),
    get frames() {
      return app.renderer.frames;
    },
    tableEventIds: () => {
      app.table.update();
      return app.table.listed();
    },
    phaseSegments(rowLabel) {
      app.layoutIfDirty();
      const { layout, geometry, store, viewport: vp } = scene;
      const row = layout.rows.find((r) => r.kind === 'pod' && r.label === rowLabel);
      const pod = row?.entity ? store.podOf(row.entity) : undefined;
      if (!row || !pod) return [];
      const y = geometry.rowTop(row) + phaseBarBand.top;
      return phaseSteps(pod).map((s) => ({
        step: stepNames[s.phase],
        x0: vp.x(s.startMs),
        x1: vp.x(s.endMs ?? store.clockMs),
        y,
        height: phaseBarBand.height,
        held: s.held,
        open: s.endMs === null,
      }));
    },
    highlightedRows() {
      app.layoutIfDirty();
      const h = scene.highlight;
      return h ? scene.layout.rows.filter((r) => r.entity && h.entities[r.entity.index]).map((r) => r.label) : [];
    },
    rowsAtCursor() {
      app.layoutIfDirty();
      const at = scene.highlight?.atCursor;
      return at ? scene.layout.rows.filter((r) => r.entity && at[r.entity.index]).map((r) => r.label) : [];
    },
  };
}
