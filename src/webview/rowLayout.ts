// The rows of the timeline, top to bottom: a track per lane in the trace model's fixed lane
// order, then a row per object, grouped under section headers: the workload objects, their
// pods by creation time, Services and their EndpointSlices and Ingresses, nodes, then the
// rest. Rows have fixed heights, so finding the rows on screen is a binary search of their
// offsets and 10,000 rows cost nothing while off screen.
import { lanes } from '../protocol/traceColumns';
import { entityLabel, type Entity } from './entities';
import type { EventFilter } from './eventFilter';
import { upperBound } from './growable';
import type { TraceStore } from './traceStore';

export type RowKind = 'section' | 'lane' | 'pod' | 'object';

export interface Row {
  readonly kind: RowKind;
  /** Stable for the same trace: `lane:kubelet`, `entity:12`, `section:pods`. */
  readonly key: string;
  /** The full name: `kubelet`, `Pod default/web-1`, `Pods (3)`. */
  readonly label: string;
  /** What the row's title on the canvas says (the section says the kind). */
  readonly title: string;
  /** The lane index of a lane row, else -1. */
  readonly lane: number;
  readonly entity: Entity | null;
  readonly section: SectionId;
  /** The row's top in the rows' content (the layout moves it). */
  y: number;
  readonly height: number;
}

export type SectionId = 'lanes' | 'workloads' | 'pods' | 'services' | 'nodes' | 'other';

const sectionTitles: Record<SectionId, string> = {
  lanes: 'Components',
  workloads: 'Workloads',
  pods: 'Pods',
  services: 'Services and endpoints',
  nodes: 'Nodes',
  other: 'Other objects',
};

const sectionOf: Record<string, SectionId> = {
  Deployment: 'workloads',
  ReplicaSet: 'workloads',
  StatefulSet: 'workloads',
  DaemonSet: 'workloads',
  Job: 'workloads',
  CronJob: 'workloads',
  ReplicationController: 'workloads',
  Pod: 'pods',
  Service: 'services',
  EndpointSlice: 'services',
  Endpoints: 'services',
  Ingress: 'services',
  Node: 'nodes',
};

/**
 * A pod row is two bands: its events on top, as tall as an object row's, and its phase bar
 * under them, tall enough for the name of each step written inside.
 */
const podEventsHeight = 20;
/** The pod's phase bar, from the row's top. */
export const phaseBarBand = { top: 21, height: 14 } as const;

const rowHeights: Record<RowKind, number> = {
  section: 22,
  lane: 22,
  pod: phaseBarBand.top + phaseBarBand.height + 2,
  object: 20,
};

/** The height of the band, from the row's top, in which the row's events are drawn and picked. */
export function eventsHeight(row: Row): number {
  return row.kind === 'pod' ? podEventsHeight : row.height;
}

const sectionOrder: readonly SectionId[] = ['lanes', 'workloads', 'pods', 'services', 'nodes', 'other'];

export class RowLayout {
  rows: Row[] = [];
  /** The top of each row, and the total height after the last. */
  private tops = new Float64Array(0);
  /** The row index of each entity and each lane, -1 when it has no row. */
  entityRows = new Int32Array(0);
  readonly laneRows = new Int32Array(lanes.length);
  height = 0;
  readonly collapsed = new Set<SectionId>();
  /**
   * An entity's or lane's row object is made once per trace and moved by later layouts: a
   * layout of 10,000 pods, which runs as a streamed trace grows, then allocates no row.
   */
  private entityRowCache: (Row | undefined)[] = [];
  private readonly laneRowCache: (Row | undefined)[] = [];

  /** A new trace: entity indices mean other objects now. */
  newTrace(): void {
    this.entityRowCache = [];
  }

