// Loads address files in the OpenAddresses layout (LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,
// POSTCODE,ID) and alias files (ADDRESS_ID,ALIAS) into the registry. Files are streamed, never read
// whole, and written in batches, one transaction each. A bad row is reported with its line number
// and why; the good ones are loaded. A second run of the same file changes nothing: an address is
// known by its number, street, unit and postcode, and is only written when something differs.
import { statSync, createReadStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type CsvError, type Options, parse } from 'csv-parse';
import type { Db } from '../../db/connection.ts';
import { DomainError } from '../errors.ts';
import { addressSearchText, reindexAddress } from './search.ts';
import type { AddressParts } from './service.ts';

const seedDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'db', 'seed');
export const sampleAddressesFile = join(seedDir, 'sample-city-addresses.csv');
export const sampleAliasesFile = join(seedDir, 'sample-city-address-aliases.csv');

export const addressColumns = ['LON', 'LAT', 'NUMBER', 'STREET', 'UNIT', 'CITY', 'DISTRICT', 'REGION', 'POSTCODE', 'ID'] as const;
/** Without these a row is not an address; the others are taken as empty when the file lacks them. */
const requiredAddressColumns = ['LON', 'LAT', 'NUMBER', 'STREET'] as const;
export const aliasColumns = ['ADDRESS_ID', 'ALIAS'] as const;

/** A path, or a stream of CSV text (tests, uploads). */
export type CsvSource = string | Readable;

export interface LineProblem {
  /** The line of the file the row starts on; the header is line 1. */
  line: number;
  message: string;
}

export interface ImportProgress {
  bytesRead: number;
  /** The file's size, when the source is a file. */
  totalBytes: number | null;
  /** Rows read so far, the header not counted. */
  rows: number;
}

export interface ImportOptions {
  /** Rows per transaction. */
  batchSize?: number;
  /** How many problems are kept to show (all are counted). */
  maxProblems?: number;
  /** Called after each batch is written, and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface AddressImportSummary {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first `maxProblems` rejected rows, by line. */
  problems: LineProblem[];
}

export interface AliasImportSummary {
  rows: number;
  created: number;
  unchanged: number;
  rejected: number;
  problems: LineProblem[];
}

const defaultBatchSize = 2000;
const defaultMaxProblems = 1000;
const maxLengths: Record<string, number> = { NUMBER: 20, STREET: 200, UNIT: 50, CITY: 100, DISTRICT: 100, REGION: 100, POSTCODE: 20, ID: 100, ADDRESS_ID: 100, ALIAS: 200 };

type Item = { line: number; fields: string[]; problem?: undefined } | { line: number; fields?: undefined; problem: string };

const nameOf = (source: CsvSource) => (typeof source === 'string' ? basename(source) : 'the file');

function unreadable(source: CsvSource, error: NodeJS.ErrnoException): DomainError {
  const why: Record<string, string> = { ENOENT: 'there is no such file', EACCES: 'permission denied', EISDIR: 'it is a folder, not a file' };
  return new DomainError('BAD_REQUEST', `${typeof source === 'string' ? source : 'The file'} cannot be read: ${why[error.code ?? ''] ?? error.message}`);
}

