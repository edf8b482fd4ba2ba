// Volumes: how many customer requests came in, when, of which type, by which channel, about what.
// Every figure is counted by SQL from customer_requests; cancelled requests (made by mistake, or
// withdrawn) are left out of every figure and counted on their own.
import { sql, type SQL } from 'drizzle-orm';
import { channels, commentKinds, requestTypes, type Channel, type RequestType } from '../../db/schema/intake.ts';
import type { HierarchyLevel } from '../../db/schema/hierarchy.ts';
import type { Interval } from './calendar.ts';
import { bucketsJson, rangeOf, requestPlaceConditions, scopeOf, where, type PlaceQuery, type Reader, type Scope } from './filters.ts';
import { channelNames, commentKindNames, typeNames, type Row } from './names.ts';

export interface VolumeQuery extends PlaceQuery {
  from?: string;
  to?: string;
  interval?: Interval;
  channel?: Channel;
  type?: RequestType;
}

/** The requests counted: started in the period, not cancelled, on the channel, of the type, under the places. */
function requestConditions(scope: Scope, query: VolumeQuery): SQL[] {
  const conditions = [sql`r.started_at >= ${scope.period.start}`, sql`r.started_at < ${scope.period.end}`, sql`r.status <> 'cancelled'`];
  // The unary + keeps SQLite from reading these through the channel or type index and the table, row by
  // row, rather than the report's covering indexes (no ANALYZE statistics tell it which is cheaper).
  if (query.channel) conditions.push(sql`+r.channel = ${query.channel}`);
  if (query.type) conditions.push(sql`+r.type = ${query.type}`);
  return [...conditions, ...requestPlaceConditions(scope.places)];
}

// Columns named after fixed lists: SQL names, not values, so they are written out, never bound.
// count(*) FILTER costs SQLite about a third less per row than sum() of a comparison (measured on 1M rows).
const countOf = (column: string, value: string) => sql.raw(`count(*) FILTER (WHERE r.${column} = '${value}') AS "${column}:${value}"`);

/** One pass over the period: every total by type, channel and comment kind at once (sums, no sorting). */
function totals(db: Reader, conditions: SQL[]) {
  const columns = [
    ...requestTypes.map((t) => countOf('type', t)),
    ...channels.map((c) => countOf('channel', c)),
    ...commentKinds.map((k) => countOf('comment_kind', k)),
  ];
  const row = db.get<Record<string, number | null>>(sql`SELECT count(*) AS total, count(*) FILTER (WHERE r.type IS NULL) AS untyped, ${sql.join(columns, sql`, `)}
    FROM customer_requests r WHERE ${where(conditions)}`)!;
  const rows = <K extends string>(column: string, keys: readonly K[], names: Record<K, string>): Row[] => keys.map((key) => ({ key, name: names[key], count: row[`${column}:${key}`] ?? 0 }));
  return {
    total: row.total ?? 0,
    byType: [...rows('type', requestTypes, typeNames), { key: 'untyped', name: 'Not yet typed', count: row.untyped ?? 0 }],
    byChannel: rows('channel', channels, channelNames),
    commentsByKind: rows('comment_kind', commentKinds, commentKindNames),
  };
}

export interface VolumePoint {
  bucket: string;
  total: number;
  information: number;
  action: number;
  comment: number;
}

/** Requests in each bucket by type: each bucket is a range of the started-at index, read once. */
function series(db: Reader, scope: Scope, conditions: SQL[]): VolumePoint[] {
  // The period's own bounds are replaced by each bucket's.
  const inBucket = [sql`r.started_at >= b.value ->> 1`, sql`r.started_at < b.value ->> 2`, ...conditions.slice(2)];
  const rows = db.all<{ bucket: string; counts: string }>(sql`
    SELECT b.value ->> 0 AS bucket,
      (SELECT json_array(count(*), count(*) FILTER (WHERE r.type = 'information'), count(*) FILTER (WHERE r.type = 'action'), count(*) FILTER (WHERE r.type = 'comment'))
       FROM customer_requests r WHERE ${where(inBucket)}) AS counts
    FROM json_each(${bucketsJson(scope.period)}) b ORDER BY b.key`);
  return rows.map(({ bucket, counts }) => {
    const [total, information, action, comment] = (JSON.parse(counts) as (number | null)[]).map((n) => n ?? 0) as [number, number, number, number];
    return { bucket, total, information, action, comment };
  });
}

const levels = ['department', 'provider', 'category', 'problem_code'] as const satisfies readonly HierarchyLevel[];

/**
 * Requests by problem code, and added up to each code's category, provider and department as the
 * hierarchy stands now (a request's own snapshot keeps where its code stood then).
 */
function byPlace(db: Reader, conditions: SQL[], placed: boolean): Record<HierarchyLevel, Row[]> {
  // Every code named (when no place is): SQLite then reads the code index one code's period at a time,
  // already in code order, instead of sorting every request of the period by code.
  const coded = placed ? sql`r.problem_code_id IS NOT NULL` : sql`r.problem_code_id IN (SELECT id FROM hierarchy_nodes WHERE level = 'problem_code')`;
  const rows = db.all<Row & { level: HierarchyLevel }>(sql`
    WITH counted AS MATERIALIZED (
      SELECT r.problem_code_id AS id, count(*) AS n FROM customer_requests r
      WHERE ${where([...conditions, coded])} GROUP BY r.problem_code_id),
    placed AS MATERIALIZED (
      SELECT counted.n, code.id AS problem_code, category.id AS category, provider.id AS provider, provider.parent_id AS department
      FROM counted JOIN hierarchy_nodes code ON code.id = counted.id JOIN hierarchy_nodes category ON category.id = code.parent_id
      JOIN hierarchy_nodes provider ON provider.id = category.parent_id),
    summed(level, id, n) AS (
      SELECT 'department', department, sum(n) FROM placed GROUP BY department UNION ALL
      SELECT 'provider', provider, sum(n) FROM placed GROUP BY provider UNION ALL
      SELECT 'category', category, sum(n) FROM placed GROUP BY category UNION ALL
      SELECT 'problem_code', problem_code, sum(n) FROM placed GROUP BY problem_code)
    SELECT summed.level, node.code AS key, node.name, summed.n AS count FROM summed JOIN hierarchy_nodes node ON node.id = summed.id
    ORDER BY count DESC, node.name`);
  return Object.fromEntries(levels.map((level) => [level, rows.filter((r) => r.level === level).map(({ key, name, count }) => ({ key, name, count }))])) as Record<HierarchyLevel, Row[]>;
}

function cancelledCount(db: Reader, scope: Scope, query: VolumeQuery): number {
  const conditions = requestConditions(scope, query).filter((_, i) => i !== 2);
  return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM customer_requests r WHERE ${where([...conditions, sql`r.status = 'cancelled'`])}`)!.n;
}

export function volumeReport(db: Reader, query: VolumeQuery, now = new Date()) {
  const scope = scopeOf(db, query, now);
  const conditions = requestConditions(scope, query);
  const places = byPlace(db, conditions, scope.places.length > 0);
  return {
    range: rangeOf(scope.period),
    ...totals(db, conditions),
    cancelled: cancelledCount(db, scope, query),
    series: series(db, scope, conditions),
    byDepartment: places.department,
    byProvider: places.provider,
    byCategory: places.category,
    byProblemCode: places.problem_code,
  };
}

export type VolumeReport = ReturnType<typeof volumeReport>;
