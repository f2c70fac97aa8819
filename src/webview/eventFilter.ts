// The filters (lanes, object, severity, free text) as one visibility mask over the events,
// computed once per change of the filters and extended as chunks arrive. Tracks are then
// drawn through filtered views built lazily, only for the rows on screen. Text is matched
// per string of the string table and per object, not per event: a message shared by many
// events is looked at once.
import { eventFlags, lanes, type Lane } from '../protocol/traceColumns';
import type { TimelineFilters } from '../protocol/messages';
import { entityLabel, type Entity } from './entities';
import { ensureRoom } from './growable';
import type { TraceStore } from './traceStore';
import { FilteredTrack, type Track, type TrackView } from './track';

export const noFilters: TimelineFilters = { hiddenLanes: [], severity: 'all', text: '', object: '' };

const unknown = 0;
const no = 1;
const yes = 2;

export class EventFilter {
  filters: TimelineFilters = noFilters;
  /** Bumped whenever the filters change. */
  generation = 0;
  /** 1 for each event the filters let through; read only while `active`. */
  visible = new Uint8Array(1024);
  /** Visible events per entity and per lane. */
  entityCount = new Int32Array(256);
  readonly laneCount = new Int32Array(lanes.length);
  private laneHidden = new Uint8Array(lanes.length);
  private stringMatch = new Uint8Array(1024);
  private entityMatch = new Uint8Array(256);
  private entityTextMatch = new Uint8Array(256);
  private text = '';
  private object = '';
  private computed = 0;
  private readonly views = new Map<number, FilteredTrack>();

  /** Whether any filter hides events (otherwise tracks are drawn as they are). */
  get active(): boolean {
    const f = this.filters;
    return f.hiddenLanes.length > 0 || f.severity !== 'all' || f.text !== '' || f.object !== '';
  }

  /** Whether the filters narrow events down by what they say (so rows left without any are hidden). */
  get narrowing(): boolean {
    return this.filters.severity !== 'all' || this.filters.text !== '';
  }

  set(filters: TimelineFilters, store: TraceStore): void {
    this.filters = {
      hiddenLanes: [...filters.hiddenLanes],
      severity: filters.severity,
      text: filters.text,
      object: filters.object,
    };
    this.text = filters.text.trim().toLowerCase();
    this.object = filters.object.trim().toLowerCase();
    this.laneHidden.fill(0);
    for (const l of filters.hiddenLanes) this.laneHidden[lanes.indexOf(l)] = 1;
    this.generation++;
    this.reset();
    this.extend(store);
  }

  isLaneHidden(lane: Lane | number): boolean {
    return this.laneHidden[typeof lane === 'number' ? lane : lanes.indexOf(lane)] === 1;
  }

  /** Forgets everything computed (a new trace, or new filters). */
  reset(): void {
    this.computed = 0;
    this.stringMatch.fill(unknown);
    this.entityMatch.fill(unknown);
    this.entityTextMatch.fill(unknown);
    this.entityCount.fill(0);
    this.laneCount.fill(0);
  }

  /** Computes the mask for the events appended since the last call. */
  extend(store: TraceStore): void {
    const n = store.count;
    const entities = store.entities.list.length;
    this.visible = ensureRoom(this.visible, n);
    this.entityCount = ensureRoom(this.entityCount, entities);
    this.entityMatch = ensureRoom(this.entityMatch, entities);
    this.entityTextMatch = ensureRoom(this.entityTextMatch, entities);
    this.stringMatch = ensureRoom(this.stringMatch, store.strings.length);
    const warningsOnly = this.filters.severity === 'warning';
    const { lane, flags, reason, message, object, entityOf } = store;
    for (let id = this.computed; id < n; id++) {
      const e = entityOf[object[id]];
      let pass = this.laneHidden[lane[id]] === 0 && (!warningsOnly || (flags[id] & eventFlags.warning) !== 0);
      if (pass && this.object !== '') pass = this.objectMatches(store, e);
      if (pass && this.text !== '')
        pass =
          this.stringMatches(store, reason[id]) ||
          this.stringMatches(store, message[id]) ||
          this.entityTextMatches(store, e);
      this.visible[id] = pass ? 1 : 0;
      if (pass) {
        this.entityCount[e]++;
        this.laneCount[lane[id]]++;
      }
    }
    this.computed = n;
  }

  /** Whether the object filter lets the entity's row through. */
  objectMatches(store: TraceStore, e: number): boolean {
    if (this.object === '') return true;
    let m = this.entityMatch[e];
    if (m === unknown) {
      const entity = store.entities.list[e];
      m = this.entityMatch[e] = labelMatches(entity, this.object) ? yes : no;
    }
    return m === yes;
  }

  /** The track as the filters show it: the track itself when nothing is filtered. */
  view(track: Track, store: TraceStore): TrackView {
    if (!this.active) return track;
    let view = this.views.get(track.key);
    if (!view) {
      view = new FilteredTrack();
      this.views.set(track.key, view);
    }
    view.update(track, this.generation, this.visible, store.duration);
    return view;
  }

  /** A new trace: nothing computed holds, and track keys now mean other tracks. */
  newTrace(): void {
    this.generation++;
    this.reset();
    this.views.clear();
  }

  passes(id: number): boolean {
    return !this.active || this.visible[id] === 1;
  }

  private stringMatches(store: TraceStore, s: number): boolean {
    let m = this.stringMatch[s];
    if (m === unknown) m = this.stringMatch[s] = store.strings[s].toLowerCase().includes(this.text) ? yes : no;
    return m === yes;
  }

  private entityTextMatches(store: TraceStore, e: number): boolean {
    let m = this.entityTextMatch[e];
    if (m === unknown) m = this.entityTextMatch[e] = labelMatches(store.entities.list[e], this.text) ? yes : no;
    return m === yes;
  }
}

/** Whether `query` (lower case) is in the object's `Kind namespace/name` or `kind/name`. */
function labelMatches(entity: Entity, query: string): boolean {
  return (
    entityLabel(entity).toLowerCase().includes(query) || `${entity.kind}/${entity.name}`.toLowerCase().includes(query)
  );
}
