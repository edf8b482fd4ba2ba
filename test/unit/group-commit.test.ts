// Group commit (db/group-commit.ts): the transactions of one turn of the event loop commit together,
// each is a savepoint of the group, and no answer leaves before its group is committed.
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { closeDatabase, openDatabase, type Db } from '../../db/connection.ts';
import { commitTogether, CommitFailed } from '../../db/group-commit.ts';
import { buildTestApp, tempDir } from '../helper.ts';

// A deferred foreign key is checked at COMMIT: a note pointing nowhere makes the commit itself fail.
const notesTable = `CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL,
  other INTEGER REFERENCES notes (id) DEFERRABLE INITIALLY DEFERRED)`;

/** A migrated database with a table of notes, and a second connection that sees only what is committed. */
function setUp(t: Test) {
  const path = join(tempDir(t), 'group.db');
  const db = openDatabase(path);
  db.$client.exec(notesTable);
  const lost: CommitFailed[] = [];
  const group = commitTogether(db, { onLost: (error) => lost.push(error) });
  const other = new Database(path, { readonly: true });
  t.teardown(() => {
    other.close();
    closeDatabase(db);
  });
  const committed = () => other.prepare('SELECT text FROM notes ORDER BY id').pluck().all() as string[];
  const note = (text: string, other: number | null = null) => db.transaction((tx: Db) => tx.$client.prepare('INSERT INTO notes (text, other) VALUES (?, ?)').run(text, other));
  return { db, group, committed, note, lost };
}

t.test('the transactions of one turn are committed together, after it, and each answer can wait for that', async (t) => {
  const { group, committed, note } = setUp(t);
  const mark = group.mark();
  note('first');
  note('second');
  t.same(committed(), [], 'nothing is committed while the turn runs');
  t.equal(group.mark(), mark, 'both are in the group the mark names');
  const settled = group.settled(mark);
  t.ok(settled, 'an answer has a commit to wait for');
  await settled;
  t.same(committed(), ['first', 'second'], 'both are committed at once');
  t.equal(group.settled(mark), undefined, 'nothing is left to wait for');
  note('third');
  t.not(group.mark(), mark, 'the next turn opens a group of its own');
  await nextTurn();
  t.same(committed(), ['first', 'second', 'third']);
});

t.test("a transaction that fails rolls back its own work only; the group's others are committed", async (t) => {
  const { db, group, committed, note } = setUp(t);
  const mark = group.mark();
  note('kept');
  t.throws(
    () =>
      db.transaction((tx) => {
        tx.$client.prepare('INSERT INTO notes (text) VALUES (?)').run('undone');
        throw new Error('the clerk’s change is refused');
      }),
    /refused/,
  );
  // A transaction inside one that fails is undone with it.
  t.throws(() =>
    db.transaction((tx) => {
      tx.transaction((inner) => inner.$client.prepare('INSERT INTO notes (text) VALUES (?)').run('inner, undone'));
      throw new Error('outer fails');
    }),
  );
  note('also kept');
  await group.settled(mark);
  t.same(committed(), ['kept', 'also kept']);
});

t.test('a commit that fails loses the whole group: every answer that could hold its work fails, and the next group works', async (t) => {
  const { group, committed, note, lost } = setUp(t);
  const before = group.mark();
  note('lost with the group');
  note('dangling', 999); // passes now; COMMIT checks the deferred key and fails
  const waiting = group.settled(before);
  await t.rejects(waiting!, CommitFailed, 'the answer waiting on the group fails');
  await t.rejects(Promise.resolve(group.settled(before)), /could not be saved: FOREIGN KEY constraint failed/, 'and so does one that asks after the failure');
  t.same(committed(), []);
  t.same(lost.map((e) => e.message), ['The change could not be saved: FOREIGN KEY constraint failed'], 'the loss is told once, for the log');
  const after = group.mark();
  note('saved later');
  await group.settled(after);
  t.same(committed(), ['saved later'], 'the connection is usable again, outside any transaction');
});

t.test('a group that SQLite rolled back by itself (a full disk, an I/O error) is lost, not committed in part', async (t) => {
  const { db, group, committed, note } = setUp(t);
  const mark = group.mark();
  note('rolled back');
  // What SQLite does on such an error: the whole transaction ends.
  db.$client.exec('ROLLBACK');
  note('in a new group');
  t.not(group.mark(), mark, 'the next transaction found the group gone and began another');
  await t.rejects(Promise.resolve(group.settled(mark)), CommitFailed, 'an answer that could hold the lost work fails');
  await nextTurn();
  t.same(committed(), ['in a new group']);
});

t.test('flush commits the open group at once (the database is closing)', async (t) => {
  const { group, committed, note } = setUp(t);
  note('before closing');
  group.flush();
  t.same(committed(), ['before closing']);
});

t.test('over HTTP: an answer waits for its commit, and a commit that fails is a 500 with nothing saved', async (t) => {
  const { app } = await buildTestApp(t);
  await app.register(async (scope) => {
    scope.post<{ Body: { text: string; other?: number } }>('/api/test-note', { config: { access: 'public' } }, async (request, reply) => {
      const row = app.db.transaction((tx) => tx.$client.prepare('INSERT INTO notes (text, other) VALUES (?, ?) RETURNING id').get(request.body.text, request.body.other ?? null));
      // What the held answer said of itself must not stay on the error that replaces it.
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('set-cookie', 'ow_note=1; Path=/');
      return row;
    });
  });
  await app.ready();
  app.db.$client.exec(notesTable);
  const other = new Database(app.db.$client.name, { readonly: true });
  t.teardown(() => other.close());
  const saved = () => other.prepare('SELECT text FROM notes ORDER BY id').pluck().all();

  const ok = await app.inject({ method: 'POST', url: '/api/test-note', payload: { text: 'saved' } });
  t.equal(ok.statusCode, 200);
  t.same(saved(), ['saved'], 'when the answer arrives, another connection sees the row');

  const both = await Promise.all([
    app.inject({ method: 'POST', url: '/api/test-note', payload: { text: 'same turn as a failure' } }),
    app.inject({ method: 'POST', url: '/api/test-note', payload: { text: 'dangling', other: 999 } }),
  ]);
  t.same(
    both.map((r) => r.statusCode),
    [500, 500],
    'the handlers both succeeded, but their group was not saved: neither may say it was',
  );
  t.equal(both[1]!.json().code, 'INTERNAL');
  t.notMatch(both[1]!.body, /FOREIGN KEY|SQLITE/, 'the cause stays in the log');
  t.equal(both[1]!.headers['cache-control'], undefined, 'the failed answer is not cacheable');
  t.equal(both[1]!.headers['set-cookie'], undefined, 'and sets no cookie');
  t.same(saved(), ['saved'], 'nothing of the lost group is in the database');

  const after = await app.inject({ method: 'POST', url: '/api/test-note', payload: { text: 'after' } });
  t.equal(after.statusCode, 200, 'the next request is saved as usual');
  t.same(saved(), ['saved', 'after']);
});

t.test('GROUP_COMMIT=false: each transaction commits by itself, as it returns', async (t) => {
  const { app } = await buildTestApp(t, { GROUP_COMMIT: 'false' });
  await app.ready();
  app.db.$client.exec(notesTable);
  const other = new Database(app.db.$client.name, { readonly: true });
  t.teardown(() => other.close());
  app.db.transaction((tx) => tx.$client.prepare('INSERT INTO notes (text) VALUES (?)').run('at once'));
  t.same(other.prepare('SELECT text FROM notes').pluck().all(), ['at once'], 'committed before the turn ends');
});
