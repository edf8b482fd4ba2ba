// The real process entry: it logs its URL, serves, and on SIGTERM closes the database cleanly.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { tempDir } from '../helper.ts';

const repoRoot = join(import.meta.dirname, '..', '..');

function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const url = /ready at (http:\/\/\S+?)\/?"/.exec(output)?.[1];
      if (url) {
        clearInterval(timer);
        resolve(url);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${output}`));
    });
  });
  return { child, ready, exited, output: () => output };
}

t.test('server/main.ts logs its URL, serves, and closes the database cleanly on SIGTERM', async (t) => {
  const path = join(tempDir(t), 'main.db');
  const server = startMain({ HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: path });
  t.teardown(() => server.child.kill('SIGKILL'));
  const url = await server.ready;
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, 'the URL is logged');
  const health = await fetch(`${url}/api/health`);
  t.equal(health.status, 200);
  t.ok(existsSync(path), 'the database was created at DATABASE_PATH');

  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0, 'exits 0 after SIGTERM');
  t.match(server.output(), 'closed cleanly');
  t.ok(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0, 'the WAL was checkpointed into the database');
});

t.test('a bad configuration stops the process with a message naming the variable', async (t) => {
  const server = startMain({ PORT: 'abc', DATABASE_PATH: join(tempDir(t), 'never.db') });
  await t.rejects(server.ready);
  t.equal(await server.exited, 78, 'exit code 78 (configuration error)');
  t.match(server.output(), /PORT: a whole number from 0 to 65535 is required \(got "abc"\)/);
});
