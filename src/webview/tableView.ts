// The table view: the same filtered events as a list for screen readers and keyboards. It
// is virtualised (only the rows in view exist in the DOM, a pool reused as it scrolls), so a
// trace of 200,000 events costs as little as one of 20. It is an ARIA grid: the container
// holds the focus and names the active row with aria-activedescendant; ↑/↓, Page Up/Down,
// Home/End move, Enter reveals the event's source.
import { lanes } from '../protocol/traceColumns';
import { entityLabel } from './entities';
import type { EventFilter } from './eventFilter';
import { ensureRoom } from './growable';
import { formatTime } from './timeFormat';
import type { TraceStore } from './traceStore';

const rowHeight = 22;
/** The sticky header row over the rows' top. */
const headerHeight = rowHeight;
const overscan = 8;
const columns = ['Time', 'Lane', 'Node', 'Object', 'Reason', 'Message', 'YAML'] as const;

export interface TableActions {
  select(id: number): void;
  reveal(id: number): void;
}

export class TableView {
  readonly element = document.createElement('div');
  private readonly scroller = document.createElement('div');
  /** The rows' box, as tall as all rows; the rows in view are placed in it. */
  private readonly body = document.createElement('div');
  private readonly pool: HTMLElement[] = [];
  /** The event ids listed, in order. */
  private ids = new Int32Array(1024);
  private length = 0;
  private consumed = 0;
  private generation = -1;
  private active = -1;
  private renderQueued = false;

  constructor(
    private readonly store: TraceStore,
    private readonly filter: EventFilter,
    private readonly actions: TableActions,
  ) {
    const e = this.element;
    e.className = 'table-view';
    e.setAttribute('role', 'grid');
    e.setAttribute('aria-label', 'Trace events');
    e.setAttribute('aria-readonly', 'true');
    e.tabIndex = 0;
    const header = document.createElement('div');
    header.className = 'table-row table-header';
    header.setAttribute('role', 'row');
    header.setAttribute('aria-rowindex', '1');
    for (const name of columns) {
      const cell = document.createElement('div');
      cell.setAttribute('role', 'columnheader');
      cell.className = `table-cell col-${name.toLowerCase()}`;
      cell.textContent = name;
      header.append(cell);
    }
    // The header scrolls sideways with the rows and stays on top (sticky) as they scroll down.
    this.scroller.className = 'table-scroller';
    this.body.className = 'table-body';
    this.body.setAttribute('role', 'rowgroup');
    this.scroller.append(header, this.body);
    e.append(this.scroller);
    this.scroller.addEventListener('scroll', () => this.queueRender());
    e.addEventListener('keydown', (event) => this.onKey(event));
    this.body.addEventListener('click', (event) => {
      const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
      if (!row) return;
      this.setActive(Number(row.dataset.index), false);
      e.focus();
      const id = this.ids[this.active];
      this.actions.select(id);
      this.actions.reveal(id);
    });
  }

  get rowCount(): number {
    return this.length;
  }

  /** The event ids listed (for tests and the inspection API). */
  listed(): number[] {
    return Array.from(this.ids.subarray(0, this.length));
  }

  /** Brings the list up to the store and the filters: rebuilt when the filters changed, extended otherwise. */
  update(): void {
    if (this.generation !== this.filter.generation) {
      this.generation = this.filter.generation;
      this.length = 0;
      this.consumed = 0;
      this.active = -1;
    }
    const n = this.store.count;
    this.ids = ensureRoom(this.ids, n);
    for (let id = this.consumed; id < n; id++) if (this.filter.passes(id)) this.ids[this.length++] = id;
    this.consumed = n;
    this.element.setAttribute('aria-rowcount', String(this.length + 1));
    this.body.style.height = `${this.length * rowHeight}px`;
    this.queueRender();
  }

  /** Makes event `id` the active row (when listed) and scrolls it into view. */
  selectEvent(id: number): void {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.length && this.ids[lo] === id) this.setActive(lo, true);
  }

  private setActive(index: number, scroll: boolean): void {
    this.active = Math.max(0, Math.min(this.length - 1, index));
    if (scroll) {
      const top = this.active * rowHeight;
      const s = this.scroller;
      if (top < s.scrollTop) s.scrollTop = top;
      else if (top + rowHeight > s.scrollTop + s.clientHeight - headerHeight) {
        s.scrollTop = top + rowHeight + headerHeight - s.clientHeight;
      }
    }
    this.render();
  }

  private onKey(event: KeyboardEvent): void {
    if (this.length === 0) return;
    const page = Math.max(1, Math.floor((this.scroller.clientHeight - headerHeight) / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    let next: number;
    if (event.key in moves) next = this.active < 0 ? 0 : this.active + moves[event.key];
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = this.length - 1;
    else if (event.key === 'Enter' && this.active >= 0) {
      this.actions.reveal(this.ids[this.active]);
      event.preventDefault();
      return;
    } else return;
    event.preventDefault();
    this.setActive(next, true);
    this.actions.select(this.ids[this.active]);
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  /** Fills the pooled rows with the events in view; every value goes in as text. */
  render(): void {
    const s = this.scroller;
    const first = Math.max(0, Math.floor(s.scrollTop / rowHeight) - overscan);
    const last = Math.min(
      this.length,
      Math.ceil((s.scrollTop + Math.max(s.clientHeight, rowHeight * 20)) / rowHeight) + overscan,
    );
    while (this.pool.length < last - first) this.pool.push(this.makeRow());
    const store = this.store;
    let activeId = '';
    for (let p = 0; p < this.pool.length; p++) {
      const row = this.pool[p];
      const index = first + p;
      if (index >= last) {
        row.hidden = true;
        continue;
      }
      const id = this.ids[index];
      row.hidden = false;
      row.dataset.index = String(index);
      row.dataset.eventId = String(id);
      row.id = `podtrace-row-${index}`;
      row.style.top = `${index * rowHeight}px`;
      row.setAttribute('aria-rowindex', String(index + 2));
      row.setAttribute('aria-selected', String(index === this.active));
      row.classList.toggle('active', index === this.active);
      row.classList.toggle('warning', store.isWarning(id));
      if (index === this.active) activeId = row.id;
      const source = store.sourceOf(id);
      const cells = row.children;
      cells[0].textContent = formatTime(store.time[id]);
      cells[1].textContent = lanes[store.lane[id]];
      cells[2].textContent = store.node[id] >= 0 ? store.strings[store.node[id]] : '';
      cells[3].textContent = entityLabel(store.entityOfEvent(id));
      cells[4].textContent = store.strings[store.reason[id]];
      cells[5].textContent = store.strings[store.message[id]];
      cells[6].textContent = source ? `${source.file}:${source.line}` : '';
    }
    if (activeId) this.element.setAttribute('aria-activedescendant', activeId);
    else this.element.removeAttribute('aria-activedescendant');
  }

  private makeRow(): HTMLElement {
    const row = document.createElement('div');
    row.className = 'table-row';
    row.setAttribute('role', 'row');
    for (const name of columns) {
      const cell = document.createElement('div');
      cell.className = `table-cell col-${name.toLowerCase()}`;
      cell.setAttribute('role', 'gridcell');
      row.append(cell);
    }
    this.body.append(row);
    return row;
  }
}
