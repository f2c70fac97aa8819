// Cron schedules as the CronJob controller reads them (robfig/cron ParseStandard): five
// fields (minute, hour, day of month, month, day of week) with `*`, `?`, lists, ranges,
// steps and month and weekday names, or a descriptor (@hourly, @daily, @every 90s, ...).
// When both day fields are restricted a day matches either, as cron does. The fields are read
// in the CronJob's timeZone (an IANA name; UTC without one), so a schedule follows that zone's
// daylight-saving changes as robfig/cron's (which steps by elapsed time) does: a local time
// skipped by a change does not run, one repeated by a change runs at both occurrences.
// (The simulator's clock starts at 2026-01-01T00:00:00Z.)

export interface CronSchedule {
  /** The first scheduled instant strictly after `afterMs` (epoch ms), or undefined within five years. */
  next(afterMs: number): number | undefined;
}

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const months = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const weekdays = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const fields: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: months },
  { min: 0, max: 6, names: weekdays },
];
const descriptors: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const minuteMs = 60_000;
const fiveYearsMs = 5 * 366 * 24 * 3_600_000;

export class CronError extends Error {}

/** Parses a schedule; throws a CronError that says what is wrong. `zone` must be one `knownTimeZone` accepts. */
export function parseCron(schedule: string, zone = 'UTC'): CronSchedule {
  const text = schedule.trim();
  if (text.startsWith('@every ')) {
    const everyMs = parseEvery(text.slice(7).trim());
    return { next: (after) => after - (after % 1000) + everyMs };
  }
  const spec = descriptors[text] ?? text;
  if (spec.startsWith('@')) throw new CronError(`unrecognized descriptor: ${text}`);
  const parts = spec.split(/\s+/);
  if (parts.length !== 5) throw new CronError(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  const sets = parts.map((p, i) => parseField(p, fields[i]));
  const [minutes, hours, days, monthSet, weekdaySet] = sets;
  const domStar = parts[2] === '*' || parts[2] === '?';
  const dowStar = parts[4] === '*' || parts[4] === '?';
  const clock = zoneClock(zone);
  const dayMatches = (l: LocalTime) => {
    const dom = days.has(l.day);
    const dow = weekdaySet.has(l.weekday);
    return domStar || dowStar ? dom && dow : dom || dow;
  };
  return {
    next(after) {
      let t = after - (after % minuteMs) + minuteMs;
      const limit = after + fiveYearsMs;
      while (t <= limit) {
        const l = clock.local(t);
        // Each skip goes to the start of the next month, day or hour in local time; a skip
        // that would not move forward (a repeated local hour) moves one minute instead.
        let skip: number | undefined;
        if (!monthSet.has(l.month)) skip = clock.instant(l.year, l.month + 1, 1, 0, 0);
        else if (!dayMatches(l)) skip = clock.instant(l.year, l.month, l.day + 1, 0, 0);
        else if (!hours.has(l.hour)) skip = clock.instant(l.year, l.month, l.day, l.hour + 1, 0);
        else if (!minutes.has(l.minute)) skip = t + minuteMs;
        else return t;
        t = skip > t ? skip : t + minuteMs;
      }
      return undefined;
    },
  };
}

interface LocalTime {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** 0 (Sunday) – 6. */
  readonly weekday: number;
}

interface ZoneClock {
  local(instant: number): LocalTime;
  /** The first instant at or after the local time (fields may overflow, as Date.UTC's do). */
  instant(year: number, month: number, day: number, hour: number, minute: number): number;
}

const utcClock: ZoneClock = {
  local(t) {
    const d = new Date(t);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      weekday: d.getUTCDay(),
    };
  },
  instant: (year, month, day, hour, minute) => Date.UTC(year, month - 1, day, hour, minute),
};

/** Whether the zone is one this runtime knows (an IANA name such as Europe/Berlin). */
export function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Go's time.RFC3339 of an instant in the zone: `Z` at offset zero, else the offset (`2026-01-01T05:31:00+05:30`). */
export function rfc3339InZone(instant: number, zone = 'UTC'): string {
  const l = zoneClock(zone).local(instant);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) + (instant % minuteMs);
  const text = new Date(wall).toISOString().slice(0, 19);
  const offsetMinutes = Math.round((wall - instant) / minuteMs);
  if (offsetMinutes === 0) return `${text}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${text}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function zoneClock(zone: string): ZoneClock {
  if (zone === 'UTC' || zone === 'Etc/UTC') return utcClock;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const local = (t: number): LocalTime => {
    const p: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(t)))
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
    return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, weekday };
  };
  // The zone's offset at an instant, in ms (whole minutes: cron never needs the seconds).
  const offset = (t: number): number => {
    const l = local(t);
    return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - (t - (t % minuteMs));
  };
  return {
    local,
    instant(year, month, day, hour, minute) {
      const wall = Date.UTC(year, month - 1, day, hour, minute);
      // The zone's offsets on either side of any change near the wall time: the instants they
      // give that really show that wall time (two in a repeated hour: the first is taken).
      const guesses = [wall - offset(wall - 14 * 3_600_000), wall - offset(wall + 14 * 3_600_000)];
      const exact = guesses.filter((t) => offset(t) === wall - t);
      // A wall time skipped by a change has none: the earlier guess, before the gap, is a
      // safe place to go on from (the caller then steps through the gap minute by minute).
      return Math.min(...(exact.length > 0 ? exact : guesses));
    },
  };
}

function parseField(text: string, field: Field): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new CronError(`failed to parse int from ${stepText}: invalid step`);
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      low = field.min;
      high = field.max;
    } else {
      const [a, b] = range.split('-');
      low = value(a, field);
      high = b === undefined ? (stepText === undefined ? low : field.max) : value(b, field);
    }
    if (low < field.min || high > field.max || low > high)
      throw new CronError(`${part}: beyond the range ${field.min}-${field.max}`);
    for (let v = low; v <= high; v += step) out.add(v);
  }
  return out;
}

function value(text: string, field: Field): number {
  const named = field.names?.[text.toLowerCase() as keyof typeof field.names];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) throw new CronError(`failed to parse int from ${text}`);
  return Number(text);
}

/** Go durations for @every: 90s, 5m, 1h30m (at least one second). */
function parseEvery(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: minuteMs, h: 3_600_000 };
  let total = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new CronError(`failed to parse duration @every ${text}`);
    total += Number(m[1]) * unit[m[2]];
    at = re.lastIndex;
  }
  if (total < 1000) throw new CronError(`failed to parse duration @every ${text}`);
  return total - (total % 1000);
}