function describeCsvError(error: CsvError | undefined): string {
  if (error?.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field is not closed: the rest of the file was read as part of it';
  if (error?.code === 'CSV_MAX_RECORD_SIZE') return 'the row is too long to be an address';
  return `the row cannot be read as CSV (${(error?.message ?? 'unknown error').replace(/ at line \d+.*$/, '')})`;
}

const lineBreaks = (raw: string | undefined) => raw?.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * The rows of a CSV source with the line each starts on, in order; rows CSV cannot read come as
 * problems, in their place. Empty lines are skipped. Line numbers are counted from each row's raw
 * text, so quoted line breaks and CRLF files count as an editor would show them.
 */
function readCsv(source: CsvSource, progress: { bytesRead: number }): AsyncIterable<Item> {
  let nextLine = 1;
  const broken: Item[] = [];
  const options: Options<{ line: number; fields: string[] }, { record: string[]; raw: string }> = {
    bom: true,
    raw: true,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: 100_000,
    skip_records_with_error: true,
    on_record: ({ record, raw }) => {
      const line = nextLine;
      nextLine += lineBreaks(raw);
      if (record.every((field) => field.trim() === '')) return null;
      return { line, fields: record };
    },
    on_skip: (error, raw) => {
      broken.push({ line: nextLine, problem: describeCsvError(error) });
      nextLine += lineBreaks(raw);
      return undefined;
    },
  };
  // csv-parse's overloads type options for plain string[] records; with raw and on_record set, the
  // records are what `options` says.
  const parser = parse(options as unknown as Options);
  return {
    async *[Symbol.asyncIterator]() {
      const input = typeof source === 'string' ? createReadStream(source) : source;
      input.on('data', (chunk: Buffer | string) => (progress.bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length));
      input.on('error', (error: Error) => parser.destroy(error));
      input.pipe(parser);
      try {
        for await (const item of parser as AsyncIterable<{ line: number; fields: string[] }>) {
          while (broken.length > 0 && broken[0]!.line < item.line) yield broken.shift()!;
          yield item;
        }
        yield* broken.splice(0);
      } finally {
        input.unpipe(parser);
        input.destroy();
        parser.destroy();
      }
    },
  };
}

/** Where each wanted column is in the header (case and spaces ignored), -1 when absent. */
function columnsOf<C extends string>(source: CsvSource, header: Item | undefined, wanted: readonly C[], required: readonly C[], layout: string): Record<C, number> {
  const name = nameOf(source);
  if (!header) throw new DomainError('BAD_REQUEST', `${name} is empty: the first line must be the header, ${layout}.`);
  if (!header.fields) throw new DomainError('BAD_REQUEST', `${name}: the header (line ${header.line}) cannot be read: ${header.problem}.`);
  const names = header.fields.map((f) => f.trim().toUpperCase());
  const twice = wanted.filter((c) => names.indexOf(c) !== names.lastIndexOf(c));
  if (twice.length) throw new DomainError('BAD_REQUEST', `${name}: the header names ${twice.join(', ')} more than once; nothing was loaded.`);
  const missing = required.filter((c) => !names.includes(c));
  if (missing.length) {
    throw new DomainError(
      'BAD_REQUEST',
      `${name}: the header has no ${missing.join(', ')} column${missing.length === 1 ? '' : 's'}; nothing was loaded. The first line must be the header, ${layout} (found: ${header.fields.slice(0, 12).join(',').slice(0, 200)}).`,
    );
  }
  return Object.fromEntries(wanted.map((c) => [c, names.indexOf(c)])) as Record<C, number>;
}

const addressLayout = `${addressColumns.join(',')} (OpenAddresses; ${requiredAddressColumns.join(', ')} required)`;
const aliasLayout = aliasColumns.join(',');

/**
 * Checks that a file can be read and starts with a usable header, reading no further; throws a
 * DomainError saying what is wrong. Lets a caller refuse bad files before anything is loaded.
 */
export async function checkHeader(source: CsvSource, kind: 'addresses' | 'aliases'): Promise<void> {
  await withReadErrors(source, async () => {
    for await (const header of readCsv(source, { bytesRead: 0 })) {
      if (kind === 'addresses') columnsOf(source, header, addressColumns, requiredAddressColumns, addressLayout);
      else columnsOf(source, header, aliasColumns, aliasColumns, aliasLayout);
      return;
    }
    if (kind === 'addresses') columnsOf(source, undefined, addressColumns, requiredAddressColumns, addressLayout);
    else columnsOf(source, undefined, aliasColumns, aliasColumns, aliasLayout);
  });
}

async function withReadErrors<T>(source: CsvSource, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error && 'syscall' in error) throw unreadable(source, error as NodeJS.ErrnoException);
    throw error;
  }
}

function sizeOf(source: CsvSource): number | null {
  if (typeof source !== 'string') return null;
  try {
    const stat = statSync(source);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR', syscall: 'open' });
    return stat.size;
  } catch (error) {
    throw unreadable(source, error as NodeJS.ErrnoException);
  }
}

const clean = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
const decimal = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function coordinate(name: 'LON' | 'LAT', text: string, limit: number, problems: string[]): number {
  if (text === '') {
    problems.push(`${name} is empty`);
    return NaN;
  }
  const value = decimal.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value)) problems.push(`${name} ${JSON.stringify(text)} is not a number`);
  else if (Math.abs(value) > limit) problems.push(`${name} ${text} is out of range (−${limit} to ${limit})`);
  return value;
}

interface AddressRow extends AddressParts {
  sourceId: string | null;
  latitude: number;
  longitude: number;
}

/** The address a row describes, or what is wrong with it. */
function addressOf(fields: string[], columns: Record<(typeof addressColumns)[number], number>, width: number): AddressRow | string[] {
  if (fields.length !== width) return [`has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${width}`];
  const problems: string[] = [];
  const text = (c: (typeof addressColumns)[number]) => {
    const value = columns[c] < 0 ? '' : clean(fields[columns[c]]);
    if (value.length > maxLengths[c]!) problems.push(`${c} is longer than ${maxLengths[c]} characters`);
    return value;
  };
  const longitude = coordinate('LON', text('LON'), 180, problems);
  const latitude = coordinate('LAT', text('LAT'), 90, problems);
  if (longitude === 0 && latitude === 0) problems.push('LON and LAT are 0, 0: a placeholder, not a place');
  const row: AddressRow = {
    number: text('NUMBER'),
    street: text('STREET'),
    unit: text('UNIT'),
    city: text('CITY'),
    district: text('DISTRICT'),
    region: text('REGION'),
    postcode: text('POSTCODE'),
    sourceId: text('ID') || null,
    latitude,
    longitude,
  };
  if (row.number === '') problems.push('NUMBER is empty');
  if (row.street === '') problems.push('STREET is empty');
  return problems.length ? problems : row;
}

