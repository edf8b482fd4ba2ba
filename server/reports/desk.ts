// The desk: does the first person a caller reaches answer them (first-contact resolution), how long a
// contact takes, how much duplicate work the city was spared, and who is still owed a reply or an answer.
import { sql, type SQL } from 'drizzle-orm';
import type { Channel } from '../../db/schema/intake.ts';
import { deskChannels } from '../intake/service.ts';
import type { Interval } from './calendar.ts';
import { kindsJson, ofKind, rangeOf, requestsByKind, requestPlaceConditions, scopeOf, where, workOrderPlaceConditions, type PlaceQuery, type Reader, type Scope } from './filters.ts';
import { ageBands, channelNames, type Row } from './names.ts';

export interface DeskQuery extends PlaceQuery {
  from?: string;
  to?: string;
  interval?: Interval;
  channel?: Channel;
}

/** The requests counted besides their kind: not cancelled, under the places (checked on each row the index gives). */
const countedConditions = (scope: Scope): SQL[] => [sql`r.status <> 'cancelled'`, ...requestPlaceConditions(scope.places, 'checked')];
const inPeriod = (scope: Scope) => [sql`r.started_at >= ${scope.period.start}`, sql`r.started_at < ${scope.period.end}`];

/**
 * Information requests handled in the period: those the clerk closed, and those converted to action
 * requests because the caller wanted something done. Resolved at first contact: closed without a
 * conversion and not marked as needing another contact.
 */
function firstContact(db: Reader, scope: Scope, query: DeskQuery) {
  // Information requests of each channel (and comment kind, null), each a range of the kind index.
  const kinds = kindsJson({ channels: query.channel && [query.channel], types: ['information'] });
  const row = db.get<{ closed: number; resolved: number }>(sql`
    SELECT count(*) FILTER (WHERE r.status = 'closed') AS closed, count(*) FILTER (WHERE r.status = 'closed' AND r.resolved_at_first_contact = 1) AS resolved
    FROM json_each(${kinds}) k CROSS JOIN ${requestsByKind} ON ${where([ofKind, ...inPeriod(scope), ...countedConditions(scope)])}`)!;
  // A converted request is an action request (or, changed again before completion, a comment) now; the
  // converted index holds only converted requests, whatever their type.
  const converted = [...inPeriod(scope), sql`r.converted_at IS NOT NULL`, ...countedConditions(scope)];
  if (query.channel) converted.push(sql`+r.channel = ${query.channel}`);
  const convertedCount = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM customer_requests r WHERE ${where(converted)}`)!.n;
  const handled = row.closed + convertedCount;
  const resolved = row.resolved;
  return { handled, resolvedAtFirstContact: resolved, rate: handled === 0 ? null : resolved / handled, converted: convertedCount };
}

export interface ContactLength {
  key: string;
  name: string;
  requests: number;
  averageSeconds: number | null;
}

/** From the start of a desk contact (phone, e-mail, fax, walk-in, mail) to the clerk finishing it, per channel. */
function contactLength(db: Reader, scope: Scope, query: DeskQuery): { all: ContactLength; byChannel: ContactLength[] } {
  const asked = query.channel === undefined ? deskChannels : deskChannels.filter((c) => c === query.channel);
  // Each channel's kinds of request (type, comment kind) are ranges of the kind index, read one after another.
  const perChannel = asked.map(
    (channel) => sql`SELECT ${channel} AS channel, count(*) AS n, sum((julianday(r.ended_at) - julianday(r.started_at)) * 86400) AS seconds
      FROM json_each(${kindsJson({ channels: [channel] })}) k CROSS JOIN ${requestsByKind} ON ${where([ofKind, ...inPeriod(scope), ...countedConditions(scope), sql`r.ended_at IS NOT NULL`])}`,
  );
  const rows = perChannel.length === 0 ? [] : db.all<{ channel: Channel; n: number; seconds: number | null }>(sql.join(perChannel, sql` UNION ALL `));
  const found = new Map(rows.map((r) => [r.channel, r]));
  const line = (key: string, name: string, requests: number, seconds: number): ContactLength => ({ key, name, requests, averageSeconds: requests === 0 ? null : Math.round(seconds / requests) });
  const byChannel = deskChannels.map((c) => line(c, channelNames[c], found.get(c)?.n ?? 0, found.get(c)?.seconds ?? 0));
  const total = (field: 'n' | 'seconds') => rows.reduce((sum, r) => sum + (r[field] ?? 0), 0);
  return { all: line('all', 'All desk channels', total('n'), total('seconds')), byChannel };
}

const callerBands = ['0', '1', '2', '3', '4', '5+'] as const;

/**
 * Work orders made in the period and the callers on them (requests not cancelled): every caller past the
 * first is a report that joined work already there instead of making more.
 */
function callersPerWorkOrder(db: Reader, scope: Scope) {
  const conditions = [sql`w.created_at >= ${scope.period.start}`, sql`w.created_at < ${scope.period.end}`, sql`+w.duplicate_of_id IS NULL`, ...workOrderPlaceConditions(scope.places, 'checked')];
  // The callers of each work order, counted once per work order as the outer query reads them (LIMIT -1
  // keeps SQLite from copying the count into each sum, and from storing the counts first); one band
  // fewer than there are: the last is what the others leave.
  const row = db.get<{ workOrders: number; callers: number | null; '0': number; '1': number; '2': number; '3': number; '4': number }>(sql`
    SELECT count(*) AS workOrders, sum(c) AS callers, count(*) FILTER (WHERE c = 0) AS "0", count(*) FILTER (WHERE c = 1) AS "1",
      count(*) FILTER (WHERE c = 2) AS "2", count(*) FILTER (WHERE c = 3) AS "3", count(*) FILTER (WHERE c = 4) AS "4"
    FROM (SELECT (SELECT count(*) FROM customer_requests r WHERE r.work_order_id = w.id AND r.status <> 'cancelled') AS c
      FROM work_orders w WHERE ${where(conditions)} LIMIT -1)`)!;
  const { workOrders } = row;
  const callers = row.callers ?? 0;
  const fiveOrMore = workOrders - row['0'] - row['1'] - row['2'] - row['3'] - row['4'];
  const distribution: Row[] = callerBands.map((band) => ({ key: band, name: band === '1' ? '1 caller' : `${band} callers`, count: band === '5+' ? fiveOrMore : row[band] }));
  // Every caller past the first of a work order: all callers, less one for each work order that has any.
  const joined = callers - (workOrders - row['0']);
  return { workOrders, callers, duplicatesAvoided: joined, callersPerWorkOrder: workOrders === 0 ? null : callers / workOrders, distribution };
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
  return {
    range: rangeOf(scope.period),
    asOf: now.toISOString(),
    informationRequests: firstContact(db, scope, query),
    contactLength: contactLength(db, scope, query),
    workOrders: callersPerWorkOrder(db, scope),
    repliesOwed: owed(db, sql`SELECT coalesce(ended_at, started_at) AS since FROM customer_requests WHERE status = 'awaiting_reply'`, now),
    answersOwed: owed(db, sql`SELECT created_at AS since FROM answers_owed WHERE status = 'pending'`, now),
  };
}

export type DeskReport = ReturnType<typeof deskReport>;
