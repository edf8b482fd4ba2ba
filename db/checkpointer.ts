// Folds the write-ahead log back into the database file on a thread of its own. SQLite's automatic
// checkpoint runs inside the commit that crosses its threshold: that request then copies a thousand
// pages and waits for two fsyncs while every other request waits behind it on the one event loop
// (measured at city scale: a third of the desk's time went to it). The server's connection turns it off
// and this thread checkpoints on its own connection instead: PASSIVE every `intervalMs` (it never waits
// for, nor blocks, the server's readers and writers). The log is started over from its beginning only by
// a write that finds it wholly copied, which under steady writing a round every 250 ms never leaves it;
// so when it is longer than `restartPages` this thread copies again, a millisecond apart, until the
// server's next write finds nothing left (measured at city scale: within 12–185 ms). A RESTART, which
// holds the server's writes while it copies and syncs, is only the fallback.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './connection.ts';

export interface CheckpointerOptions {
  intervalMs?: number;
  restartPages?: number;
}

/** What the thread runs: plain CommonJS, so it needs no TypeScript loader (workers do not inherit one). */
const threadCode = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// Never wait in SQLite's busy handler (it sleeps up to 100 ms at a time and misses the server's short
// pauses between transactions): a RESTART that finds the server writing is tried again a millisecond later.
db.pragma('busy_timeout = 0');
db.pragma('wal_autocheckpoint = 0');
const pause = new Int32Array(new SharedArrayBuffer(4));
let timer;
// A message is the server closing: between rounds (this thread does one thing at a time), so at once.
parentPort.on('message', () => {
  clearTimeout(timer);
  db.close();
  parentPort.postMessage('stopped');
});
// When the log is long: copy again and again what came since the last copy, a millisecond apart, until
// the server's next write finds it wholly copied and starts it over (it does so without waiting). Only
// if that has not happened within half a second, RESTART: it waits for a pause between the server's
// transactions and holds the server's writes while it copies the rest and syncs.
function shorten() {
  for (let tries = 0; tries < 500; tries++) {
    Atomics.wait(pause, 0, 0, 1);
    if (db.pragma('wal_checkpoint(PASSIVE)')[0].log <= workerData.restartPages) return;
  }
  for (let tries = 0; tries < 2000; tries++) {
    if (db.pragma('wal_checkpoint(RESTART)')[0].busy === 0) return;
    Atomics.wait(pause, 0, 0, 1);
  }
}
function round() {
  try {
    if (db.pragma('wal_checkpoint(PASSIVE)')[0].log > workerData.restartPages) shorten();
  } catch (error) {
    // Busy or locked: the next round tries again. Anything else is the server's to hear of.
    if (!/busy|locked/i.test(String(error && error.message))) parentPort.postMessage({ error: String(error && error.stack || error) });
  }
  timer = setTimeout(round, workerData.intervalMs);
}
parentPort.postMessage('ready');
timer = setTimeout(round, workerData.intervalMs);
`;

export interface Checkpointer {
  /** Settled once the thread has its connection open. */
  ready: Promise<void>;
  /** Ends the thread (between rounds); the caller then checkpoints (TRUNCATE) as it closes. */
  stop(): Promise<void>;
}

/** Starts checkpointing `db` (a file, not :memory:) on its own thread, and stops its own automatic checkpoints. */
export function checkpointInBackground(db: Db, onError: (message: string) => void, options: CheckpointerOptions = {}): Checkpointer {
  const file = db.$client.name;
  db.$client.pragma('wal_autocheckpoint = 0');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(threadCode, {
    eval: true,
    workerData: { driver, file, intervalMs: options.intervalMs ?? 250, restartPages: options.restartPages ?? 16_384 },
  });
  worker.unref();
  let started = () => {};
  const ready = new Promise<void>((resolve) => (started = resolve));
  const stopped = new Promise<void>((resolve) => {
    worker.on('message', (message: unknown) => {
      if (message === 'ready') started();
      else if (message === 'stopped') resolve();
      else onError((message as { error: string }).error);
    });
    worker.once('error', (error) => {
      onError(String(error.stack ?? error));
      resolve();
    });
    worker.once('exit', () => resolve());
  });
  void stopped.then(started);
  return {
    ready,
    stop: async () => {
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}
