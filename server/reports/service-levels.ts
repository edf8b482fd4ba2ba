// Service levels: how much work the city took on and finished, how long it took, and whether it kept the
// promise (the due date made from the problem code's turnaround). Counted by SQL from work_orders.
// Work merged into another work order is not counted again: its callers were moved to the one kept.
import { sql, type SQL } from 'drizzle-orm';
import { openStatusList } from '../../db/schema/work-orders.ts';
import type { Interval } from './calendar.ts';
import { bucketsJson, rangeOf, scopeOf, where, workOrderPlaceConditions, type PlaceQuery, type Reader, type Scope } from './filters.ts';

export interface ServiceLevelQuery extends PlaceQuery {
  from?: string;
  to?: string;
  interval?: Interval;
}

// The unary + keeps SQLite (without ANALYZE statistics) from reading this through the index of merged
// work orders, which matches nearly every row, instead of the report's own range indexes.
const notMerged = sql`+w.duplicate_of_id IS NULL`;
const completed = sql`w.status = 'completed'`;
// Written out as the partial indexes of open work are (a bound list would not use them).
const open = sql`w.status IN ${openStatusList}`;

const createdIn = (from: SQL | string, to: SQL | string) => [sql`w.created_at >= ${from}`, sql`w.created_at < ${to}`];
const completedIn = (from: SQL | string, to: SQL | string) => [completed, sql`w.closed_at >= ${from}`, sql`w.closed_at < ${to}`];

function counts(db: Reader, scope: Scope, places: SQL[], queue: SQL[], now: string) {
  const { start, end } = scope.period;
  const countWhere = (conditions: SQL[]) => db.get<{ n: number }>(sql`SELECT count(*) AS n FROM work_orders w WHERE ${where(conditions)}`)!.n;
  const count = (conditions: SQL[]) => countWhere([...conditions, ...places]);
  const done = db.get<{ n: number; onTime: number | null }>(sql`
    SELECT count(*) AS n, sum(w.closed_at <= w.due_at) AS onTime FROM work_orders w WHERE ${where([...completedIn(start, end), notMerged, ...places])}`)!;
  return {
    opened: count([...createdIn(start, end), notMerged]),
    completed: done.n,
    completedOnTime: done.onTime ?? 0,
    onTimeShare: done.n === 0 ? null : (done.onTime ?? 0) / done.n,
    cancelled: count([sql`w.status = 'cancelled'`, sql`w.closed_at >= ${start}`, sql`w.closed_at < ${end}`, notMerged]),
    // Now, whatever the period: the queue as it stands.
    openNow: countWhere([open, ...queue]),
    overdueNow: countWhere([open, sql`w.due_at < ${now}`, ...queue]),
  };
}

export interface ServiceLevelPoint {
  bucket: string;
  opened: number;
  completed: number;
}

function series(db: Reader, scope: Scope, places: SQL[]): ServiceLevelPoint[] {
  const [from, to] = [sql`b.value ->> 1`, sql`b.value ->> 2`];
  return db.all<ServiceLevelPoint>(sql`
    SELECT b.value ->> 0 AS bucket,
      (SELECT count(*) FROM work_orders w WHERE ${where([...createdIn(from, to), notMerged, ...places])}) AS opened,
      (SELECT count(*) FROM work_orders w WHERE ${where([...completedIn(from, to), notMerged, ...places])}) AS completed
    FROM json_each(${bucketsJson(scope.period)}) b ORDER BY b.key`);
}

export interface TimeToComplete {
  key: string;
  name: string;
  completed: number;
  medianHours: number;
  p90Hours: number;
  onTime: number;
  onTimeShare: number;
}

/**
 * Whether the period's completed work is read for its ranks in the order of the time-to-complete indexes
 * (migration 0018): no sort, but every completed work order of every year is passed over once. That pays
 * when the period holds a good part of the city's completed work (a fifth of the span of its completion
 * times, measured on the benchmark's city); for a shorter period the closed index gives just the period's
 * work, and sorting it costs less. The span is two index seeks.
 */
