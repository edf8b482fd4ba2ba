// Opens the SQLite database: creates the file and its folder, sets the pragmas, applies migrations.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sql, type Placeholder } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { SQLiteTransactionConfig } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.ts';

/**
 * The database: drizzle on better-sqlite3. A transaction's callback is given the database itself, not a
 * handle of its own: on one better-sqlite3 connection a transaction is the connection's state, so every
 * query made inside the callback is in the transaction, and queries prepared once per connection
 * (`perConnection`) can be used there. A transaction begun inside another is a savepoint of it.
 */
export type Db = Omit<BetterSQLite3Database<typeof schema>, 'transaction'> & {
  $client: Database.Database;
  transaction<T>(fn: (tx: Db) => T, config?: SQLiteTransactionConfig): T;
};

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenOptions {
  /** Where the migrations are; tests point this elsewhere to prove a failing one changes nothing. */
  migrationsFolder?: string;
  busyTimeoutMs?: number;
}

/** How many distinct statements a connection keeps prepared: every query the app makes, with room to spare. */
const preparedStatementCache = 2000;

/** Set while `perConnection` builds: what it prepares is kept by its query, not shared through the cache. */
let preparingToKeep = false;

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
    if (preparingToKeep) return prepare(source);
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
 * What `build` makes of a connection, made once per connection: for the queries every request runs,
 * built with drizzle and `.prepare()`d with placeholders, since building a query costs more than running
 * it. The same function serves a transaction (its callback is given the database itself).
 */
export function perConnection<T, Handle extends Pick<Db, '$client'> = Db>(build: (db: Handle) => T): (db: Handle) => T {
  const made = new WeakMap<Database.Database, T>();
  return (db) => {
    let value = made.get(db.$client);
    if (value === undefined) {
      preparingToKeep = true;
      try {
        value = build(db);
      } finally {
        preparingToKeep = false;
      }
      made.set(db.$client, value);
    }
    return value;
  };
}

/**
 * `sql.placeholder(name)` under each name, for the values of a prepared insert. drizzle encodes a JSON
 * column's value when the query runs, but would write `null` as the JSON text "null": give a nullable JSON
 * column `sql\`${sql.placeholder(name)}\`` instead and encode its value yourself.
 */
export function placeholders<K extends string>(...names: K[]): Record<K, Placeholder<K>> {
  return Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as Record<K, Placeholder<K>>;
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
    // The log is reused from its start once checkpointed; a burst of writing leaves no bigger file than this.
    sqlite.pragma('journal_size_limit = 67108864');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    reusePreparedStatements(sqlite);
    const db = drizzle({ client: sqlite, schema }) as unknown as Db;
    // Every transaction takes the write lock when it begins (BEGIN IMMEDIATE). With several processes on
    // one file, a deferred transaction that read first fails at once with "database is locked" when
    // another process wrote meanwhile, instead of waiting its turn for busy_timeout; and transactions here
    // are almost all read-check-write. better-sqlite3 makes a nested call a savepoint, and rolls back
    // (to it) when the callback throws.
    const within = sqlite.transaction((fn: (tx: Db) => unknown) => fn(db));
    db.transaction = ((fn, config) => within[config?.behavior ?? 'immediate'](fn)) as Db['transaction'];
    migrate(db as unknown as BetterSQLite3Database<typeof schema>, { migrationsFolder: options.migrationsFolder ?? migrationsFolder });
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
