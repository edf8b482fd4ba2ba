// Group commit: the transactions the server runs in one turn of its event loop are committed together.
// Each commit writes every page it changed to the log (each index's leaf, the table's, the audit log's),
// and at city scale a desk request's commit wrote 13–28 pages; requests that arrive together change many
// of the same pages (the newest leaf of every index in time order, the sequences, the audit log), so one
// commit for all of them writes each of those once. Each request's transaction is a savepoint of the
// group's: a request that fails rolls back its own work only. No answer leaves before the commit that
// holds what it did (and read): the server waits for `settled` before it sends.
// A lost group (its commit failed, or SQLite rolled it back: a full disk, an I/O error) fails every
// answer that could hold its work. An answer is told by when its request began, not by what it wrote: a
// request whose work spans two turns (a sign-in waits for the password check between its writes) answers
// 500 when the first group is lost, though what it wrote in the second may be saved.
// The write lock is held from a turn's first transaction to its end: with several busy server processes
// on one file, another may wait out its busy timeout, so such a deployment turns grouping off (GROUP_COMMIT).
import type Database from 'better-sqlite3';
import type { Db } from './connection.ts';

interface Group {
  id: number;
  committed: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface GroupCommit {
  /** A mark taken when a request begins: the first group its writes can be part of. */
  mark(): number;
  /**
   * Waits until no group holds uncommitted work; fails if a group the request could have written in (since
   * `mark`) was lost. With an infinite mark it only waits.
   */
  settled(mark: number): Promise<void> | undefined;
  /** Commits the open group now (before the database closes). */
  flush(): void;
}

export class CommitFailed extends Error {
  constructor(cause: unknown) {
    super(`The change could not be saved: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'CommitFailed';
  }
}

/**
 * Makes `db.transaction` join the open group, or open one (BEGIN IMMEDIATE) and commit it once the event
 * loop has run what is ready now (`setImmediate`). A transaction begun inside the group is a savepoint
 * of it, as better-sqlite3 makes a nested transaction. Writes made outside `db.transaction` while a group
 * is open are part of it too; otherwise they commit by themselves, as before. `onLost` is told of every
 * group lost, whether or not an answer was waiting on it.
 */
export function commitTogether(db: Db, options: { onLost?: (error: CommitFailed) => void } = {}): GroupCommit {
  const sqlite: Database.Database = db.$client;
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const single = db.transaction.bind(db);
  let open: Group | null = null;
  let nextId = 1;
  let lastLost = 0;
  let lostBecause: Error | null = null;

  const lose = (group: Group, cause: unknown) => {
    lastLost = group.id;
    lostBecause = new CommitFailed(cause);
    options.onLost?.(lostBecause);
    group.reject(lostBecause);
  };

  const end = () => {
    const group = open;
    if (!group) return;
    open = null;
    // SQLite rolls a whole transaction back on some errors (a full disk, an I/O error): the group is lost.
    if (!sqlite.inTransaction) return lose(group, new Error('the transaction was rolled back'));
    try {
      commit.run();
      group.resolve();
    } catch (error) {
      try {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      } finally {
        lose(group, error);
      }
    }
  };

  const join = () => {
    // A group SQLite rolled back is ended (lost) before another begins.
    if (open && !sqlite.inTransaction) end();
    if (open || sqlite.inTransaction) return;
    begin.run();
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const committed = new Promise<void>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    // Nobody may be waiting on a group (a write outside any request): `onLost` tells of every lost one.
    committed.catch(() => undefined);
    open = { id: nextId++, committed, resolve, reject };
    setImmediate(end);
  };

  db.transaction = ((fn, config) => {
    join();
    return single(fn, config);
  }) as Db['transaction'];

  return {
    mark: () => open?.id ?? nextId,
    settled(mark) {
      const verdict = () => (lastLost >= mark ? Promise.reject(lostBecause!) : undefined);
      if (open) return open.committed.then(verdict, verdict);
      return verdict();
    },
    flush: end,
  };
}
