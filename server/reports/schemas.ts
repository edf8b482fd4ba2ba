import { channels, requestTypes } from '../../db/schema/intake.ts';
import { intervals } from './calendar.ts';
import { deskTables, knowledgeBaseTables, serviceLevelTables, volumeTables } from './csv.ts';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const numOrNull = { type: ['number', 'null'] } as const;
const code = { type: 'string', minLength: 1, maxLength: 40 } as const;
const date = { type: 'string', format: 'date' } as const;

const period = {
  from: { ...date, description: 'a real date, YYYY-MM-DD: the first day of the period, in the city (default: 29 days before `to`)' },
  to: { ...date, description: 'a real date, YYYY-MM-DD: the last day of the period, included (default: today in the city)' },
  interval: { type: 'string', enum: intervals, default: 'day', description: 'the buckets of the time series; weeks start on Monday (ISO 8601)' },
} as const;
const place = {
  department: { ...code, description: "a department's code: its problem codes' requests, and the work orders it is responsible for" },
  provider: { ...code, description: "a service provider's code" },
  category: { ...code, description: "a service category's code" },
  problemCode: { ...code, description: 'a problem code' },
} as const;
const channel = { type: 'string', enum: channels } as const;

const query = <P extends object>(properties: P) => ({ type: 'object', additionalProperties: false, properties }) as const;

export const volumeQuery = query({ ...period, ...place, channel, type: { type: 'string', enum: requestTypes } } as const);
export const serviceLevelQuery = query({ ...period, ...place });
export const deskQuery = query({ ...period, ...place, channel });
export const knowledgeBaseQuery = query({ ...period, limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 } } as const);

const tableOf = <T extends object>(tables: T) => ({ table: { type: 'string', enum: Object.keys(tables) as (keyof T & string)[], description: 'which table of the report' } }) as const;
const csvQuery = <P extends object, T extends object>(properties: P, tables: T) =>
  ({ type: 'object', additionalProperties: false, required: ['table'], properties: { ...properties, ...tableOf(tables) } }) as const;

export const volumeCsvQuery = csvQuery(volumeQuery.properties, volumeTables);
export const serviceLevelCsvQuery = csvQuery(serviceLevelQuery.properties, serviceLevelTables);
export const deskCsvQuery = csvQuery(deskQuery.properties, deskTables);
export const knowledgeBaseCsvQuery = csvQuery(knowledgeBaseQuery.properties, knowledgeBaseTables);

export const csvResponse = { content: { 'text/csv': { schema: { type: 'string', description: 'RFC 4180 CSV in UTF-8 with a byte-order mark' } } } } as const;

const object = <P extends object>(properties: P) => ({ type: 'object', additionalProperties: false, required: Object.keys(properties), properties }) as const;
const list = <S extends object>(items: S) => ({ type: 'array', items }) as const;

const range = object({ from: str, to: str, interval: str, timeZone: str, start: str, end: str });
const row = object({ key: str, name: str, count: int });
const rows = list(row);
const owed = object({ count: int, oldestSince: strOrNull, oldestDays: { type: ['integer', 'null'] }, ages: rows });

export const volumeResponse = object({
  range,
  total: int,
  cancelled: int,
  byType: rows,
  byChannel: rows,
  commentsByKind: rows,
  series: list(object({ bucket: str, total: int, information: int, action: int, comment: int })),
  byDepartment: rows,
  byProvider: rows,
  byCategory: rows,
  byProblemCode: rows,
});

const completion = list(object({ key: str, name: str, completed: int, medianHours: num, p90Hours: num, onTime: int, onTimeShare: num }));

export const serviceLevelResponse = object({
  range,
  asOf: str,
  opened: int,
  completed: int,
  completedOnTime: int,
  onTimeShare: numOrNull,
  cancelled: int,
  openNow: int,
  overdueNow: int,
  series: list(object({ bucket: str, opened: int, completed: int })),
  byProblemCode: completion,
  byProvider: completion,
});

const length = object({ key: str, name: str, requests: int, averageSeconds: { type: ['integer', 'null'] } });

export const deskResponse = object({
  range,
  asOf: str,
  informationRequests: object({ handled: int, resolvedAtFirstContact: int, rate: numOrNull, converted: int }),
  contactLength: object({ all: length, byChannel: list(length) }),
  workOrders: object({ workOrders: int, callers: int, duplicatesAvoided: int, callersPerWorkOrder: numOrNull, distribution: rows }),
  repliesOwed: owed,
  answersOwed: owed,
});

export const knowledgeBaseResponse = object({
  range,
  mostUsed: list(object({ slug: str, title: str, uses: int, views: int })),
  worstRated: list(object({ slug: str, title: str, ratings: int, useful: int, notUseful: int, usefulShare: num })),
  searchMisses: list(object({ query: str, searches: int, desk: int, portal: int, lastAt: str })),
});
