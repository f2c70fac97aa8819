// The simulator's clock starts at a fixed epoch (2026-01-01, sim/store/naming.ts) so that a seed
// gives the same trace every time; a served cluster's clients compare timestamps with their own
// clock (kubectl's AGE, `describe`'s event ages, a watch's "5s ago"). The server shows every
// timestamp on the wall clock: virtual time at start is the wall time at start, and later
// virtual time runs `speed` times faster, so an age is the wall time since the thing happened.
// Timestamps a client sends are mapped back. Only the text of timestamps changes, never a value.
import { epochMs } from '../sim/store/naming';

const timestampPattern = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

export class WallTime {
  constructor(
    /** Virtual milliseconds at the start of the server. */
    private readonly virtualStart: number,
    /** Wall milliseconds since 1970 at the start of the server. */
    private readonly wallStart: number,
    private readonly speed: number,
  ) {}

  /** Wall milliseconds since 1970 of virtual milliseconds. */
  wallOf(virtualMs: number): number {
    return this.wallStart + (virtualMs - this.virtualStart) / this.speed;
  }

  virtualOf(wallMs: number): number {
    return this.virtualStart + (wallMs - this.wallStart) * this.speed;
  }

  /** `value` with every timestamp moved from virtual to wall time: a copy where anything changed. */
  toWall<T>(value: T): T {
    return mapTimestamps(value, (ms) => this.wallOf(ms - epochMs)) as T;
  }

  /** `value` with every timestamp moved from wall to virtual time. */
  toVirtual<T>(value: T): T {
    return mapTimestamps(value, (ms) => epochMs + this.virtualOf(ms)) as T;
  }
}

function format(ms: number, fraction: string | undefined): string {
  const iso = new Date(Math.round(ms)).toISOString();
  if (fraction === undefined) return `${iso.slice(0, 19)}Z`;
  // metav1.MicroTime keeps six digits; the milliseconds are what the clock has.
  return `${iso.slice(0, 23)}${'0'.repeat(Math.max(0, fraction.length - 4))}Z`;
}

function mapTimestamps(value: unknown, move: (ms: number) => number): unknown {
  if (typeof value === 'string') {
    const m = timestampPattern.exec(value);
    if (!m) return value;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : format(move(ms), m[1]);
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const mapped = mapTimestamps(value[i], move);
      if (mapped !== value[i]) (copy ??= [...value])[i] = mapped;
    }
    return copy ?? value;
  }
  if (typeof value === 'object' && value !== null) {
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      const mapped = mapTimestamps(item, move);
      if (mapped !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = mapped;
    }
    return copy ?? value;
  }
  return value;
}