let importCounter = 0;

/** The statements one address import uses, on the database's own connection for speed per row. */
function addressWriter(db: Db) {
  const client = db.$client;
  // The addresses written or matched by this run, so a row repeating an earlier one is reported
  // (and a second run stays a no-op) without holding a million keys in memory.
  const seenTable = `temp.address_import_seen_${++importCounter}`;
  client.exec(`CREATE TABLE ${seenTable} (id INTEGER PRIMARY KEY, line INTEGER NOT NULL)`);
  const statements = {
    byKey: client.prepare<[string, string, string, string], { id: number; sourceId: string | null; city: string; district: string; region: string; latitude: number; longitude: number }>(`
      SELECT id, source_id AS sourceId, city, district, region, latitude, longitude FROM addresses
      WHERE number = ? AND street = ? AND unit = ? AND postcode = ?`),
    insert: client.prepare(`
      INSERT INTO addresses (source_id, number, street, unit, city, district, region, postcode, latitude, longitude, created_at, updated_at)
      VALUES (@sourceId, @number, @street, @unit, @city, @district, @region, @postcode, @latitude, @longitude, @now, @now)`),
    update: client.prepare(`
      UPDATE addresses SET source_id = @sourceId, city = @city, district = @district, region = @region,
        latitude = @latitude, longitude = @longitude, updated_at = @now WHERE id = @id`),
    aliases: client.prepare<[number], { alias: string }>(`SELECT alias FROM address_aliases WHERE address_id = ? ORDER BY alias`),
    unindex: client.prepare<[number]>(`DELETE FROM address_search WHERE rowid = ?`),
    index: client.prepare<[number, string]>(`INSERT INTO address_search (rowid, text) VALUES (?, ?)`),
    seen: client.prepare<[number], { line: number }>(`SELECT line FROM ${seenTable} WHERE id = ?`),
    see: client.prepare<[number, number]>(`INSERT INTO ${seenTable} (id, line) VALUES (?, ?)`),
  };
  return { statements, close: () => client.exec(`DROP TABLE IF EXISTS ${seenTable}`) };
}

function keepProblem(summary: { rejected: number; problems: LineProblem[] }, max: number, line: number, messages: string | string[]): void {
  summary.rejected++;
  if (summary.problems.length < max) summary.problems.push({ line, message: typeof messages === 'string' ? messages : messages.join('; ') });
}

/** Loads an OpenAddresses file into the registry. Throws a DomainError when the file cannot be used at all. */
export async function importAddresses(db: Db, source: CsvSource, options: ImportOptions = {}): Promise<AddressImportSummary> {
  const batchSize = options.batchSize ?? defaultBatchSize;
  const maxProblems = options.maxProblems ?? defaultMaxProblems;
  const progress = { bytesRead: 0, totalBytes: sizeOf(source) };
  const summary: AddressImportSummary = { rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, problems: [] };
  let columns: Record<(typeof addressColumns)[number], number> | undefined;
  let width = 0;
  let writer: ReturnType<typeof addressWriter> | undefined;
  const batch: Item[] = [];

  const write = () => {
    const { statements: s } = (writer ??= addressWriter(db));
    const now = new Date().toISOString();
    db.transaction(() => {
      for (const item of batch) {
        if (item.problem !== undefined) {
          keepProblem(summary, maxProblems, item.line, item.problem);
          continue;
        }
        const row = addressOf(item.fields, columns!, width);
        if (Array.isArray(row)) {
          keepProblem(summary, maxProblems, item.line, row);
          continue;
        }
        const found = s.byKey.get(row.number, row.street, row.unit, row.postcode);
        if (!found) {
          const id = Number(s.insert.run({ ...row, now }).lastInsertRowid);
          s.index.run(id, addressSearchText(row, []));
          s.see.run(id, item.line);
          summary.created++;
          continue;
        }
        const earlier = s.seen.get(found.id);
        if (earlier) {
          keepProblem(summary, maxProblems, item.line, `repeats line ${earlier.line} (the same NUMBER, STREET, UNIT and POSTCODE)`);
          continue;
        }
        s.see.run(found.id, item.line);
        const same =
          found.sourceId === row.sourceId && found.city === row.city && found.district === row.district && found.region === row.region && found.latitude === row.latitude && found.longitude === row.longitude;
        if (same) {
          summary.unchanged++;
          continue;
        }
        s.update.run({ ...row, now, id: found.id });
        s.unindex.run(found.id);
        s.index.run(found.id, addressSearchText(row, s.aliases.all(found.id).map((a) => a.alias)));
        summary.updated++;
      }
    });
    batch.length = 0;
    options.onProgress?.({ ...progress, rows: summary.rows });
  };

  try {
    await withReadErrors(source, async () => {
      for await (const item of readCsv(source, progress)) {
        if (!columns) {
          columns = columnsOf(source, item, addressColumns, requiredAddressColumns, addressLayout);
          width = item.fields!.length;
          continue;
        }
        summary.rows++;
        batch.push(item);
        if (batch.length >= batchSize) write();
      }
    });
    if (!columns) columnsOf(source, undefined, addressColumns, requiredAddressColumns, addressLayout);
    write();
  } finally {
    writer?.close();
  }
  summary.problems.sort((a, b) => a.line - b.line);
  return summary;
}