function readInIndexOrder(db: Reader, scope: Scope): boolean {
  const span = db.get<{ first: string | null; last: string | null }>(sql`
    SELECT (SELECT min(w.closed_at) FROM work_orders w WHERE ${completed}) AS first, (SELECT max(w.closed_at) FROM work_orders w WHERE ${completed}) AS last`)!;
  if (span.first === null || span.last === null) return false;
  const period = Date.parse(scope.period.end) - Date.parse(scope.period.start);
  return 5 * period >= Date.parse(span.last) - Date.parse(span.first);
}

/**
 * Work completed in the period, per problem code or responsible provider: how many, the median and 90th
 * percentile of hours from the work order's creation to its completion (nearest rank: the value at rank
 * ⌈p·n⌉ of the sorted times, so every figure is one real work order's), and how many were on time.
 *
 * `inIndexOrder` (see readInIndexOrder): INDEXED BY names the index because the planner (no ANALYZE
 * statistics) would take the period's range of the closed index and sort it, about twice as slow over
 * years; and, as SQLite means INDEXED BY to, the report then fails loudly if a migration drops the index.
 */
function timeToComplete(db: Reader, scope: Scope, places: SQL[], by: 'code' | 'provider', inIndexOrder: boolean): TimeToComplete[] {
  const [column, index] = by === 'code' ? ['w.problem_code_id', 'work_orders_report_code_hours_idx'] : ['w.provider_id', 'work_orders_report_provider_hours_idx'];
  // Otherwise the closed index, by name too: with ANALYZE statistics the planner counts through the code or
  // provider index and the table instead (365 days: 345 ms instead of about 40).
  const done = sql`FROM work_orders w INDEXED BY ${sql.raw(inIndexOrder ? index : 'work_orders_report_closed_idx')} WHERE ${where([...completedIn(scope.period.start, scope.period.end), notMerged, ...places])}`;
  // The time to complete exactly as the index has it (SQLite matches the expression as written).
  const days = sql`julianday(w.closed_at) - julianday(w.created_at)`;
  const rows = db.all<Omit<TimeToComplete, 'onTimeShare'>>(sql`
    WITH counted AS MATERIALIZED (
      SELECT ${sql.raw(column)} AS id, count(*) AS n, sum(w.closed_at <= w.due_at) AS onTime ${done} GROUP BY ${sql.raw(column)}),
    ranked AS (
      SELECT ${sql.raw(column)} AS id, (${days}) * 24 AS hours, row_number() OVER (PARTITION BY ${sql.raw(column)} ORDER BY ${days}) AS rank ${done})
    SELECT node.code AS key, node.name, counted.n AS completed,
      round(max(CASE WHEN rank = (n + 1) / 2 THEN hours END), 2) AS medianHours,
      round(max(CASE WHEN rank = (9 * n + 9) / 10 THEN hours END), 2) AS p90Hours,
      counted.onTime
    FROM ranked CROSS JOIN counted ON counted.id = ranked.id JOIN hierarchy_nodes node ON node.id = counted.id
    WHERE rank IN ((n + 1) / 2, (9 * n + 9) / 10)
    GROUP BY counted.id ORDER BY completed DESC, node.name`);
  return rows.map((r) => ({ ...r, onTimeShare: r.onTime / r.completed }));
}

export function serviceLevelReport(db: Reader, query: ServiceLevelQuery, now = new Date()) {
  const scope = scopeOf(db, query, now);
  const places = workOrderPlaceConditions(scope.places, 'checked');
  const inIndexOrder = readInIndexOrder(db, scope);
  return {
    range: rangeOf(scope.period),
    asOf: now.toISOString(),
    ...counts(db, scope, places, workOrderPlaceConditions(scope.places, 'indexed'), now.toISOString()),
    series: series(db, scope, places),
    byProblemCode: timeToComplete(db, scope, places, 'code', inIndexOrder),
    byProvider: timeToComplete(db, scope, places, 'provider', inIndexOrder),
  };
}

export type ServiceLevelReport = ReturnType<typeof serviceLevelReport>;
