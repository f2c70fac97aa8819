// The detail pane: what the selected event is (time, lane, node, object, reason, message),
// where it came from in the YAML, what caused it and what it caused; for a pod, its phases
// and the step that held it back. Everything is DOM text (`textContent`), never markup: the
// strings come from a cluster.
import { eventFlags, lanes, podPhases } from '../protocol/traceColumns';
import { entityLabel, type Entity } from './entities';
import { phaseNames, podSummaryText } from './podPhases';
import { formatDuration, formatTime } from './timeFormat';
import type { TraceStore } from './traceStore';

/** Cause and effect buttons listed before "and N more". */
const maxLinks = 40;

export interface DetailActions {
  select(id: number): void;
  reveal(id: number): void;
  toggleCriticalPath(entity: Entity): void;
}

export interface DetailContext {
  readonly store: TraceStore;
  /** Whether a host can reveal sources (false in the report, which shows where they are). */
  readonly canReveal: boolean;
  readonly criticalPath: readonly number[] | null;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class DetailPane {
  readonly element = el('section', 'detail');

  constructor(private readonly actions: DetailActions) {
    this.element.setAttribute('aria-label', 'Selected event');
    this.showNothing();
  }

  showNothing(): void {
    this.element.replaceChildren(
      el(
        'p',
        'detail-empty',
        'Select an event (click it, or use the arrow keys) to see its details, causes and effects.',
      ),
    );
  }

  /** A lane's summary: what its component did over the trace. */
  showLane(store: TraceStore, lane: number): void {
    const track = store.laneTracks[lane];
    let warnings = 0;
    for (let i = 0; i < track.length; i++) if (store.isWarning(track.ids[i])) warnings++;
    const main = el('div', 'detail-main');
    main.append(
      el('h2', 'detail-title', `${lanes[lane]} lane`),
      el(
        'p',
        'detail-object',
        `${track.length} event${track.length === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
      ),
    );
    if (track.length > 0) {
      main.append(
        el(
          'p',
          'detail-none',
          `from ${formatTime(store.startOf(track.ids[0]))} to ${formatTime(track.ends[track.length - 1])}`,
        ),
      );
    }
    this.element.replaceChildren(main);
  }

  /** Shows event `id` (or only `entity`'s summary when `id` is -1). */
  show(ctx: DetailContext, id: number, entity: Entity | null): void {
    // The event on the left; where it came from, what it caused and its object on the right.
    const main = el('div', 'detail-main');
    const side = el('div', 'detail-side');
    if (id >= 0) {
      const [head, ...rest] = this.eventParts(ctx, id);
      main.append(...head);
      side.append(...rest);
    }
    const subject = entity ?? (id >= 0 ? ctx.store.entityOfEvent(id) : null);
    if (subject) (id >= 0 ? side : main).append(...this.objectParts(ctx, subject, id < 0));
    this.element.replaceChildren(main, side);
  }

  /** The event's title and fields, then its source, causes and effects. */
  private eventParts(ctx: DetailContext, id: number): [HTMLElement[], ...HTMLElement[]] {
    const { store } = ctx;
    const entity = store.entityOfEvent(id);
    const warning = store.isWarning(id);
    const title = el('h2', warning ? 'detail-title warning' : 'detail-title', store.strings[store.reason[id]]);
    const fields = el('dl', 'detail-fields');
    const field = (name: string, value: string, className = ''): void => {
      fields.append(el('dt', '', name), el('dd', className, value));
    };
    const d = store.duration[id];
    field(
      'time',
      d >= 0
        ? `${formatTime(store.time[id] - d)} → ${formatTime(store.time[id])} (${formatDuration(d)})`
        : formatTime(store.time[id]),
    );
    field('lane', lanes[store.lane[id]]);
    if (store.node[id] >= 0) field('node', store.strings[store.node[id]]);
    field('object', entityLabel(entity));
    if (store.fieldPath[id] >= 0) field('part', store.strings[store.fieldPath[id]]);
    field('severity', warning ? 'Warning' : 'Normal', warning ? 'warning' : '');
    if (store.flags[id] & eventFlags.inferred) field('observed', 'inferred from a status change');
    field('message', store.strings[store.message[id]], 'detail-message');
    const source = store.sourceOf(id);
    const where = el('p', 'detail-source');
    if (source) {
      const text = `${source.file}:${source.line}:${source.column}${source.path ? ` (${source.path})` : ''}`;
      where.append(el('span', 'detail-label', 'YAML: '));
      if (ctx.canReveal) {
        const b = el('button', 'link', text);
        b.type = 'button';
        b.title = 'Reveal this range in the editor (Enter)';
        b.addEventListener('click', () => this.actions.reveal(id));
        where.append(b);
      } else where.append(el('span', 'detail-location', text));
    } else where.append(el('span', 'detail-label', 'YAML: no source range recorded for this event'));
    return [
      [title, fields],
      where,
      this.links(ctx, 'Caused by', store.causesOf(id)),
      this.links(ctx, 'Led to', store.effectsOf(id)),
    ];
  }

  private links(ctx: DetailContext, name: string, ids: number[]): HTMLElement {
    const { store } = ctx;
    const p = el('p', 'detail-links');
    p.append(el('span', 'detail-label', `${name} (${ids.length}): `));
    if (ids.length === 0) p.append(el('span', 'detail-none', 'none recorded'));
    for (const other of ids.slice(0, maxLinks)) {
      const b = el(
        'button',
        store.isWarning(other) ? 'link warning' : 'link',
        `${store.strings[store.reason[other]]} · ` +
          `${entityLabel(store.entityOfEvent(other))} · ${formatTime(store.time[other])}`,
      );
      b.type = 'button';
      b.addEventListener('click', () => this.actions.select(other));
      p.append(b);
    }
    if (ids.length > maxLinks) p.append(el('span', 'detail-none', `and ${ids.length - maxLinks} more`));
    return p;
  }

  private objectParts(ctx: DetailContext, entity: Entity, heading: boolean): HTMLElement[] {
    const { store } = ctx;
    const parts: HTMLElement[] = [];
    if (heading) parts.push(el('h2', 'detail-title', entityLabel(entity)));
    parts.push(
      el(
        'p',
        'detail-object',
        `${entityLabel(entity)}: ${entity.track.length} event${entity.track.length === 1 ? '' : 's'}` +
          `${entity.warnings > 0 ? `, ${entity.warnings} warning${entity.warnings === 1 ? '' : 's'}` : ''}`,
      ),
    );
    const pod = store.podOf(entity);
    if (!pod) return parts;
    const phases = el('ol', 'detail-phases');
    phases.setAttribute('aria-label', 'Pod phases');
    let prev: number | null = null;
    for (const phase of podPhases) {
      const t = pod.phases[phase];
      if (t === null) continue;
      phases.append(
        el('li', '', `${phaseNames[phase]} ${formatTime(t)}${prev === null ? '' : ` (+${formatDuration(t - prev)})`}`),
      );
      prev = t;
    }
    parts.push(
      phases,
      el('p', pod.heldBy?.ms === null ? 'detail-held warning' : 'detail-held', podSummaryText(pod, formatTime)),
    );
    if (pod.heldBy?.detail) parts.push(el('p', 'detail-message', pod.heldBy.detail));
    const showing = ctx.criticalPath !== null;
    const b = el('button', 'link', showing ? 'Hide the critical path (C)' : 'Show the critical path (C)');
    b.type = 'button';
    b.setAttribute('aria-pressed', String(showing));
    b.addEventListener('click', () => this.actions.toggleCriticalPath(entity));
    parts.push(b);
    if (ctx.criticalPath) {
      const list = el('ol', 'detail-path');
      list.setAttribute('aria-label', 'Critical path');
      let before: number | null = null;
      for (const step of ctx.criticalPath) {
        const t = store.time[step];
        const item = el('li', '');
        const link = el(
          'button',
          'link',
          `${formatTime(t)}${before === null ? '' : ` (+${formatDuration(t - before)})`} ` +
            `${lanes[store.lane[step]]} ${store.strings[store.reason[step]]} ` +
            `· ${entityLabel(store.entityOfEvent(step))}`,
        );
        link.type = 'button';
        link.addEventListener('click', () => this.actions.select(step));
        item.append(link);
        list.append(item);
        before = t;
      }
      parts.push(list);
    }
    return parts;
  }
}
