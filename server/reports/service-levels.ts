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
const hours = sql`(julianday(w.closed_at) - julianday(w.created_at)) * 24`;

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
 * Work completed in the period, per problem code or responsible provider: how many, the median and 90th
 * percentile of hours from the work order's creation to its completion (nearest rank: the value at rank
 * ⌈p·n⌉ of the sorted times, so every figure is one real work order's), and how many were on time.
 */
function timeToComplete(db: Reader, scope: Scope, places: SQL[], column: 'problem_code_id' | 'provider_id'): TimeToComplete[] {
  const rows = db.all<Omit<TimeToComplete, 'onTimeShare'>>(sql`
    WITH done AS (
      SELECT ${sql.raw(`w.${column}`)} AS id, ${hours} AS hours, w.closed_at <= w.due_at AS onTime
      FROM work_orders w WHERE ${where([...completedIn(scope.period.start, scope.period.end), notMerged, ...places])}),
    ranked AS (
      SELECT id, hours, onTime, row_number() OVER (PARTITION BY id ORDER BY hours) AS rank, count(*) OVER (PARTITION BY id) AS n FROM done)
    SELECT node.code AS key, node.name, ranked.n AS completed,
      round(max(CASE WHEN rank = (n + 1) / 2 THEN hours END), 2) AS medianHours,
      round(max(CASE WHEN rank = (9 * n + 9) / 10 THEN hours END), 2) AS p90Hours,
      sum(onTime) AS onTime
    FROM ranked JOIN hierarchy_nodes node ON node.id = ranked.id
    GROUP BY ranked.id ORDER BY completed DESC, node.name`);
  return rows.map((r) => ({ ...r, onTimeShare: r.onTime / r.completed }));
}

export function serviceLevelReport(db: Reader, query: ServiceLevelQuery, now = new Date()) {
  const scope = scopeOf(db, query, now);
  const places = workOrderPlaceConditions(scope.places, 'checked');
  return {
    range: rangeOf(scope.period),
    asOf: now.toISOString(),
    ...counts(db, scope, places, workOrderPlaceConditions(scope.places, 'indexed'), now.toISOString()),
    series: series(db, scope, places),
    byProblemCode: timeToComplete(db, scope, places, 'problem_code_id'),
    byProvider: timeToComplete(db, scope, places, 'provider_id'),
  };
}

export type ServiceLevelReport = ReturnType<typeof serviceLevelReport>;
