// A track: the ids of the events one row draws, sorted by when they end (an instant ends
// when it happens; a span at `time`). Events of a simulated trace arrive in order and are
// appended; a real cluster's can arrive late and are inserted in place, which bumps
// `version` so that what was derived from the track (filtered views, levels of detail) is
// built again.
import { ensureRoom, upperBound } from './growable';

/** What drawing and hit-testing read from a track or a filtered view of it. */
export interface TrackView {
  readonly ids: Int32Array;
  readonly ends: Float64Array;
  readonly length: number;
  /** The longest span in the view, so that a search by end time finds spans that began earlier. */
  readonly maxDuration: number;
  /** Changes whenever entries were inserted anywhere but at the end. */
  readonly version: number;
}

/**
 * A row's first room for events. A pod has about twenty: starting at 32 spares each of the
 * benchmark's 10,000 pod rows two growths, and allocating a typed array costs more than
 * filling it (so does collecting the ones outgrown).
 */
const initialRoom = 32;

export class Track implements TrackView {
  ids = new Int32Array(initialRoom);
  ends = new Float64Array(initialRoom);
  length = 0;
  maxDuration = 0;
  version = 0;

  /** `key` tells tracks apart in caches (lanes first, then object rows). */
  constructor(readonly key: number) {}

  add(id: number, end: number, duration: number): void {
    const n = this.length;
    if (n === this.ids.length) {
      this.ids = ensureRoom(this.ids, n + 1);
      this.ends = ensureRoom(this.ends, n + 1);
    }
    if (duration > this.maxDuration) this.maxDuration = duration;
    if (n === 0 || end >= this.ends[n - 1]) {
      this.ids[n] = id;
      this.ends[n] = end;
    } else {
      const at = upperBound(this.ends, n, end);
      this.ids.copyWithin(at + 1, at, n);
      this.ends.copyWithin(at + 1, at, n);
      this.ids[at] = id;
      this.ends[at] = end;
      this.version++;
    }
    this.length = n + 1;
  }
}

/** The entries of `source` whose event passes `visible`, kept up to date as the source grows. */
export class FilteredTrack implements TrackView {
  ids = new Int32Array(initialRoom);
  ends = new Float64Array(initialRoom);
  length = 0;
  maxDuration = 0;
  version = 0;
  private consumed = 0;
  private sourceVersion = -1;
  private generation = -1;

  /** Brings the view up to `source` under the filter of `generation`; `duration` is the store's column. */
  update(source: TrackView, generation: number, visible: Uint8Array, duration: Float64Array): void {
    if (generation !== this.generation || source.version !== this.sourceVersion) {
      this.generation = generation;
      this.sourceVersion = source.version;
      this.consumed = 0;
      this.length = 0;
      this.maxDuration = 0;
      this.version++;
    }
    const { ids, ends } = source;
    for (let i = this.consumed; i < source.length; i++) {
      const id = ids[i];
      if (!visible[id]) continue;
      const n = this.length;
      if (n === this.ids.length) {
        this.ids = ensureRoom(this.ids, n + 1);
        this.ends = ensureRoom(this.ends, n + 1);
      }
      this.ids[n] = id;
      this.ends[n] = ends[i];
      if (duration[id] > this.maxDuration) this.maxDuration = duration[id];
      this.length = n + 1;
    }
    this.consumed = source.length;
  }
}
