// Every table of every report as CSV: RFC 4180 quoting (csv-stringify), CRLF line ends, UTF-8 with a
// byte-order mark so Excel reads "Łódź" and "Ñuñoa" as written. A text cell that a spreadsheet would run
// as a formula (=, +, -, @ first: a search typed on the public portal can be anything) starts with an
// apostrophe, as OWASP advises for CSV injection.
import { stringify } from 'csv-stringify/sync';
import type { DeskReport } from './desk.ts';
import type { KnowledgeBaseReport } from './knowledge-base.ts';
import type { Row } from './names.ts';
import type { ServiceLevelReport } from './service-levels.ts';
import type { VolumeReport } from './volumes.ts';

interface Column<T> {
  header: string;
  value: (row: T) => string | number | null;
}

/** A table ready to write: its header and its records. */
export interface Sheet {
  header: string[];
  records: (string | number | null)[][];
}

const table = <T>(rows: T[], columns: Column<T>[]): Sheet => ({ header: columns.map((c) => c.header), records: rows.map((row) => columns.map((c) => c.value(row))) });
const col = <T>(header: string, value: (row: T) => string | number | null): Column<T> => ({ header, value });
const breakdown = (rows: Row[], what: string) => table(rows, [col<Row>(what, (r) => r.name), col('Code', (r) => r.key), col('Requests', (r) => r.count)]);
const figures = (pairs: [string, string | number | null][]) => table(pairs, [col('Figure', (p) => p[0]), col('Value', (p) => p[1])]);
const share = (value: number | null) => (value === null ? null : Number(value.toFixed(4)));

export const volumeTables = {
  series: (r: VolumeReport) =>
    table(r.series, [col('Bucket starts', (p) => p.bucket), col('Requests', (p) => p.total), col('Information', (p) => p.information), col('Action', (p) => p.action), col('Comment', (p) => p.comment)]),
  type: (r: VolumeReport) => breakdown(r.byType, 'Type'),
  channel: (r: VolumeReport) => breakdown(r.byChannel, 'Channel'),
  'comment-kind': (r: VolumeReport) => breakdown(r.commentsByKind, 'Comment kind'),
  department: (r: VolumeReport) => breakdown(r.byDepartment, 'Department'),
  provider: (r: VolumeReport) => breakdown(r.byProvider, 'Provider'),
  category: (r: VolumeReport) => breakdown(r.byCategory, 'Category'),
  'problem-code': (r: VolumeReport) => breakdown(r.byProblemCode, 'Problem code'),
};

type Completion = ServiceLevelReport['byProvider'][number];
const completion = (rows: Completion[], what: string) =>
  table(rows, [
    col<Completion>(what, (r) => r.name),
    col('Code', (r) => r.key),
    col('Completed', (r) => r.completed),
    col('Median hours', (r) => r.medianHours),
    col('90th percentile hours', (r) => r.p90Hours),
    col('On time', (r) => r.onTime),
    col('Share on time', (r) => share(r.onTimeShare)),
  ]);

export const serviceLevelTables = {
  summary: (r: ServiceLevelReport) =>
    figures([
      ['Work orders opened', r.opened],
      ['Work orders completed', r.completed],
      ['Completed on time', r.completedOnTime],
      ['Share completed on time', share(r.onTimeShare)],
      ['Work orders cancelled', r.cancelled],
      [`Open now (${r.asOf})`, r.openNow],
      [`Overdue now (${r.asOf})`, r.overdueNow],
    ]),
  series: (r: ServiceLevelReport) => table(r.series, [col('Bucket starts', (p) => p.bucket), col('Opened', (p) => p.opened), col('Completed', (p) => p.completed)]),
  'problem-code': (r: ServiceLevelReport) => completion(r.byProblemCode, 'Problem code'),
  provider: (r: ServiceLevelReport) => completion(r.byProvider, 'Provider'),
};

type Length = DeskReport['contactLength']['byChannel'][number];

export const deskTables = {
  summary: (r: DeskReport) =>
    figures([
      ['Information requests handled', r.informationRequests.handled],
      ['Resolved at first contact', r.informationRequests.resolvedAtFirstContact],
      ['First-contact resolution rate', share(r.informationRequests.rate)],
      ['Converted from information to action', r.informationRequests.converted],
      ['Desk contacts timed', r.contactLength.all.requests],
      ['Average contact length (seconds)', r.contactLength.all.averageSeconds],
      ['Work orders made', r.workOrders.workOrders],
      ['Callers on them', r.workOrders.callers],
      ['Duplicate reports joined to existing work', r.workOrders.duplicatesAvoided],
      ['Callers per work order', r.workOrders.callersPerWorkOrder === null ? null : Number(r.workOrders.callersPerWorkOrder.toFixed(4))],
      [`Replies owed now (${r.asOf})`, r.repliesOwed.count],
      ['Oldest reply owed since', r.repliesOwed.oldestSince],
      [`Answers owed now (${r.asOf})`, r.answersOwed.count],
      ['Oldest answer owed since', r.answersOwed.oldestSince],
    ]),
  'contact-length': (r: DeskReport) =>
    table([r.contactLength.all, ...r.contactLength.byChannel], [col<Length>('Channel', (l) => l.name), col('Contacts', (l) => l.requests), col('Average seconds', (l) => l.averageSeconds)]),
  callers: (r: DeskReport) => table(r.workOrders.distribution, [col<Row>('Callers', (b) => b.key), col('Work orders', (b) => b.count)]),
  'replies-owed': (r: DeskReport) => table(r.repliesOwed.ages, [col<Row>('Waiting', (b) => b.name), col('Replies owed', (b) => b.count)]),
  'answers-owed': (r: DeskReport) => table(r.answersOwed.ages, [col<Row>('Waiting', (b) => b.name), col('Answers owed', (b) => b.count)]),
};

type Used = KnowledgeBaseReport['mostUsed'][number];
type Rated = KnowledgeBaseReport['worstRated'][number];
type Miss = KnowledgeBaseReport['searchMisses'][number];

export const knowledgeBaseTables = {
  'most-used': (r: KnowledgeBaseReport) => table(r.mostUsed, [col<Used>('Article', (a) => a.title), col('Slug', (a) => a.slug), col('Uses', (a) => a.uses), col('Views', (a) => a.views)]),
  'worst-rated': (r: KnowledgeBaseReport) =>
    table(r.worstRated, [
      col<Rated>('Article', (a) => a.title),
      col('Slug', (a) => a.slug),
      col('Ratings', (a) => a.ratings),
      col('Useful', (a) => a.useful),
      col('Not useful', (a) => a.notUseful),
      col('Share useful', (a) => share(a.usefulShare)),
    ]),
  'search-misses': (r: KnowledgeBaseReport) =>
    table(r.searchMisses, [col<Miss>('Search', (m) => m.query), col('Searches', (m) => m.searches), col('Desk', (m) => m.desk), col('Portal', (m) => m.portal), col('Last searched', (m) => m.lastAt)]),
};

/** A text a spreadsheet would take for a formula, made plain text. */
const defused = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

export function toCsv({ header, records }: Sheet): string {
  return stringify([header, ...records], { bom: true, record_delimiter: 'windows', cast: { string: defused } });
}
