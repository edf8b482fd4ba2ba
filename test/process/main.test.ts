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

t.test('the first start in demo mode creates one user per role and shows their passwords once', async (t) => {
  const path = join(tempDir(t), 'demo.db');
  const first = startMain({ NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: path });
  t.teardown(() => first.child.kill('SIGKILL'));
  const url = await first.ready;
  const shown = [...first.output().matchAll(/(\w+)\s+username (\w+)\s+password (\S+)/g)].map((m) => ({ role: m[1], username: m[2], password: m[3] }));
  t.same(shown.map((u) => u.role), ['clerk', 'dispatcher', 'admin']);
  for (const { username, password } of shown) {
    const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    t.equal(res.status, 200, `${username} can sign in with the password shown`);
  }
  const dispatcher = shown.find((u) => u.role === 'dispatcher')!;
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: dispatcher.username, password: dispatcher.password }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const queue = (await (await fetch(`${url}/api/work-orders?limit=200`, { headers: { cookie } })).json()) as { total: number; items: { callers: number }[] };
  const made = Number(/filed demo reports at sample addresses: (\d+) work orders/.exec(first.output())?.[1]);
  t.ok(made > 20, `demo work is in the dispatch queue (${made} work orders)`);
  t.equal(queue.total, made, 'the queue holds them all');
  t.equal(queue.items.reduce((sum, w) => sum + w.callers, 0), 40, 'forty demo reports, some linked as duplicates');
  first.child.kill('SIGTERM');
  await first.exited;

  const second = startMain({ NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: path });
  t.teardown(() => second.child.kill('SIGKILL'));
  await second.ready;
  t.notMatch(second.output(), 'Demo users created', 'a second start shows nothing again');
  t.notMatch(second.output(), 'filed demo reports', 'and files no demo work again');
  second.child.kill('SIGTERM');
  await second.exited;
});

t.test('production needs a session secret and never creates demo users', async (t) => {
  const path = join(tempDir(t), 'prod.db');
  const refused = startMain({ NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: path });
  await t.rejects(refused.ready);
  t.equal(await refused.exited, 78);
  t.match(refused.output(), /SESSION_SECRET: a random string of at least 32 characters is required when NODE_ENV=production/);

  const server = startMain({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: path });
  t.teardown(() => server.child.kill('SIGKILL'));
  const url = await server.ready;
  t.notMatch(server.output(), 'Demo users created');
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'anything-at-all' }) });
  t.equal(res.status, 401, 'there is no demo admin');
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
});
