// What a report is asked about: a period of city dates cut into days, weeks or months, and a place in the
// hierarchy (department, provider, category or problem code), turned into SQL conditions. A filter that
// names nothing, or dates that make no period, are the caller's mistakes: 400 with the field named.
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { channels, commentKinds, requestTypes, type Channel, type CommentKind, type RequestType } from '../../db/schema/intake.ts';
import { hierarchyNodes, type HierarchyLevel } from '../../db/schema/hierarchy.ts';
import { assertNoProblems, type FieldProblem } from '../errors.ts';
import { cityTimeZone } from '../numbers.ts';
import { addDays, daysBetween, periodOf, today, type Interval, type Period } from './calendar.ts';

export type Reader = Pick<Db, 'select' | 'all' | 'get' | '$client'>;

/** The longest period a report covers: ten years of days is still a chart a browser draws. */
export const maxDays = 3660;
/** The period a report covers when the dates are left out: the last 30 days, today included. */
export const defaultDays = 30;

export interface PeriodQuery {
  from?: string;
  to?: string;
  interval?: Interval;
}

export interface PlaceQuery {
  department?: string;
  provider?: string;
  category?: string;
  problemCode?: string;
}

export const placeFields = [
  ['department', 'department'],
  ['provider', 'provider'],
  ['category', 'category'],
  ['problemCode', 'problem_code'],
] as const satisfies readonly (readonly [keyof PlaceQuery, HierarchyLevel])[];

/** A hierarchy node a filter names: its id and level. */
export interface Place {
  id: number;
  level: HierarchyLevel;
}

function periodProblems(query: PeriodQuery, from: string, to: string): FieldProblem[] {
  if (from > to) return [{ field: query.from ? '/querystring/from' : '/querystring/to', message: `must not be after the end of the period (from ${from}, to ${to})` }];
  if (daysBetween(from, to) >= maxDays) return [{ field: '/querystring/from', message: `is too far back: a report covers at most ${maxDays} days (from ${from}, to ${to})` }];
  return [];
}

function placeProblems(db: Reader, query: PlaceQuery): { problems: FieldProblem[]; places: Place[] } {
  const problems: FieldProblem[] = [];
  const places: Place[] = [];
  for (const [field, level] of placeFields) {
    const code = query[field];
    if (code === undefined) continue;
    const node = db.select({ id: hierarchyNodes.id, level: hierarchyNodes.level }).from(hierarchyNodes).where(eq(hierarchyNodes.code, code)).get();
    if (!node || node.level !== level) problems.push({ field: `/querystring/${field}`, message: `names no ${level.replace('_', ' ')} (${code})` });
    else places.push({ id: node.id, level });
  }
  return { problems, places };
}

export interface Scope {
  period: Period;
  places: Place[];
}

/** The period and places a report is asked for, checked whole: every wrong field is named at once. */
export function scopeOf(db: Reader, query: PeriodQuery & PlaceQuery, now = new Date()): Scope {
  const timeZone = cityTimeZone(db);
  const to = query.to ?? (query.from ? addDays(query.from, defaultDays - 1) : today(timeZone, now));
  const from = query.from ?? addDays(to, -(defaultDays - 1));
  const { problems, places } = placeProblems(db, query);
  problems.unshift(...periodProblems(query, from, to));
  assertNoProblems(problems, 'The report');
  return { period: periodOf(from, to, query.interval ?? 'day', timeZone), places };
}

/** The problem codes at or below a node, as SQL (the node's subtree in the hierarchy as it is now). */
export function codesUnder(place: Place): SQL {
  return sql`(WITH RECURSIVE below(id) AS (SELECT ${place.id} UNION ALL SELECT n.id FROM hierarchy_nodes n JOIN below ON n.parent_id = below.id)
    SELECT id FROM below)`;
}

/**
 * A customer request's place: its problem code lies under every node the filter names. `checked`: compared
 * on rows another index found (unary +), as for work orders below.
 */
export function requestPlaceConditions(places: Place[], use: 'indexed' | 'checked'): SQL[] {
  const column = sql.raw(`${use === 'checked' ? '+' : ''}r.problem_code_id`);
  return places.map((place) => (place.level === 'problem_code' ? sql`${column} = ${place.id}` : sql`${column} IN ${codesUnder(place)}`));
}

const workOrderColumn: Record<HierarchyLevel, string> = { department: 'department_id', provider: 'provider_id', category: 'category_id', problem_code: 'problem_code_id' };

/**
 * A work order's place: the responsible department and provider, the category and code it was made with.
 * `checked`: compared on rows another index found (unary +), for queries over a period, which the
 * report's created/closed indexes cover; left to itself SQLite would walk the department's whole
 * queue index and look every row up.
 */
export function workOrderPlaceConditions(places: Place[], use: 'indexed' | 'checked'): SQL[] {
  return places.map((place) => sql`${sql.raw(`${use === 'checked' ? '+' : ''}w.${workOrderColumn[place.level]}`)} = ${place.id}`);
}

export const where = (conditions: SQL[]): SQL => sql.join(conditions, sql` AND `);

/**
 * The kinds of customer request, as JSON for SQL to walk with json_each: [channel, type, comment kind] each,
 * every combination the schema allows (a type or comment kind not yet given is null), narrowed to the
 * channels and types asked for.
 *
 * Why: the report's kind index (migration 0018) starts with these three columns, so a count per kind is a
 * range of the index, and a report adds up the kinds it needs; SQLite otherwise tests every row of the
 * period once per figure, or sorts the period to group it.
 */
export function kindsJson(only: { channels?: readonly Channel[]; types?: readonly RequestType[] } = {}): string {
  const kinds: [Channel, RequestType | null, CommentKind | null][] = [];
  for (const channel of only.channels ?? channels) {
    for (const type of only.types ?? [null, ...requestTypes]) {
      for (const kind of [null, ...commentKinds]) kinds.push([channel, type, kind]);
    }
  }
  return JSON.stringify(kinds);
}

/**
 * The requests read by kind, through the kind index by name. With ANALYZE statistics (what `PRAGMA optimize`
 * gathers) SQLite's planner otherwise reads the whole period by start time and tests each row against
 * every kind: measured on the million-request city, the desk report of 30 days took 3.8 s instead of 0.1 s.
 */
export const requestsByKind = sql.raw('customer_requests r INDEXED BY requests_report_kind_idx');

/** A customer request of the kind `k` (a row of kindsJson): equal channel, type and comment kind, nulls included. */
export const ofKind = sql`r.channel = k.value ->> 0 AND r.type IS k.value ->> 1 AND r.comment_kind IS k.value ->> 2`;

/** The buckets of a period as JSON, for SQL to walk with json_each: [key, start, end] each. */
export const bucketsJson = (period: Period) => JSON.stringify(period.buckets.map((b) => [b.key, b.start, b.end]));

/** What every report says about itself: the period it covers, in the city's dates and time zone. */
export function rangeOf(period: Period) {
  const { from, to, interval, timeZone, start, end } = period;
  return { from, to, interval, timeZone, start, end };
}