  /** Lays the rows out again from the store and the filters. */
  build(store: TraceStore, filter: EventFilter): void {
    const groups = new Map<SectionId, Entity[]>(sectionOrder.map((s) => [s, []]));
    const narrowing = filter.narrowing;
    const counted = filter.active;
    for (const e of store.entities.list) {
      if (!filter.objectMatches(store, e.index)) continue;
      if (narrowing && filter.entityCount[e.index] === 0) continue;
      groups.get(sectionOf[e.kind] ?? 'other')!.push(e);
    }
    const byTime = (a: Entity, b: Entity) => a.firstTime - b.firstTime || a.index - b.index;
    for (const [id, list] of groups) {
      if (id === 'pods') groups.set(id, byCreation(store, list));
      else list.sort(byTime);
    }
    groups.set('workloads', ownersFirst(groups.get('workloads')!));
    const laneList: number[] = [];
    for (let l = 0; l < lanes.length; l++) {
      if (store.laneTracks[l].length === 0 || filter.isLaneHidden(l)) continue;
      if (counted && (narrowing || filter.filters.object !== '') && filter.laneCount[l] === 0) continue;
      laneList.push(l);
    }
    const rows: Row[] = [];
    let y = 0;
    const push = (row: Row): void => {
      row.y = y;
      rows.push(row);
      y += row.height;
    };
    const section = (id: SectionId, count: number): boolean => {
      if (count === 0) return false;
      const label = `${sectionTitles[id]} (${count})`;
      push({
        kind: 'section',
        key: `section:${id}`,
        label,
        title: label,
        lane: -1,
        entity: null,
        section: id,
        y,
        height: rowHeights.section,
      });
      return !this.collapsed.has(id);
    };
    if (section('lanes', laneList.length)) for (const l of laneList) push(this.laneRow(l));
    for (const id of sectionOrder) {
      if (id === 'lanes') continue;
      const list = groups.get(id)!;
      if (!section(id, list.length)) continue;
      for (const e of list) push(this.entityRow(e, id));
    }
    this.rows = rows;
    this.height = y;
    this.tops = new Float64Array(rows.length);
    if (this.entityRows.length < store.entities.list.length)
      this.entityRows = new Int32Array(store.entities.list.length * 2);
    this.entityRows.fill(-1);
    this.laneRows.fill(-1);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      this.tops[i] = row.y;
      if (row.entity) this.entityRows[row.entity.index] = i;
      else if (row.lane >= 0) this.laneRows[row.lane] = i;
    }
  }

  private laneRow(l: number): Row {
    let row = this.laneRowCache[l];
    if (!row) {
      row = {
        kind: 'lane',
        key: `lane:${lanes[l]}`,
        label: lanes[l],
        title: lanes[l],
        lane: l,
        entity: null,
        section: 'lanes',
        y: 0,
        height: rowHeights.lane,
      };
      this.laneRowCache[l] = row;
    }
    return row;
  }

  private entityRow(e: Entity, section: SectionId): Row {
    let row = this.entityRowCache[e.index];
    if (!row || row.entity !== e) {
      const kind = e.kind === 'Pod' ? 'pod' : 'object';
      row = {
        kind,
        key: `entity:${e.index}`,
        label: entityLabel(e),
        title: rowTitle(e),
        lane: -1,
        entity: e,
        section,
        y: 0,
        height: rowHeights[kind],
      };
      this.entityRowCache[e.index] = row;
    }
    return row;
  }

  /** The index of the row at content offset `y`, or -1. */
  rowAt(y: number): number {
    if (y < 0 || y >= this.height) return -1;
    return upperBound(this.tops, this.rows.length, y) - 1;
  }

  /** The indices [first, last) of the rows that meet the band [top, bottom). */
  visibleRange(top: number, bottom: number): [number, number] {
    const first = Math.max(0, this.rowAt(Math.max(0, top)));
    const last = bottom >= this.height ? this.rows.length : this.rowAt(bottom) + 1;
    return [first, Math.max(first, last)];
  }

  /** The index of the row with `key`, or -1 when it is not laid out (filtered, folded). */
  indexOfKey(key: string): number {
    const colon = key.indexOf(':');
    const kind = key.slice(0, colon);
    const name = key.slice(colon + 1);
    if (kind === 'entity') {
      const i = Number(name);
      return Number.isInteger(i) && i >= 0 && i < this.entityRows.length ? this.entityRows[i] : -1;
    }
    if (kind === 'lane') {
      const l = (lanes as readonly string[]).indexOf(name);
      return l < 0 ? -1 : this.laneRows[l];
    }
    return this.rows.findIndex((r) => r.kind === 'section' && r.key === key);
  }
}

/** Pods by the time they were created (their first event when the trace has no summary yet), then name. */
function byCreation(store: TraceStore, pods: readonly Entity[]): Entity[] {
  // The keys are read once per pod, not once per comparison: 10,000 pods sort in a few ms.
  const keyed = pods.map((e) => ({ e, at: store.podOf(e)?.phases.created ?? e.firstTime }));
  keyed.sort((a, b) => a.at - b.at || (a.e.name < b.e.name ? -1 : a.e.name > b.e.name ? 1 : a.e.index - b.e.index));
  return keyed.map((k) => k.e);
}

/**
 * The kinds whose objects a controller names after an owner of the kind given: `web-59494dd945` after Deployment `web`.
 */
const ownerKind: Record<string, string> = { ReplicaSet: 'Deployment', Job: 'CronJob' };

/**
 * Workloads in time order, each owner followed by the objects its controller made (a
 * Deployment's ReplicaSets, a CronJob's Jobs), found by the name the controller gave them:
 * the owner's name and one more `-` segment.
 */
function ownersFirst(list: readonly Entity[]): Entity[] {
  const owners = new Map<string, Entity>();
  for (const e of list)
    if (e.kind === 'Deployment' || e.kind === 'CronJob') owners.set(`${e.kind}\u0000${e.namespace}\u0000${e.name}`, e);
  const children = new Map<Entity, Entity[]>();
  const owned = new Set<Entity>();
  for (const e of list) {
    const kind = ownerKind[e.kind];
    const dash = e.name.lastIndexOf('-');
    if (!kind || dash <= 0) continue;
    const owner = owners.get(`${kind}\u0000${e.namespace}\u0000${e.name.slice(0, dash)}`);
    if (!owner) continue;
    owned.add(e);
    const mine = children.get(owner);
    if (mine) mine.push(e);
    else children.set(owner, [e]);
  }
  const out: Entity[] = [];
  for (const e of list) {
    if (owned.has(e)) continue;
    out.push(e);
    for (const child of children.get(e) ?? []) out.push(child);
  }
  return out;
}

/** The row title drawn on the canvas: the kind is short, the namespace shown when not `default`. */
function rowTitle(e: Entity): string {
  const ns = e.namespace === null || e.namespace === 'default' ? '' : `${e.namespace}/`;
  return e.kind === 'Pod' ? `${ns}${e.name}` : `${e.kind} ${ns}${e.name}`;
}
