// Mouse, wheel and keys on the canvas. The wheel zooms around the pointer (shift+wheel scrolls
// the rows, a sideways wheel pans); dragging pans the time and scrolls the rows; a click
// picks an event or a row. Keys: W/S or +/- zoom, A/D pan, 0 or F fit, ←/→ the previous or
// next event in the row, ↑/↓ the previous or next row, Enter reveals the selected event's
// source, C toggles the selected pod's critical path, Escape clears the selection, Page
// Up/Down scroll, and / (anywhere) focuses the text filter.
import { isTextEntry } from './controls';

export interface InputActions {
  zoomAt(x: number, factor: number): void;
  /** Pans by `dx` CSS pixels (positive: later times come into view). */
  panPx(dx: number): void;
  scrollRows(dy: number): void;
  click(x: number, y: number): void;
  hover(x: number, y: number): void;
  key(action: KeyAction): void;
  focusTextFilter(): void;
}

export type KeyAction =
  | 'zoomIn'
  | 'zoomOut'
  | 'panLeft'
  | 'panRight'
  | 'fit'
  | 'previousEvent'
  | 'nextEvent'
  | 'previousRow'
  | 'nextRow'
  | 'reveal'
  | 'criticalPath'
  | 'clear'
  | 'pageUp'
  | 'pageDown';

const keyActions: Record<string, KeyAction> = {
  w: 'zoomIn',
  W: 'zoomIn',
  '+': 'zoomIn',
  '=': 'zoomIn',
  s: 'zoomOut',
  S: 'zoomOut',
  '-': 'zoomOut',
  _: 'zoomOut',
  a: 'panLeft',
  A: 'panLeft',
  d: 'panRight',
  D: 'panRight',
  '0': 'fit',
  f: 'fit',
  F: 'fit',
  ArrowLeft: 'previousEvent',
  ArrowRight: 'nextEvent',
  ArrowUp: 'previousRow',
  ArrowDown: 'nextRow',
  Enter: 'reveal',
  c: 'criticalPath',
  C: 'criticalPath',
  Escape: 'clear',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
};

/** Pointer travel (CSS pixels) below which a press and release is a click, not a drag. */
const dragThreshold = 4;

export function attachInput(canvas: HTMLCanvasElement, actions: InputActions): void {
  const local = (event: MouseEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [event.clientX - r.left, event.clientY - r.top];
  };
  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const scale = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
      const dx = event.deltaX * scale;
      const dy = event.deltaY * scale;
      if (event.shiftKey) actions.scrollRows(dy !== 0 ? dy : dx);
      else if (Math.abs(dx) > Math.abs(dy)) actions.panPx(dx);
      else actions.zoomAt(local(event)[0], Math.exp(dy * 0.002));
    },
    { passive: false },
  );
  let down: { x: number; y: number; lastX: number; lastY: number; dragging: boolean; id: number } | null = null;
  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    const [x, y] = local(event);
    down = { x, y, lastX: x, lastY: y, dragging: false, id: event.pointerId };
    canvas.setPointerCapture(event.pointerId);
    canvas.focus({ preventScroll: true });
  });
  canvas.addEventListener('pointermove', (event) => {
    const [x, y] = local(event);
    if (!down || down.id !== event.pointerId) {
      actions.hover(x, y);
      return;
    }
    if (!down.dragging && Math.hypot(x - down.x, y - down.y) < dragThreshold) return;
    down.dragging = true;
    canvas.classList.add('dragging');
    actions.panPx(down.lastX - x);
    actions.scrollRows(down.lastY - y);
    down.lastX = x;
    down.lastY = y;
  });
  const release = (event: PointerEvent, cancelled: boolean): void => {
    if (!down || down.id !== event.pointerId) return;
    const wasDrag = down.dragging;
    down = null;
    canvas.classList.remove('dragging');
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    if (!wasDrag && !cancelled) actions.click(...local(event));
  };
  canvas.addEventListener('pointerup', (event) => release(event, false));
  canvas.addEventListener('pointercancel', (event) => release(event, true));
  canvas.addEventListener('pointerleave', () => actions.hover(-1, -1));
  canvas.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const action = keyActions[event.key];
    if (!action) return;
    event.preventDefault();
    actions.key(action);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTextEntry(event.target)) return;
    event.preventDefault();
    actions.focusTextFilter();
  });
}
