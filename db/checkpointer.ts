// Folds the write-ahead log back into the database file on a thread of its own. SQLite's automatic
// checkpoint runs inside the commit that crosses its threshold: that request then copies a thousand
// pages and waits for two fsyncs while every other request waits behind it on the one event loop
// (measured at city scale: a third of the desk's time went to it). The server's connection turns it off
// once this thread is running, and the thread checkpoints on its own connection instead: PASSIVE every
// `intervalMs` (it never waits for, nor blocks, the server's readers and writers). The log is started
// over from its beginning only by a write that finds it wholly copied, which under steady writing a round
// every 250 ms never leaves it; so when it is longer than `restartPages` this thread copies again, a
// millisecond apart, until the server's next write finds nothing left (measured at city scale: within
// 12–185 ms). A RESTART, which holds the server's writes while it copies and syncs, is only the fallback.
// Should the thread fail or end unasked, the connection checkpoints in its commits again, as SQLite does.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './connection.ts';

export interface CheckpointerOptions {
  intervalMs?: number;
  restartPages?: number;
}

/**
 * What the thread runs: plain CommonJS, evaluated, so that it needs no TypeScript loader. `stop` is a
 * shared flag the long loops look at, so that closing never waits for them.
 */
const threadCode = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const told = (error) => String((error && error.message) || error) + (error && error.code ? ' (' + error.code + ')' : '');
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  // Never wait in SQLite's busy handler (it sleeps up to 100 ms at a time and misses the server's short
  // pauses between transactions): a RESTART that finds the server writing is tried again a millisecond later.
  db.pragma('busy_timeout = 0');
  db.pragma('wal_autocheckpoint = 0');
} catch (error) {
  // Posted, not thrown: SQLite's errors lose their message on the way out of a thread.
  parentPort.postMessage({ failed: told(error) });
  process.exit(1);
}
const stop = new Int32Array(workerData.stop);
const stopping = () => Atomics.load(stop, 0) === 1;
const pause = () => Atomics.wait(stop, 0, 0, 1);
let timer;
function end() {
  clearTimeout(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
}
parentPort.on('message', end);
function shorten() {
  for (let tries = 0; tries < 500 && !stopping(); tries++) {
    pause();
    if (db.pragma('wal_checkpoint(PASSIVE)')[0].log <= workerData.restartPages) return;
  }
  for (let tries = 0; tries < 2000 && !stopping(); tries++) {
    if (db.pragma('wal_checkpoint(RESTART)')[0].busy === 0) return;
    pause();
  }
}
function round() {
  try {
    if (db.pragma('wal_checkpoint(PASSIVE)')[0].log > workerData.restartPages) shorten();
  } catch (error) {
    // Busy or locked: the next round tries again. Anything else is the server's to hear of.
    if (!/busy|locked/i.test(String(error && error.message))) parentPort.postMessage({ error: told(error) });
  }
  timer = setTimeout(round, workerData.intervalMs);
}
parentPort.postMessage({ ready: true });
timer = setTimeout(round, workerData.intervalMs);
`;

export interface Checkpointer {
  /** Settled once the thread has its connection open (or has failed to: see `onError`). */
  ready: Promise<void>;
  /** Ends the thread; the caller then checkpoints (TRUNCATE) as it closes. */
  stop(): Promise<void>;
}

type Message = { ready: true } | { stopped: true } | { error: string } | { failed: string };

/**
 * Starts checkpointing `db` (a file, not :memory:) on its own thread. The connection's own automatic
 * checkpoints stop once the thread is running, and come back if it fails.
 */
export function checkpointInBackground(db: Db, onError: (message: string) => void, options: CheckpointerOptions = {}): Checkpointer {
  const stopFlag = new SharedArrayBuffer(4);
  const worker = new Worker(threadCode, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      file: db.$client.name,
      intervalMs: options.intervalMs ?? 250,
      restartPages: options.restartPages ?? 16_384,
      stop: stopFlag,
    },
  });
  worker.unref();
  const automatic = db.$client.pragma('wal_autocheckpoint', { simple: true }) as number;
  let stopping = false;
  let started = () => {};
  const ready = new Promise<void>((resolve) => (started = resolve));
  const stopped = new Promise<void>((resolve) => {
    let failedOnce = false;
    const failed = (message: string) => {
      if (failedOnce) return;
      failedOnce = true;
      if (db.$client.open) db.$client.pragma(`wal_autocheckpoint = ${automatic}`);
      onError(`${message}; the database checkpoints in its own commits again`);
      started();
      resolve();
    };
    worker.on('message', (message: Message) => {
      if ('ready' in message) {
        if (db.$client.open) db.$client.pragma('wal_autocheckpoint = 0');
        started();
      } else if ('stopped' in message) resolve();
      else if ('failed' in message) failed(`the checkpoint thread failed: ${message.failed}`);
      else onError(message.error);
    });
    worker.once('error', (error: { message?: string; code?: string }) => failed(`the checkpoint thread failed: ${error.message ?? error.code ?? 'without a message'}`));
    worker.once('exit', (code) => (stopping ? resolve() : failed(`the checkpoint thread ended (exit code ${code})`)));
  });
  return {
    ready,
    stop: async () => {
      stopping = true;
      Atomics.store(new Int32Array(stopFlag), 0, 1);
      Atomics.notify(new Int32Array(stopFlag), 0);
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}
