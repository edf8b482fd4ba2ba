import { closeSync, cpSync, existsSync, openSync, readFileSync, readSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import t from 'tap';
import { checkpointInBackground } from '../../db/checkpointer.ts';
import { closeDatabase, migrationsFolder, openDatabase, perConnection } from '../../db/connection.ts';
import { auditLog } from '../../db/schema/audit.ts';
import { sequences } from '../../db/schema/sequences.ts';
import { recordAudit, systemActor } from '../../server/audit/service.ts';
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

t.test('a transaction is all or nothing, one begun inside it is a savepoint, and a query prepared once runs inside both', async (t) => {
  const db = openDatabase(join(tempDir(t), 'transactions.db'));
  t.teardown(() => closeDatabase(db));
  const valueOf = perConnection((d) => d.select({ value: sequences.value }).from(sequences).where(eq(sequences.series, sql.placeholder('series'))).prepare());
  t.equal(valueOf(db), valueOf(db), 'built once per connection');
  const insert = (series: string, value: number) => db.insert(sequences).values({ series, year: 2026, value }).run();

  t.throws(() =>
    db.transaction((tx) => {
      t.equal(tx, db, 'the callback is given the database itself');
      insert('kept-not', 1);
      t.same(valueOf(tx).get({ series: 'kept-not' }), { value: 1 }, 'the prepared query sees the transaction’s own write');
      throw new Error('refused');
    }),
  );
  t.equal(valueOf(db).get({ series: 'kept-not' }), undefined, 'a callback that throws leaves nothing');
  t.notOk(db.$client.inTransaction);

  db.transaction((tx) => {
    insert('outer', 1);
    t.throws(() =>
      tx.transaction(() => {
        insert('inner', 2);
        throw new Error('inner refused');
      }),
    );
    t.equal(valueOf(tx).get({ series: 'inner' }), undefined, 'the inner one is rolled back to its savepoint');
    tx.transaction(() => insert('inner-kept', 3));
  });
  t.same(
    db.select({ series: sequences.series }).from(sequences).all().map((r) => r.series).sort(),
    ['inner-kept', 'outer'],
    'the outer transaction and the savepoint that succeeded are kept',
  );
  const other = openDatabase(join(tempDir(t), 'other.db'));
  t.teardown(() => closeDatabase(other));
  t.not(valueOf(other), valueOf(db), 'another connection gets its own');
});

t.test('an audit entry without changes stores NULL, and changes are stored as JSON', async (t) => {
  const db = openDatabase(join(tempDir(t), 'audit.db'));
  t.teardown(() => closeDatabase(db));
  recordAudit(db, systemActor, { entityType: 'test', entityId: 1, action: 'test.nothing' });
  recordAudit(db, systemActor, { entityType: 'test', entityId: 2, action: 'test.changed', before: { name: 'Ana' }, after: { name: 'Ana Lee' } });
  const rows = db.$client.prepare('SELECT action, changes, changes IS NULL AS empty FROM audit_log ORDER BY id').all();
  t.same(rows, [
    { action: 'test.nothing', changes: null, empty: 1 },
    { action: 'test.changed', changes: JSON.stringify({ name: { before: 'Ana', after: 'Ana Lee' } }), empty: 0 },
  ]);
  t.same(db.select({ changes: auditLog.changes }).from(auditLog).all(), [{ changes: null }, { changes: { name: { before: 'Ana', after: 'Ana Lee' } } }], 'and read back as they were');
});

t.test('the log is folded back into the database on a thread of its own: steady writing starts it over again and again, and nothing is lost', async (t) => {
  const path = join(tempDir(t), 'checkpoints.db');
  const db = openDatabase(path);
  const errors: string[] = [];
  const checkpointer = checkpointInBackground(db, (message) => errors.push(message), { intervalMs: 10, restartPages: 64 });
  await checkpointer.ready;
  t.equal(db.$client.pragma('wal_autocheckpoint', { simple: true }), 0, 'the connection itself no longer checkpoints in its commits');
  const insert = db.$client.prepare('INSERT INTO audit_log (at, actor_label, entity_type, action, changes) VALUES (?, ?, ?, ?, ?)');
  const filler = JSON.stringify({ text: { before: null, after: 'x'.repeat(3000) } });
  // The log's header counts the times it was started over from its beginning (bytes 12–15, big-endian:
  // the checkpoint sequence number of SQLite's file format). Without checkpoints it never moves.
  const startsOver = () => {
    const header = Buffer.alloc(16);
    const file = openSync(`${path}-wal`, 'r');
    try {
      readSync(file, header, 0, 16, 0);
    } finally {
      closeSync(file);
    }
    return header.readUInt32BE(12);
  };
  const first = startsOver();
  let written = 0;
  // Writing as a busy desk does (twenty commits, a short pause), until the log was started over three times;
  // ten seconds at most, however loaded the machine (a starved thread falls back to RESTART after half a second).
  for (const end = Date.now() + 10_000; startsOver() - first < 3 && Date.now() < end; ) {
    for (let i = 0; i < 20; i++) db.transaction(() => insert.run(new Date().toISOString(), 'test', 'test', 'test.filled', filler));
    written += 20;
    await sleep(2);
  }
  t.ok(startsOver() - first >= 3, `the log was started over ${startsOver() - first} times in ${written} commits of a page or more each`);
  await checkpointer.stop();
  t.same(errors, [], 'no checkpoint failed');
  closeDatabase(db);
  t.equal(statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0, 0, 'closing folds the rest back and empties the log');
  const again = openDatabase(path);
  t.teardown(() => closeDatabase(again));
  t.equal(again.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'test.filled'").pluck().get(), written, 'every row is there');
});

t.test('a checkpoint thread that cannot work says why, and the connection checkpoints in its own commits again', async (t) => {
  const path = join(tempDir(t), 'gone.db');
  const db = openDatabase(path);
  t.teardown(() => closeDatabase(db));
  // The server's connection keeps the file it opened; the thread, opening it by name, finds nothing there.
  unlinkSync(path);
  const errors: string[] = [];
  const checkpointer = checkpointInBackground(db, (message) => errors.push(message));
  await checkpointer.ready;
  await checkpointer.stop();
  t.equal(errors.length, 1, 'one error');
  t.match(errors[0], /^the checkpoint thread failed: .*(unable to open|no such file).*; the database checkpoints in its own commits again$/i, `told why (${errors[0]})`);
  t.equal(db.$client.pragma('wal_autocheckpoint', { simple: true }), 1000, 'SQLite\'s own checkpoints are back');
});
