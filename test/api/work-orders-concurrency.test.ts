// No double work under concurrency: many reports of one new problem, sent at the same moment to three
// real servers (this process and two more started with `server/main.ts`) on one database file, end on
// exactly one work order. The duplicate search and the creation run in one write-locked transaction,
// so whichever server comes second finds the work order the first one made.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createApiKey } from '../../server/api-keys/service.ts';
import { systemActor } from '../../server/audit/service.ts';
import { buildTestApp, hereford, loadHierarchy, signedInAs, type SignedIn } from '../helper.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const here = hereford;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the real server process on `databasePath`; resolves with its base URL once it answers. */
async function startServer(databasePath: string, children: ChildProcess[]): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server', 'main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: databasePath },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return base;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer in 20 s: ${stderr}`);
}

t.test('thirty simultaneous Open311 reports of one new pothole, across three server processes, make exactly one work order', async (t) => {
  const { app, config } = await buildTestApp(t);
  await app.ready();
  loadHierarchy(app.db);
  const { key } = createApiKey(app.db, systemActor, { partner: 'Resident app', ratePerMinute: 1000 });
  const children: ChildProcess[] = [];
  t.teardown(() => children.forEach((c) => c.kill('SIGTERM')));
  const bases = [await app.listen({ host: '127.0.0.1', port: 0 }), await startServer(config.DATABASE_PATH, children), await startServer(config.DATABASE_PATH, children)];

  // Thirty residents report the same hole within a few metres, all at once, the i-th to the i-th server in turn.
  const answers = await Promise.all(
    Array.from({ length: 30 }, async (_, i) => {
      const form = new URLSearchParams({ api_key: key, service_code: 'S0301', lat: String(here.latitude + (i % 5) * 0.00001), long: String(here.longitude), 'attribute[WHISPOLO]': 'STREE001', description: `Pothole, report ${i + 1}` });
      const res = await fetch(`${bases[i % 3]}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      return { status: res.status, body: (await res.json()) as [{ service_request_id: string }] | [{ description: string }] };
    }),
  );

  t.same(answers.filter((a) => a.status !== 201).map((a) => a.body), [], 'every report was taken');
  const stored = app.db.$client.prepare('SELECT count(*) AS n FROM work_orders').get() as { n: number };
  t.equal(stored.n, 1, 'the database holds one work order for all of them');
  const onIt = app.db.$client.prepare("SELECT count(*) AS n FROM customer_requests WHERE work_order_id IS NOT NULL AND status = 'in_progress' AND channel = 'open311'").get() as { n: number };
  t.equal(onIt.n, 30, 'and all thirty requests are on it');
  const made = app.db.$client.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'work_order.created'").get() as { n: number };
  t.equal(made.n, 1, 'exactly one report made it; the others were linked');
});

t.test('two clerks who both choose "new work order" at the same moment: the second is shown the first one’s work order', async (t) => {
  const { app, config } = await buildTestApp(t);
  await app.ready();
  loadHierarchy(app.db);
  const a = await signedInAs(app, 'clerk');
  const b = await signedInAs(app, 'clerk');
  const ready = async (who: SignedIn) => {
    let r = (await app.inject({ method: 'POST', url: '/api/requests', headers: who.headers, payload: { channel: 'phone' } })).json();
    r = (await app.inject({ method: 'PATCH', url: `/api/requests/${r.number}`, headers: who.headers, payload: { version: r.version, type: 'action', problemCode: 'S0301', answers: { WHISPOLO: 'STREE001' }, location: { text: '40 Hereford St', ...here } } })).json();
    return (await app.inject({ method: 'POST', url: `/api/requests/${r.number}/complete`, headers: who.headers, payload: { version: r.version } })).json() as { number: string; version: number };
  };
  const [ra, rb] = [await ready(a), await ready(b)];
  const children: ChildProcess[] = [];
  t.teardown(() => children.forEach((c) => c.kill('SIGTERM')));
  const [one, two] = [await app.listen({ host: '127.0.0.1', port: 0 }), await startServer(config.DATABASE_PATH, children)];
  const send = (base: string, who: SignedIn, r: { number: string; version: number }) =>
    fetch(`${base}/api/requests/${r.number}/work-order`, { method: 'POST', headers: { ...who.headers, 'content-type': 'application/json' }, body: JSON.stringify({ version: r.version, decision: 'create' }) });
  const results = await Promise.all([send(one, a, ra), send(two, b, rb)]);
  const statuses = results.map((r) => r.status).sort();
  t.same(statuses, [200, 400], 'one made the work order; the other was refused');
  const refused = (await results.find((r) => r.status === 400)!.json()) as { details: { field: string }[]; message: string };
  t.same(refused.details.map((d) => d.field), ['/body/reason'], 'and asked to link or say why it is new work');
  t.match(refused.message, /W\d{4}-\d{6}/, 'naming the work order the other clerk just made');
  t.equal((app.db.$client.prepare('SELECT count(*) AS n FROM work_orders').get() as { n: number }).n, 1);
});

t.test('dispatchers working forty work orders at once across three server processes: every change is made, none fails', async (t) => {
  const { app, config } = await buildTestApp(t);
  await app.ready();
  loadHierarchy(app.db);
  const clerk = await signedInAs(app, 'clerk');
  const dispatcher = await signedInAs(app, 'dispatcher');
  const numbers: string[] = [];
  for (let i = 0; i < 40; i++) {
    let r = (await app.inject({ method: 'POST', url: '/api/requests', headers: clerk.headers, payload: { channel: 'phone' } })).json();
    // A kilometre apart each: forty different potholes.
    r = (await app.inject({ method: 'PATCH', url: `/api/requests/${r.number}`, headers: clerk.headers, payload: { version: r.version, type: 'action', problemCode: 'S0301', answers: { WHISPOLO: 'STREE001' }, location: { text: `pothole ${i}`, latitude: here.latitude + i * 0.01, longitude: here.longitude } } })).json();
    r = (await app.inject({ method: 'POST', url: `/api/requests/${r.number}/complete`, headers: clerk.headers, payload: { version: r.version } })).json();
    numbers.push((await app.inject({ method: 'POST', url: `/api/requests/${r.number}/work-order`, headers: clerk.headers, payload: { version: r.version, decision: 'create' } })).json().workOrder);
  }
  const children: ChildProcess[] = [];
  t.teardown(() => children.forEach((c) => c.kill('SIGTERM')));
  const bases = [await app.listen({ host: '127.0.0.1', port: 0 }), await startServer(config.DATABASE_PATH, children), await startServer(config.DATABASE_PATH, children)];
  const statuses = await Promise.all(
    numbers.map(async (number, i) => {
      const res = await fetch(`${bases[i % 3]}/api/work-orders/${number}`, { method: 'PATCH', headers: { ...dispatcher.headers, 'content-type': 'application/json' }, body: JSON.stringify({ version: 1, assignee: `Crew ${i}` }) });
      return res.status;
    }),
  );
  t.same(statuses, numbers.map(() => 200), 'every write waited its turn for the lock instead of failing');
  const assigned = app.db.$client.prepare("SELECT count(*) AS n FROM work_orders WHERE status = 'assigned'").get() as { n: number };
  t.equal(assigned.n, 40);
});
