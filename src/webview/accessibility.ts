// What a screen reader gets from the canvas: the rows on screen mirrored as a visually hidden
// list (one item per row: "Pod default/web-1: scheduled 0.012 s, ready 4.205 s, held back by
// readiness 3.900 s"), and a polite live region that says what was selected.
import { lanes } from '../protocol/traceColumns';
import { entityLabel } from './entities';
import { podSummaryText } from './podPhases';
import type { Row } from './rowLayout';
import type { Scene } from './scene';
import { formatTime } from './timeFormat';

export class ScreenReaderMirror {
  readonly list = document.createElement('ul');
  readonly live = document.createElement('div');
  private shown = '';

  constructor() {
    this.list.className = 'visually-hidden';
    this.list.setAttribute('aria-label', 'Rows on screen');
    this.live.className = 'visually-hidden';
    this.live.setAttribute('role', 'status');
    this.live.setAttribute('aria-live', 'polite');
  }

  /** Mirrors rows [first, last) when they, or the trace (`version`), changed since the last call. */
  rows(scene: Scene, first: number, last: number, version: number): void {
    const key = `${first}:${last}:${version}`;
    if (key === this.shown) return;
    this.shown = key;
    const rows = scene.layout.rows.slice(first, last).filter((r) => r.kind !== 'section');
    this.list.replaceChildren(
      ...rows.map((r) => {
        const li = document.createElement('li');
        li.textContent = describeRow(scene, r);
        return li;
      }),
    );
  }

  /** Says `text` in the live region. */
  announce(text: string): void {
    this.live.textContent = text;
  }
}

function describeRow(scene: Scene, row: Row): string {
  const { store, filter } = scene;
  if (row.lane >= 0) {
    const n = filter.active ? filter.laneCount[row.lane] : store.laneTracks[row.lane].length;
    return `Lane ${lanes[row.lane]}: ${n} event${n === 1 ? '' : 's'}`;
  }
  if (!row.entity) return row.label;
  const pod = store.podOf(row.entity);
  const count = row.entity.track.length;
  const warnings =
    row.entity.warnings > 0 ? `, ${row.entity.warnings} warning${row.entity.warnings === 1 ? '' : 's'}` : '';
  if (pod) return `${entityLabel(row.entity)}: ${podSummaryText(pod, formatTime)}${warnings}`;
  return `${entityLabel(row.entity)}: ${count} event${count === 1 ? '' : 's'}${warnings}`;
}

/** What the live region says when an event is selected. */
export function describeEvent(scene: Scene, id: number): string {
  const { store } = scene;
  const warning = store.isWarning(id) ? 'Warning ' : '';
  return (
    `${warning}${store.strings[store.reason[id]]} on ${entityLabel(store.entityOfEvent(id))} at ` +
    `${formatTime(store.time[id])}, ${lanes[store.lane[id]]} lane: ${store.strings[store.message[id]]}`
  );
}
