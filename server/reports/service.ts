// Reports for the desk's managers and dispatchers: volumes, service levels, the desk, the knowledge base.
// Each figure is computed by SQL over the records when it is asked for (no totals kept on the side), for
// a period of the city's own dates; each table of each report is also a CSV.
import { deskTables, knowledgeBaseTables, serviceLevelTables, toCsv, volumeTables, type Sheet } from './csv.ts';
import { deskReport, type DeskQuery } from './desk.ts';
import type { Reader } from './filters.ts';
import { knowledgeBaseReport, type KnowledgeBaseQuery } from './knowledge-base.ts';
import { serviceLevelReport, type ServiceLevelQuery } from './service-levels.ts';
import { volumeReport, type VolumeQuery } from './volumes.ts';

export { deskReport, knowledgeBaseReport, serviceLevelReport, volumeReport };

interface Made {
  range: { from: string; to: string };
}

/** One table of a report as CSV: the report is made as for the dashboard, then the table written out. */
function csvOf<Q, R extends Made, T extends string>(report: (db: Reader, query: Q) => R, tables: Record<T, (report: R) => Sheet>) {
  return (db: Reader, query: Q & { table: T }) => {
    const { table, ...rest } = query;
    const made = report(db, rest as Q);
    return { csv: toCsv(tables[table](made)), range: made.range };
  };
}

export const volumeCsv = csvOf((db, query: VolumeQuery) => volumeReport(db, query), volumeTables);
export const serviceLevelCsv = csvOf((db, query: ServiceLevelQuery) => serviceLevelReport(db, query), serviceLevelTables);
export const deskCsv = csvOf((db, query: DeskQuery) => deskReport(db, query), deskTables);
export const knowledgeBaseCsv = csvOf((db, query: KnowledgeBaseQuery) => knowledgeBaseReport(db, query), knowledgeBaseTables);
