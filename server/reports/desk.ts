// The desk: does the first person a caller reaches answer them (first-contact resolution), how long a
// contact takes, how much duplicate work the city was spared, and who is still owed a reply or an answer.
import { sql, type SQL } from 'drizzle-orm';
import type { Channel } from '../../db/schema/intake.ts';
import { deskChannels } from '../intake/service.ts';
import type { Interval } from './calendar.ts';
import { rangeOf, requestPlaceConditions, scopeOf, where, workOrderPlaceConditions, type PlaceQuery, type Reader, type Scope } from './filters.ts';
import { ageBands, channelNames, type Row } from './names.ts';

export interface DeskQuery extends PlaceQuery {
  from?: string;
  to?: string;
  interval?: Interval;
  channel?: Channel;
}

function requestConditions(scope: Scope, query: DeskQuery): SQL[] {
  const conditions = [sql`r.started_at >= ${scope.period.start}`, sql`r.started_at < ${scope.period.end}`, sql`r.status <> 'cancelled'`, ...requestPlaceConditions(scope.places)];
  // Unary +: read through the report's covering indexes, not the channel index (see volumes.ts).
  if (query.channel) conditions.push(sql`+r.channel = ${query.channel}`);
  return conditions;
}

/**
 * Information requests handled in the period: those the clerk closed, and those converted to action
 * requests because the caller wanted something done. Resolved at first contact: closed without a
 * conversion and not marked as needing another contact.
 */
function firstContact(db: Reader, conditions: SQL[]) {
  const row = db.get<{ closed: number | null; resolved: number | null; converted: number | null }>(sql`
    SELECT count(*) FILTER (WHERE r.type = 'information' AND r.status = 'closed') AS closed,
      count(*) FILTER (WHERE r.type = 'information' AND r.status = 'closed' AND r.resolved_at_first_contact = 1) AS resolved,
      count(*) FILTER (WHERE r.converted_at IS NOT NULL) AS converted
    FROM customer_requests r WHERE ${where(conditions)}`)!;
  const handled = (row.closed ?? 0) + (row.converted ?? 0);
  const resolved = row.resolved ?? 0;
  return { handled, resolvedAtFirstContact: resolved, rate: handled === 0 ? null : resolved / handled, converted: row.converted ?? 0 };
}

export interface ContactLength {
  key: string;
  name: string;
  requests: number;
  averageSeconds: number | null;
}

/** From the start of a desk contact (phone, e-mail, fax, walk-in, mail) to the clerk finishing it, per channel. */
function contactLength(db: Reader, conditions: SQL[]): { all: ContactLength; byChannel: ContactLength[] } {
  const seconds = '(julianday(r.ended_at) - julianday(r.started_at)) * 86400';
  // Per channel only (each row's length computed once); the average of all desk channels is made from
  // those sums. Channel names come from a fixed list: written into the SQL as names and values, never from input.
  const columns = deskChannels.map((c) => sql.raw(`count(*) FILTER (WHERE r.channel = '${c}') AS "n:${c}", sum(${seconds}) FILTER (WHERE r.channel = '${c}') AS "sum:${c}"`));
  const row = db.get<Record<string, number | null>>(sql`
    SELECT ${sql.join(columns, sql`, `)} FROM customer_requests r
    WHERE ${where([...conditions, sql`r.ended_at IS NOT NULL`, sql.raw(`+r.channel IN (${deskChannels.map((c) => `'${c}'`).join(', ')})`)])}`)!;
  const line = (key: string, name: string, requests: number, seconds: number): ContactLength => ({ key, name, requests, averageSeconds: requests === 0 ? null : Math.round(seconds / requests) });
  const byChannel = deskChannels.map((c) => line(c, channelNames[c], row[`n:${c}`] ?? 0, row[`sum:${c}`] ?? 0));
  const total = (field: 'n' | 'sum') => deskChannels.reduce((sum, c) => sum + (row[`${field}:${c}`] ?? 0), 0);
  return { all: line('all', 'All desk channels', total('n'), total('sum')), byChannel };
}

const callerBands = ['0', '1', '2', '3', '4', '5+'] as const;

/**
 * Work orders made in the period and the callers on them (requests not cancelled): every caller past the
 * first is a report that joined work already there instead of making more.
 */
function callersPerWorkOrder(db: Reader, scope: Scope) {
  const conditions = [sql`w.created_at >= ${scope.period.start}`, sql`w.created_at < ${scope.period.end}`, sql`+w.duplicate_of_id IS NULL`, ...workOrderPlaceConditions(scope.places, 'checked')];
  const row = db.get<Record<string, number | null>>(sql`
    WITH counted AS MATERIALIZED (
      SELECT (SELECT count(*) FROM customer_requests r WHERE r.work_order_id = w.id AND r.status <> 'cancelled') AS c
      FROM work_orders w WHERE ${where(conditions)})
    SELECT count(*) AS workOrders, sum(c) AS callers, sum(max(c - 1, 0)) AS joined,
      sum(c = 0) AS "0", sum(c = 1) AS "1", sum(c = 2) AS "2", sum(c = 3) AS "3", sum(c = 4) AS "4", sum(c >= 5) AS "5+"
    FROM counted`)!;
  const workOrders = row.workOrders ?? 0;
  const callers = row.callers ?? 0;
  const distribution: Row[] = callerBands.map((band) => ({ key: band, name: band === '1' ? '1 caller' : `${band} callers`, count: row[band] ?? 0 }));
  return { workOrders, callers, duplicatesAvoided: row.joined ?? 0, callersPerWorkOrder: workOrders === 0 ? null : callers / workOrders, distribution };
}

/** What is still owed now (whatever the period): how many, since when, and by age. */
function owed(db: Reader, since: SQL, now: Date) {
  const at = now.toISOString();
  const age = sql`julianday(${at}) - julianday(o.since)`;
  const bands = ageBands.map((band, i) => {
    const above = i === 0 ? sql`1` : sql`${age} >= ${ageBands[i - 1]!.below}`;
    const below = band.below === null ? sql`1` : sql`${age} < ${band.below}`;
    return sql`sum(${above} AND ${below}) AS ${sql.identifier(band.key)}`;
  });
  const row = db.get<Record<string, number | string | null>>(sql`SELECT count(*) AS n, min(o.since) AS oldest, ${sql.join(bands, sql`, `)} FROM (${since}) o`)!;
  const oldest = row.oldest as string | null;
  return {
    count: row.n as number,
    oldestSince: oldest,
    oldestDays: oldest === null ? null : Math.floor((now.getTime() - Date.parse(oldest)) / 86_400_000),
    ages: ageBands.map((band): Row => ({ key: band.key, name: band.name, count: (row[band.key] as number | null) ?? 0 })),
  };
}

export function deskReport(db: Reader, query: DeskQuery, now = new Date()) {
  const scope = scopeOf(db, query, now);
  const conditions = requestConditions(scope, query);
  return {
    range: rangeOf(scope.period),
    asOf: now.toISOString(),
    informationRequests: firstContact(db, conditions),
    contactLength: contactLength(db, conditions),
    workOrders: callersPerWorkOrder(db, scope),
    repliesOwed: owed(db, sql`SELECT coalesce(ended_at, started_at) AS since FROM customer_requests WHERE status = 'awaiting_reply'`, now),
    answersOwed: owed(db, sql`SELECT created_at AS since FROM answers_owed WHERE status = 'pending'`, now),
  };
}

export type DeskReport = ReturnType<typeof deskReport>;
