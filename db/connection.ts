// Opens the SQLite database: creates the file and its folder, sets the pragmas, applies migrations.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenOptions {
  /** Where the migrations are; tests point this elsewhere to prove a failing one changes nothing. */
  migrationsFolder?: string;
  busyTimeoutMs?: number;
}

/** How many distinct statements a connection keeps prepared: every query the app makes, with room to spare. */
const preparedStatementCache = 2000;

/**
 * drizzle prepares a statement anew each time it runs a query, and preparing costs more than running a
 * small indexed query. The connection keeps its prepared statements by SQL text (least recently used
 * go first), so each query text is prepared once. drizzle turns raw mode on for some reads; a statement
 * handed out again starts in the plain mode, as a new one would.
 */
function reusePreparedStatements(sqlite: Database.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const kept = cache.get(source);
    if (kept && !kept.busy) {
      cache.delete(source);
      cache.set(source, kept);
      if (kept.reader) kept.raw(false).pluck(false).expand(false);
      return kept;
    }
    const statement = prepare(source);
    cache.set(source, statement);
    if (cache.size > preparedStatementCache) cache.delete(cache.keys().next().value!);
    return statement;
  }) as typeof sqlite.prepare;
}

/**
 * Opens (creating if needed) and migrates the database at `path`.
 * Migrations run in one transaction: if one fails, an existing database is left as it was, and a
 * database file this call created is removed again.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const file = path === ':memory:' ? path : resolve(path);
  const existed = file === ':memory:' || existsSync(file);
  if (!existed) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    reusePreparedStatements(sqlite);
    const db = drizzle({ client: sqlite, schema });
    // Every transaction takes the write lock when it begins (BEGIN IMMEDIATE). With several processes on
    // one file, a deferred transaction that read first fails at once with "database is locked" when
    // another process wrote meanwhile, instead of waiting its turn for busy_timeout; and transactions here
    // are almost all read-check-write.
    const begin = db.transaction.bind(db);
    db.transaction = ((fn, config) => begin(fn, { behavior: 'immediate', ...config })) as typeof db.transaction;
    migrate(db, { migrationsFolder: options.migrationsFolder ?? migrationsFolder });
    return db;
  } catch (error) {
    sqlite.close();
    if (!existed) for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    throw error;
  }
}

export function closeDatabase(db: Db): void {
  if (!db.$client.open) return;
  // Fold the WAL back into the main file so a closed database is one self-contained file.
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
}
