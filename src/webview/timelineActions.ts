// What the canvas's input does to the timeline: clicks pick events and rows, the wheel and
// drags move the view, keys navigate and act, and hovering shows a tooltip of the event
// under the pointer, or of the step of a pod's phase bar (as text).
import { lanes } from '../protocol/traceColumns';
import { entityLabel } from './entities';
import { hitTest } from './eventPlacement';
import type { InputActions, KeyAction } from './input';
import { nearestInRow, stepInRow, stepRow } from './navigation';
import { stepTooltip, stepUnder } from './phaseBar';
import type { TimelineState } from './timelineApp';
import { formatDuration, formatTime } from './timeFormat';

/** How much one key press zooms or pans. */
const zoomStep = 1.4;
const panFraction = 0.15;

export function timelineActions(app: TimelineState): InputActions {
  const { scene } = app;
  const selectedRow = (): number =>
    scene.selection.rowKey === null ? -1 : scene.layout.indexOfKey(scene.selection.rowKey);
  const zoomCentre = (): number => {
    const id = scene.selection.event;
    const vp = scene.viewport;
    const x = id >= 0 ? vp.x(scene.store.time[id]) : NaN;
    return x >= vp.x0 && x <= vp.x0 + vp.width ? x : vp.x0 + vp.width / 2;
  };
  const moveInRow = (step: 1 | -1): void => {
    let row = selectedRow();
    if (row < 0) row = stepRow(scene, -1, 1);
    if (row < 0) return;
    const id = stepInRow(scene, row, scene.selection.event, step);
    if (id >= 0) app.selector.event(id, scene.layout.rows[row].key, true);
  };
  const moveRow = (step: 1 | -1): void => {
    const from = selectedRow();
    const row = stepRow(scene, from, step);
    if (row < 0) return;
    const id = scene.selection.event;
    const t = id >= 0 ? scene.store.time[id] : (scene.viewport.startMs + scene.viewport.endMs) / 2;
    const next = nearestInRow(scene, row, t);
    if (next >= 0) app.selector.event(next, scene.layout.rows[row].key, true);
    else {
      app.selector.row(row);
      app.view.scrollRowIntoView(row);
    }
  };
  const keys: Record<KeyAction, () => void> = {
    zoomIn: () => app.view.zoomAt(zoomCentre(), 1 / zoomStep),
    zoomOut: () => app.view.zoomAt(zoomCentre(), zoomStep),
    panLeft: () => app.view.panPx(-scene.viewport.width * panFraction),
    panRight: () => app.view.panPx(scene.viewport.width * panFraction),
    fit: () => app.view.fit(),
    previousEvent: () => moveInRow(-1),
    nextEvent: () => moveInRow(1),
    previousRow: () => moveRow(-1),
    nextRow: () => moveRow(1),
    reveal: () => {
      if (scene.selection.event >= 0) app.selector.reveal(scene.selection.event);
      else {
        const row = selectedRow();
        if (row >= 0 && scene.layout.rows[row].kind === 'section') app.toggleSection(row);
      }
    },
    criticalPath: () => {
      const id = scene.selection.event;
      const row = scene.layout.rows[selectedRow()];
      const entity = id >= 0 ? scene.store.entityOfEvent(id) : (row?.entity ?? null);
      if (entity && entity.kind === 'Pod') app.selector.toggleCriticalPath(entity);
      else app.mirror.announce('Select a pod or one of its events to show its critical path.');
    },
    clear: () => app.selector.clear(),
    pageUp: () => app.view.scrollRows(-scene.geometry.rowsHeight * 0.9),
    pageDown: () => app.view.scrollRows(scene.geometry.rowsHeight * 0.9),
  };
  return {
    zoomAt: (x, factor) => app.view.zoomAt(x, factor),
    panPx: (dx) => app.view.panPx(dx),
    scrollRows: (dy) => app.view.scrollRows(dy),
    click(x, y) {
      const hit = hitTest(scene, x, y);
      if (!hit) return;
      const row = scene.layout.rows[hit.row];
      if (row.kind === 'section') app.toggleSection(hit.row);
      else if (hit.event >= 0) {
        app.selector.event(hit.event, row.key, false);
        app.selector.reveal(hit.event);
      } else app.selector.row(hit.row);
    },
    hover(x, y) {
      const tip = app.dom.tooltip;
      const hit = x < 0 ? undefined : hitTest(scene, x, y);
      const row = hit ? scene.layout.rows[hit.row] : undefined;
      const step = hit?.phaseBar && row ? stepUnder(scene, row, x) : undefined;
      if (!hit || !row || (hit.event < 0 && !step)) {
        tip.hidden = true;
        return;
      }
      const { store } = scene;
      const id = hit.event;
      if (step) {
        tip.textContent = stepTooltip(scene, row, step);
        tip.classList.toggle('warning', step.endMs === null);
      } else {
        const d = store.duration[id];
        tip.textContent =
          `${store.strings[store.reason[id]]} · ${entityLabel(store.entityOfEvent(id))}\n` +
          `${formatTime(store.time[id])}${d >= 0 ? ` (${formatDuration(d)})` : ''} ` +
          `· ${lanes[store.lane[id]]}\n${store.strings[store.message[id]]}`;
        tip.classList.toggle('warning', store.isWarning(id));
      }
      tip.hidden = false;
      const box = app.dom.canvasBox;
      tip.style.left = `${Math.min(x + 14, Math.max(0, box.clientWidth - tip.offsetWidth - 4))}px`;
      // Below the pointer, or above it when the tip would overflow the bottom of the canvas.
      const below = y + 18;
      const above = Math.max(0, y - tip.offsetHeight - 8);
      tip.style.top = `${below + tip.offsetHeight > box.clientHeight ? above : below}px`;
    },
    key: (action) => keys[action](),
    focusTextFilter: () => app.toolbar.focusText(),
  };
}
