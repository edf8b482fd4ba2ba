// Volumes: how many customer requests came in, when, of which type, by which channel, about what.
// Every figure is counted by SQL from customer_requests; cancelled requests (made by mistake, or
// withdrawn) are left out of every figure and counted on their own.
import { sql, type SQL } from 'drizzle-orm';
import { channels, commentKinds, requestTypes, type Channel, type CommentKind, type RequestType } from '../../db/schema/intake.ts';
import type { HierarchyLevel } from '../../db/schema/hierarchy.ts';
import type { Interval } from './calendar.ts';
import { bucketsJson, kindsJson, ofKind, rangeOf, requestPlaceConditions, requestsByKind, scopeOf, where, type PlaceQuery, type Reader, type Scope } from './filters.ts';
import { channelNames, commentKindNames, typeNames, type Row } from './names.ts';

export interface VolumeQuery extends PlaceQuery {
  from?: string;
  to?: string;
  interval?: Interval;
  channel?: Channel;
  type?: RequestType;
}

/** The requests counted besides their kind: not cancelled, under the places (checked on each row the kind index gives). */
const countedConditions = (scope: Scope): SQL[] => [sql`r.status <> 'cancelled'`, ...requestPlaceConditions(scope.places, 'checked')];

export interface VolumePoint {
  bucket: string;
  total: number;
  information: number;
  action: number;
  comment: number;
}

/**
 * One pass over the period: the requests of each kind (channel, type, comment kind) in each bucket, each a
 * range of the kind index, counted by SQL; the totals, the breakdowns and the series are these counts added up.
 */
function byKindAndBucket(db: Reader, scope: Scope, query: VolumeQuery) {
  const kinds = kindsJson({ channels: query.channel && [query.channel], types: query.type && [query.type] });
  // Only the kinds and buckets that have requests come back; LIMIT -1 keeps SQLite from copying the count
  // into the outer WHERE (which would count each range twice).
  const rows = db.all<{ bucket: string; channel: Channel; type: RequestType | null; kind: CommentKind | null; n: number }>(sql`
    SELECT bucket, kind ->> 0 AS channel, kind ->> 1 AS type, kind ->> 2 AS kind, n FROM (
      SELECT b.value ->> 0 AS bucket, k.value AS kind,
        (SELECT count(*) FROM ${requestsByKind} WHERE ${where([ofKind, sql`r.started_at >= b.value ->> 1`, sql`r.started_at < b.value ->> 2`, ...countedConditions(scope)])}) AS n
      FROM json_each(${bucketsJson(scope.period)}) b, json_each(${kinds}) k LIMIT -1)
    WHERE n > 0`);
  const tally = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  const byType = tally([...requestTypes, 'untyped']);
  const byChannel = tally(channels);
  const byCommentKind = tally(commentKinds);
  const points = new Map(scope.period.buckets.map(({ key }): [string, VolumePoint] => [key, { bucket: key, total: 0, information: 0, action: 0, comment: 0 }]));
  let total = 0;
  for (const { bucket, channel, type, kind, n } of rows) {
    total += n;
    byType[type ?? 'untyped'] += n;
    byChannel[channel] += n;
    if (kind !== null) byCommentKind[kind] += n;
    const point = points.get(bucket)!;
    point.total += n;
    if (type !== null) point[type] += n;
  }
  const lines = <K extends string>(counts: Record<K, number>, names: Record<K, string>): Row[] => (Object.keys(counts) as K[]).map((key) => ({ key, name: names[key], count: counts[key] }));
  return {
    total,
    byType: lines(byType, { ...typeNames, untyped: 'Not yet typed' }),
    byChannel: lines(byChannel, channelNames),
    commentsByKind: lines(byCommentKind, commentKindNames),
    series: [...points.values()],
  };
}

const levels = ['department', 'provider', 'category', 'problem_code'] as const satisfies readonly HierarchyLevel[];

/**
 * Requests by problem code, and added up to each code's category, provider and department as the
 * hierarchy stands now (a request's own snapshot keeps where its code stood then).
 */
function byPlace(db: Reader, scope: Scope, query: VolumeQuery): Record<HierarchyLevel, Row[]> {
  // Every code named (when no place is): SQLite then reads the place index one code's period at a time,
  // already in code order, instead of sorting every request of the period by code.
  const coded = scope.places.length > 0 ? sql`r.problem_code_id IS NOT NULL` : sql`r.problem_code_id IN (SELECT id FROM hierarchy_nodes WHERE level = 'problem_code')`;
  const conditions = [sql`r.started_at >= ${scope.period.start}`, sql`r.started_at < ${scope.period.end}`, sql`r.status <> 'cancelled'`, ...requestPlaceConditions(scope.places, 'indexed'), coded];
  // The place index by name, and the unary +: SQLite otherwise reads the period through the code index (with
  // ANALYZE statistics; 30 days: 170 ms instead of 30) or the channel or type index, and the table row by
  // row, rather than the place index, which covers them.
  if (query.channel) conditions.push(sql`+r.channel = ${query.channel}`);
  if (query.type) conditions.push(sql`+r.type = ${query.type}`);
  const rows = db.all<Row & { level: HierarchyLevel }>(sql`
    WITH counted AS MATERIALIZED (
      SELECT r.problem_code_id AS id, count(*) AS n FROM customer_requests r INDEXED BY requests_report_place_idx
      WHERE ${where(conditions)} GROUP BY r.problem_code_id),
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

/** Cancelled requests of the period, on the channel, of the type, under the places (the cancelled index covers them all). */
function cancelledCount(db: Reader, scope: Scope, query: VolumeQuery): number {
  const conditions = [sql`r.started_at >= ${scope.period.start}`, sql`r.started_at < ${scope.period.end}`, sql`r.status = 'cancelled'`, ...requestPlaceConditions(scope.places, 'checked')];
  if (query.channel) conditions.push(sql`+r.channel = ${query.channel}`);
  if (query.type) conditions.push(sql`+r.type = ${query.type}`);
  return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM customer_requests r WHERE ${where(conditions)}`)!.n;
}

export function volumeReport(db: Reader, query: VolumeQuery, now = new Date()) {
  const scope = scopeOf(db, query, now);
  const { total, byType, byChannel, commentsByKind, series } = byKindAndBucket(db, scope, query);
  const places = byPlace(db, scope, query);
  return {
    range: rangeOf(scope.period),
    total,
    byType,
    byChannel,
    commentsByKind,
    cancelled: cancelledCount(db, scope, query),
    series,
    byDepartment: places.department,
    byProvider: places.provider,
    byCategory: places.category,
    byProblemCode: places.problem_code,
  };
}

export type VolumeReport = ReturnType<typeof volumeReport>;
