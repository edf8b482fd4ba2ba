import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { closeDatabase, migrationsFolder, openDatabase } from '../../db/connection.ts';
import { tempDir } from '../helper.ts';

t.test('a new database is created, migrated and set up with WAL, foreign keys and a busy timeout', async (t) => {
  const path = join(tempDir(t), 'nested', 'folder', 'new.db');
  const db = openDatabase(path);
  t.teardown(() => closeDatabase(db));
  t.ok(existsSync(path), 'the file and its folders are created');
  t.equal(db.$client.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(db.$client.pragma('foreign_keys', { simple: true }), 1);
  t.equal(db.$client.pragma('busy_timeout', { simple: true }), 5000);
  const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  t.ok(tables.includes('sequences'), 'the committed migrations were applied');
});

t.test('opening an existing database again applies nothing twice and keeps the data', async (t) => {
  const path = join(tempDir(t), 'again.db');
  const first = openDatabase(path);
  first.$client.prepare("INSERT INTO sequences (series, year, value) VALUES ('request', 2026, 41)").run();
  closeDatabase(first);
  const second = openDatabase(path);
  t.teardown(() => closeDatabase(second));
  t.equal(second.$client.prepare('SELECT value FROM sequences').pluck().get(), 41);
});

/** A copy of the real migrations plus one more that fails half-way. */
function migrationsWithFailure(dir: string): string {
  const folder = join(dir, 'migrations');
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[] };
  const last = journal.entries.at(-1)!;
  const tag = `${String(last.idx + 1).padStart(4, '0')}_broken`;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag });
  writeFileSync(journalPath, JSON.stringify(journal));
  writeFileSync(
    join(folder, `${tag}.sql`),
    'CREATE TABLE half_done (id integer);\n--> statement-breakpoint\nINSERT INTO sequences (series, year, value) VALUES (\'work_order\', 2026, 99);\n--> statement-breakpoint\nINSERT INTO no_such_table VALUES (1);',
  );
  return folder;
}

t.test('a migration that fails leaves an existing database as it was', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'existing.db');
  const db = openDatabase(path);
  db.$client.prepare("INSERT INTO sequences (series, year, value) VALUES ('request', 2026, 7)").run();
  closeDatabase(db);

  t.throws(() => openDatabase(path, { migrationsFolder: migrationsWithFailure(dir) }), /no_such_table/);

  const after = openDatabase(path);
  t.teardown(() => closeDatabase(after));
  const tables = after.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  t.notOk(tables.includes('half_done'), 'the failed migration created nothing');
  t.same(after.$client.prepare('SELECT series, year, value FROM sequences').all(), [{ series: 'request', year: 2026, value: 7 }], 'and changed no row');
});

t.test('a migration that fails on a new database leaves no file behind', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'fresh.db');
  t.throws(() => openDatabase(path, { migrationsFolder: migrationsWithFailure(dir) }));
  t.notOk(existsSync(path), 'no half-made database file');
  t.notOk(existsSync(`${path}-wal`), 'no WAL file');
});

t.test('a query text is prepared once per connection, and a statement handed out again reads as a new one would', async (t) => {
  const db = openDatabase(join(tempDir(t), 'prepared.db'));
  t.teardown(() => closeDatabase(db));
  db.$client.prepare("INSERT INTO sequences (series, year, value) VALUES ('request', 2026, 7)").run();
  const text = 'SELECT series, value FROM sequences WHERE year = ?';
  const first = db.$client.prepare(text);
  t.same(first.raw().get(2026), ['request', 7], 'used in raw mode, as drizzle uses some reads');
  const again = db.$client.prepare(text);
  t.equal(again, first, 'the same text gives the statement already prepared');
  t.same(again.get(2026), { series: 'request', value: 7 }, 'and it reads rows as objects again, not in the mode it was left in');
  t.same(db.$client.prepare('SELECT value FROM sequences').pluck().get(), 7);
  t.same(db.$client.prepare('SELECT value FROM sequences').get(), { value: 7 }, 'pluck mode is not kept either');
});
