// Loads an address file (OpenAddresses layout) and, optionally, its aliases into the registry:
// `npm run import-addresses -- addresses.csv [--aliases aliases.csv] [--database file.db]`.
// Bad rows are listed with their line numbers and left out; the good ones are loaded. Running the
// same files again changes nothing. Exit code: 0 when it ran (rejected rows or not), 1 when a file
// cannot be read or has no usable header (nothing is loaded then), 2 on wrong usage.
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { sql } from 'drizzle-orm';
import { closeDatabase, openDatabase, type Db } from '../db/connection.ts';
import { addressColumns, checkHeader, importAddressAliases, importAddresses, type ImportProgress, type LineProblem } from '../server/addresses/import.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { DomainError } from '../server/errors.ts';

const usage = `usage: npm run import-addresses -- <addresses.csv> [--aliases <aliases.csv>] [--database <file>]
  <addresses.csv>  columns ${addressColumns.join(',')} (OpenAddresses), header first
  --aliases        a file of ADDRESS_ID,ALIAS rows, ADDRESS_ID being the ID column of the addresses
  --database       the SQLite file to load into (default: DATABASE_PATH, as for npm start)`;

/** How many rejected rows are listed; the rest are counted. */
const shownProblems = 20;
const count = (n: number) => n.toLocaleString('en-US');

/** A progress bar on a terminal; nothing otherwise (the summary lines say what happened). */
function progressFor(file: string): { onProgress?: (p: ImportProgress) => void; done: () => void } {
  if (!process.stderr.isTTY) return { done: () => undefined };
  const bar = new SingleBar(
    { format: `${basename(file)} [{bar}] {percentage}% | {rows} rows | {eta_formatted} left`, stream: process.stderr, hideCursor: true, etaBuffer: 20 },
    Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: ({ bytesRead, totalBytes, rows }) => {
      if (!started) bar.start(totalBytes ?? bytesRead, 0, { rows: '0' });
      started = true;
      bar.update(Math.min(bytesRead, totalBytes ?? bytesRead), { rows: count(rows) });
    },
    done: () => {
      if (started) bar.stop();
    },
  };
}

function listProblems(file: string, rejected: number, problems: LineProblem[]): void {
  if (rejected === 0) return;
  console.error(`Rejected in ${basename(file)}:`);
  for (const p of problems.slice(0, shownProblems)) console.error(`  line ${p.line}: ${p.message}`);
  if (rejected > Math.min(problems.length, shownProblems)) console.error(`  … and ${count(rejected - Math.min(problems.length, shownProblems))} more`);
}

function totals(db: Db): { addresses: number; aliases: number } {
  return db.get<{ addresses: number; aliases: number }>(sql`SELECT (SELECT count(*) FROM addresses) AS addresses, (SELECT count(*) FROM address_aliases) AS aliases`)!;
}

function readArgs() {
  return parseArgs({ allowPositionals: true, options: { aliases: { type: 'string' }, database: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } });
}

async function main(): Promise<number> {
  let args: ReturnType<typeof readArgs>;
  try {
    args = readArgs();
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0 || values.aliases === '' || values.database === '') {
    console.error(usage);
    return 2;
  }
  const databasePath = values.database ?? loadConfig().DATABASE_PATH;

  // Both files are checked before the database is opened: a wrong path or header loads nothing.
  try {
    await checkHeader(file, 'addresses');
    if (values.aliases !== undefined) await checkHeader(values.aliases, 'aliases');
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  const db = openDatabase(databasePath);
  try {
    const progress = progressFor(file);
    const addresses = await importAddresses(db, file, { onProgress: progress.onProgress, maxProblems: shownProblems });
    progress.done();
    console.log(
      `${basename(file)}: ${count(addresses.rows)} rows: ${count(addresses.created)} created, ${count(addresses.updated)} updated, ${count(addresses.unchanged)} unchanged, ${count(addresses.rejected)} rejected`,
    );
    listProblems(file, addresses.rejected, addresses.problems);
    let changed = addresses.created + addresses.updated;

    if (values.aliases !== undefined) {
      const aliasProgress = progressFor(values.aliases);
      const aliases = await importAddressAliases(db, values.aliases, { onProgress: aliasProgress.onProgress, maxProblems: shownProblems });
      aliasProgress.done();
      console.log(`${basename(values.aliases)}: ${count(aliases.rows)} rows: ${count(aliases.created)} created, ${count(aliases.unchanged)} unchanged, ${count(aliases.rejected)} rejected`);
      listProblems(values.aliases, aliases.rejected, aliases.problems);
      changed += aliases.created;
    }

    const now = totals(db);
    if (changed === 0) console.log(`Nothing changed: the registry already had everything in the file${values.aliases === undefined ? '' : 's'}.`);
    console.log(`The registry in ${databasePath} has ${count(now.addresses)} addresses and ${count(now.aliases)} aliases.`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    closeDatabase(db);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
