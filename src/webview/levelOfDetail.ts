// Levels of detail for a track, the way Perfetto draws dense tracks: at level L the track's
// events are merged into buckets of 2^L ms, each bucket one rectangle from the earliest start
// to the latest end of the events that end in it, flagged when one of them is a warning. A
// frame draws from the level whose buckets are at most a pixel wide, so a track costs about
// one rectangle per pixel however many events it holds. Levels are built lazily, the first
// time a zoom needs them, and extended as the track grows; a view whose version changed (a
// late event inserted, new filters) is built again.
import { eventFlags } from '../protocol/traceColumns';
import { ensureRoom, lowerBound } from './growable';
import type { TrackView } from './track';

export interface Level {
  /** Bucket index (end time / 2^level, rounded down) of each non-empty bucket, ascending. */
  keys: Float64Array;
  minStart: Float64Array;
  maxEnd: Float64Array;
  warning: Uint8Array;
  /** How many events end in each bucket. */
  count: Int32Array;
  length: number;
  /** How many of the view's entries the level holds, and the view's version they came from. */
  consumed: number;
  version: number;
}

/** Event columns the levels read. */
export interface LevelColumns {
  readonly duration: Float64Array;
  readonly flags: Uint8Array;
}

const maxLevel = 40;

export class LevelOfDetailCache {
  private readonly levels = new WeakMap<TrackView, (Level | undefined)[]>();
  private columns = new Float64Array(0);

  /** A zeroed buffer of one number per pixel column, reused from row to row. */
  densityColumns(width: number): Float64Array {
    if (this.columns.length < width) this.columns = new Float64Array(Math.ceil(width * 1.5));
    this.columns.fill(0, 0, width);
    return this.columns;
  }

  /** The level of `level` for `view`, up to date with it. */
  level(view: TrackView, level: number, columns: LevelColumns): Level {
    const at = Math.max(0, Math.min(maxLevel, Math.floor(level)));
    let list = this.levels.get(view);
    if (!list) {
      list = [];
      this.levels.set(view, list);
    }
    let l = list[at];
    if (!l || l.version !== view.version) {
      l = {
        keys: new Float64Array(64),
        minStart: new Float64Array(64),
        maxEnd: new Float64Array(64),
        warning: new Uint8Array(64),
        count: new Int32Array(64),
        length: 0,
        consumed: 0,
        version: view.version,
      };
      list[at] = l;
    }
    if (l.consumed < view.length) extend(l, view, 2 ** at, columns);
    return l;
  }
}

function extend(l: Level, view: TrackView, width: number, columns: LevelColumns): void {
  const { ids, ends } = view;
  const { duration, flags } = columns;
  let n = l.length;
  for (let i = l.consumed; i < view.length; i++) {
    const id = ids[i];
    const end = ends[i];
    const d = duration[id];
    const start = d > 0 ? end - d : end;
    const key = Math.floor(end / width);
    if (n > 0 && l.keys[n - 1] === key) {
      if (start < l.minStart[n - 1]) l.minStart[n - 1] = start;
      if (end > l.maxEnd[n - 1]) l.maxEnd[n - 1] = end;
      l.warning[n - 1] |= flags[id] & eventFlags.warning;
      l.count[n - 1]++;
      continue;
    }
    if (n === l.keys.length) {
      l.keys = ensureRoom(l.keys, n + 1);
      l.minStart = ensureRoom(l.minStart, n + 1);
      l.maxEnd = ensureRoom(l.maxEnd, n + 1);
      l.warning = ensureRoom(l.warning, n + 1);
      l.count = ensureRoom(l.count, n + 1);
    }
    l.keys[n] = key;
    l.minStart[n] = start;
    l.maxEnd[n] = end;
    l.warning[n] = flags[id] & eventFlags.warning;
    l.count[n] = 1;
    n++;
  }
  l.length = n;
  l.consumed = view.length;
}

/** The first bucket of `level` that may reach into a window starting at `startMs`. */
export function firstBucket(l: Level, level: number, startMs: number): number {
  return lowerBound(l.keys, l.length, Math.floor(startMs / 2 ** level));
}
