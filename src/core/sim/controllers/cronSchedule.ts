// Cron schedules as the CronJob controller reads them (robfig/cron ParseStandard): five
// fields (minute, hour, day of month, month, day of week) with `*`, `?`, lists, ranges,
// steps and month and weekday names, or a descriptor (@hourly, @daily, @every 90s, ...).
// When both day fields are restricted a day matches either, as cron does. Times are UTC
// (the simulator's clock starts at 2026-01-01T00:00:00Z).

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

/** Parses a schedule; throws a CronError that says what is wrong. */
export function parseCron(schedule: string): CronSchedule {
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
  const dayMatches = (d: Date) => {
    const dom = days.has(d.getUTCDate());
    const dow = weekdaySet.has(d.getUTCDay());
    return domStar || dowStar ? dom && dow : dom || dow;
  };
  return {
    next(after) {
      let t = after - (after % minuteMs) + minuteMs;
      const limit = after + fiveYearsMs;
      while (t <= limit) {
        const d = new Date(t);
        if (!monthSet.has(d.getUTCMonth() + 1)) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
          continue;
        }
        if (!dayMatches(d)) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
          continue;
        }
        if (!hours.has(d.getUTCHours())) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
          continue;
        }
        if (!minutes.has(d.getUTCMinutes())) {
          t += minuteMs;
          continue;
        }
        return t;
      }
      return undefined;
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
    if (low < field.min || high > field.max || low > high) throw new CronError(`${part}: beyond the range ${field.min}-${field.max}`);
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