/**
 * Loads aliases ("City Hall") from an ADDRESS_ID,ALIAS file, ADDRESS_ID being the ID column of the
 * address file. An alias already there (in any letter case) is left as it is; none is removed.
 */
export async function importAddressAliases(db: Db, source: CsvSource, options: ImportOptions = {}): Promise<AliasImportSummary> {
  const batchSize = options.batchSize ?? defaultBatchSize;
  const maxProblems = options.maxProblems ?? defaultMaxProblems;
  const progress = { bytesRead: 0, totalBytes: sizeOf(source) };
  const summary: AliasImportSummary = { rows: 0, created: 0, unchanged: 0, rejected: 0, problems: [] };
  const client = db.$client;
  const bySource = client.prepare<[string], { id: number }>(`SELECT id FROM addresses WHERE source_id = ? LIMIT 2`);
  const existing = client.prepare<[number, string], { id: number }>(`SELECT id FROM address_aliases WHERE address_id = ? AND lower(alias) = lower(?)`);
  const insert = client.prepare<[number, string]>(`INSERT INTO address_aliases (address_id, alias) VALUES (?, ?)`);
  let columns: Record<(typeof aliasColumns)[number], number> | undefined;
  let width = 0;
  const batch: Item[] = [];

  const write = () => {
    db.transaction((tx) => {
      for (const item of batch) {
        if (item.problem !== undefined) {
          keepProblem(summary, maxProblems, item.line, item.problem);
          continue;
        }
        if (item.fields.length !== width) {
          keepProblem(summary, maxProblems, item.line, `has ${item.fields.length} field${item.fields.length === 1 ? '' : 's'}, the header has ${width}`);
          continue;
        }
        const sourceId = clean(item.fields[columns!.ADDRESS_ID]);
        const alias = clean(item.fields[columns!.ALIAS]);
        const problems: string[] = [];
        if (sourceId === '') problems.push('ADDRESS_ID is empty');
        if (alias === '') problems.push('ALIAS is empty');
        else if (alias.length > maxLengths.ALIAS!) problems.push(`ALIAS is longer than ${maxLengths.ALIAS} characters`);
        const ids = sourceId === '' ? [] : bySource.all(sourceId);
        if (sourceId !== '' && ids.length === 0) problems.push(`ADDRESS_ID ${JSON.stringify(sourceId)} is not in the registry`);
        if (ids.length > 1) problems.push(`ADDRESS_ID ${JSON.stringify(sourceId)} names more than one address`);
        if (problems.length) {
          keepProblem(summary, maxProblems, item.line, problems);
          continue;
        }
        const addressId = ids[0]!.id;
        if (existing.get(addressId, alias)) {
          summary.unchanged++;
          continue;
        }
        insert.run(addressId, alias);
        reindexAddress(tx, addressId);
        summary.created++;
      }
    });
    batch.length = 0;
    options.onProgress?.({ ...progress, rows: summary.rows });
  };

  await withReadErrors(source, async () => {
    for await (const item of readCsv(source, progress)) {
      if (!columns) {
        columns = columnsOf(source, item, aliasColumns, aliasColumns, aliasLayout);
        width = item.fields!.length;
        continue;
      }
      summary.rows++;
      batch.push(item);
      if (batch.length >= batchSize) write();
    }
  });
  if (!columns) columnsOf(source, undefined, aliasColumns, aliasColumns, aliasLayout);
  write();
  summary.problems.sort((a, b) => a.line - b.line);
  return summary;
}

/** The sample city's registry (db/seed), loaded on the first demo start. */
export async function loadSampleAddresses(db: Db): Promise<{ addresses: AddressImportSummary; aliases: AliasImportSummary }> {
  const addresses = await importAddresses(db, sampleAddressesFile);
  const aliases = await importAddressAliases(db, sampleAliasesFile);
  return { addresses, aliases };
}
