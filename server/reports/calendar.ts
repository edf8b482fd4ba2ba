// Days, weeks and months as the city lives them: a report's dates are the city's own (city.json
// `timezone`), so "March 8" runs from the city's midnight to the next, 23 or 25 hours on the days the
// clocks change. Records are stored in UTC; each bucket of a report is a pair of UTC instants computed
// here, and SQL counts the records between them.

export const intervals = ['day', 'week', 'month'] as const;
export type Interval = (typeof intervals)[number];

/** A bucket of a report: the local date it starts on (a Monday for weeks, the 1st for months) and its UTC span. */
export interface Bucket {
  key: string;
  start: string;
  end: string;
}

export interface Period {
  from: string;
  to: string;
  interval: Interval;
  timeZone: string;
  /** The first instant of `from` and the first instant after `to`, in UTC. */
  start: string;
  end: string;
  buckets: Bucket[];
}

const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format;
}

/** How far the city's wall clock is ahead of UTC at `at` (ms). */
function offsetAt(timeZone: string, at: number): number {
  const parts = Object.fromEntries(formatterOf(timeZone).formatToParts(at).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
  return wall - (at - (at % 1000));
}

/**
 * The zone's offsets over a span: the offset at its start and every change in it, found by stepping a week
 * at a time and narrowing each change to the second (zones change at most twice a year), so a long daily
 * report asks Intl a few hundred times rather than twice a day.
 */
function offsetsOver(timeZone: string, from: number, to: number): (at: number) => number {
  const changes: { at: number; offset: number }[] = [{ at: -Infinity, offset: offsetAt(timeZone, from) }];
  for (let t = from; t < to; t += 7 * DAY) {
    const next = Math.min(t + 7 * DAY, to);
    const before = changes.at(-1)!.offset;
    if (offsetAt(timeZone, next) === before) continue;
    let lo = t;
    let hi = next;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(timeZone, mid) === before) lo = mid;
      else hi = mid;
    }
    changes.push({ at: hi, offset: offsetAt(timeZone, hi) });
  }
  return (at) => {
    let i = changes.length - 1;
    while (changes[i]!.at > at) i--;
    return changes[i]!.offset;
  };
}

/** The UTC instant of midnight at the start of `date` (YYYY-MM-DD), given the zone's offset at any instant. */
function midnight(date: string, offset: (at: number) => number): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  const guess = wall - offset(wall - offset(wall));
  // Where the clocks jump forward at midnight, the day starts when they land (01:00 local).
  return guess + offset(guess) >= wall ? guess : wall - offset(wall);
}

/** The UTC instant of midnight at the start of `date` (YYYY-MM-DD) in `timeZone`. */
export function startOfDay(date: string, timeZone: string): number {
  return midnight(date, (at) => offsetAt(timeZone, at));
}

/** Today's date in `timeZone`. */
export function today(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const dateOf = (t: number) => new Date(t).toISOString().slice(0, 10);
export const addDays = (date: string, days: number) => dateOf(Date.parse(`${date}T00:00:00Z`) + days * DAY);
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/** The date a bucket containing `date` starts on: itself, its week's Monday (ISO 8601 weeks), or the 1st. */
export function bucketStart(date: string, interval: Interval): string {
  if (interval === 'day') return date;
  if (interval === 'month') return `${date.slice(0, 7)}-01`;
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

function nextBucket(date: string, interval: Interval): string {
  if (interval === 'day') return addDays(date, 1);
  if (interval === 'week') return addDays(date, 7);
  const [y, m] = date.split('-').map(Number) as [number, number];
  return dateOf(Date.UTC(y, m, 1));
}

/**
 * The period from `from` to `to` (both included, city dates) cut into buckets. The first and last buckets
 * are cut to the period: a week report from a Wednesday counts that week from the Wednesday.
 */
export function periodOf(from: string, to: string, interval: Interval, timeZone: string): Period {
  const first = bucketStart(from, interval);
  // A day either side: the wall-clock guesses below fall up to 14 hours off the span.
  const offset = offsetsOver(timeZone, Date.parse(`${first}T00:00:00Z`) - DAY, Date.parse(`${to}T00:00:00Z`) + 32 * DAY);
  const start = midnight(from, offset);
  const end = midnight(addDays(to, 1), offset);
  const buckets: Bucket[] = [];
  for (let key = first; key <= to; key = nextBucket(key, interval)) {
    const next = nextBucket(key, interval);
    buckets.push({ key, start: new Date(Math.max(start, midnight(key, offset))).toISOString(), end: new Date(Math.min(end, midnight(next, offset))).toISOString() });
  }
  return { from, to, interval, timeZone, start: new Date(start).toISOString(), end: new Date(end).toISOString(), buckets };
}
