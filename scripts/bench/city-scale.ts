// The city-scale benchmark: how close OneWindow is to what its stack can do, measured side by side in
// one run on one machine. It builds (or reuses) a city-sized database, starts the real server on it as
// `npm start` would (production mode, its own process), and drives it over HTTP with autocannon as
// signed-in staff; in the same run it drives the bare stack — one Fastify route inserting one row into
// better-sqlite3 — and prints every figure beside it and as a ratio to it.
//
//   npm run bench                      every benchmark, this one last; writes bench/results.md
//   node --import tsx scripts/bench/city-scale.ts [--quick]
//
// --quick: a small city and two seconds a scenario, a smoke test of the harness (CI runs it; no pass or
// fail on timing). --only <words>: only the scenarios whose name holds them. BENCH_SERVER_FLAGS adds
// Node flags to the server ("--cpu-prof --cpu-prof-dir=/tmp/prof"). Timing lives here, never in a test.
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildCity, builtCity, cityPath, distributions, scales, type CitySummary } from './city-scale/build.ts';
import { bareScenario, measure, readLoadData, scenarios, signIn, type Measured, type Scenario } from './city-scale/load.ts';
import { startBareStack, startOneWindow, type Running } from './city-scale/servers.ts';

const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const scale = quick ? scales.quick : scales.full;
const CONNECTIONS = 10;
const SECONDS = quick ? 2 : 10;
const ALONE_SECONDS = quick ? 1 : 8;
const WARMUP_SECONDS = quick ? 1 : 3;
const reportPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results.md');
const duplicatesReport = join(dirname(reportPath), 'duplicates.md');
const n = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 0 });
const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);
const f = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));

async function city(): Promise<{ summary: CitySummary; reused: boolean }> {
  const built = builtCity(scale);
  if (built) return { summary: built, reused: true };
  console.log(`building the ${scale.name} city at ${cityPath(scale)} (once; later runs reuse it) …`);
  return { summary: await buildCity(scale, (line) => console.log(`  ${line}`)), reused: false };
}

const fileBytes = (path: string) => ['', '-wal'].reduce((sum, suffix) => sum + (statSync(path + suffix, { throwIfNoEntry: false })?.size ?? 0), 0);

/** A pause for the server to finish what the last run left queued. */
const drained = () => new Promise((resolve) => setTimeout(resolve, quick ? 200 : 2000));

/** A scenario under load (throughput, and latency with queueing) and alone (one connection: each request's own time). */
interface Result {
  loaded: Measured;
  alone: Measured;
  /** The server's peak RSS when the scenario was done: which scenario made the peak. */
  peakRss: number | null;
  /**
   * The server's CPU time (all its threads) per request under load, in µs: what a request costs the
   * server, whatever the client's share of the machine was. Null where /proc is not.
   */
  cpuPerRequestUs: number | null;
}

async function run(server: Running, scenario: Scenario): Promise<Result> {
  const { url } = server;
  await measure(url, scenario, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
  await drained();
  const cpuBefore = server.cpuMs();
  const loaded = await measure(url, scenario, { connections: CONNECTIONS, seconds: SECONDS });
  // Requests still queued in the server when the client stops would be timed as the next run's.
  await drained();
  const cpuAfter = server.cpuMs();
  const cpuPerRequestUs = cpuBefore === null || cpuAfter === null || loaded.requests === 0 ? null : ((cpuAfter - cpuBefore) * 1000) / loaded.requests;
  const alone = await measure(url, scenario, { connections: 1, seconds: ALONE_SECONDS });
  await drained();
  const failed = loaded.non2xx + loaded.errors + alone.non2xx + alone.errors;
  const peak = server.peakRss();
  console.log(
    `${scenario.name}: ${n(loaded.requestsPerSecond)} requests/s (p50 ${f(loaded.p50)} ms, p99 ${f(loaded.p99)} ms), server CPU ${cpuPerRequestUs === null ? 'n/a' : n(cpuPerRequestUs)} µs a request; alone p50 ${f(alone.p50)} ms, p99 ${f(alone.p99)} ms; peak RSS so far ${mb(peak)}${failed ? ` — ${failed} failed` : ''}`,
  );
  return { loaded, alone, peakRss: peak, cpuPerRequestUs };
}

/** Duplicate search is timed on its own, in-process, one search at a time (scripts/bench/duplicates.ts): its last full run. */
function duplicateSearch(): Target {
  const what = 'duplicate search p99 (bench/duplicates.md, in-process)';
  const text = existsSync(duplicatesReport) ? readFileSync(duplicatesReport, 'utf8') : '';
  const p99 = /^\| \*\*all\*\* \| [\d,]+ \| [\d.]+ \| [\d.]+ \| ([\d.]+) \|/m.exec(text)?.[1];
  const date = /\*\*Date:\*\* (\S+)/.exec(text)?.[1] ?? '';
  if (!p99) return { what, target: '≤ 2 ms', measured: 'not measured yet: run scripts/bench/duplicates.ts', met: null };
  return { what, target: '≤ 2 ms', measured: `${p99} ms (run of ${date.slice(0, 10)})`, met: Number(p99) <= 2 };
}

interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean | null;
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const { summary, reused } = await city();
  const path = cityPath(scale);
  const data = readLoadData(path);
  console.log(`city: ${JSON.stringify(summary.counts)}${reused ? ` (reused, built ${summary.builtAt} in ${summary.buildSeconds.toFixed(0)} s)` : ` (built in ${summary.buildSeconds.toFixed(0)} s)`}`);

  // 1. The bare stack, on a fresh file of its own.
  const scratch = mkdtempSync(join(tmpdir(), 'onewindow-bare-'));
  const bareServer = await startBareStack(join(scratch, 'bare.db'));
  let bareResult: Result;
  try {
    bareResult = await run(bareServer, bareScenario);
  } finally {
    await bareServer.stop();
    rmSync(scratch, { recursive: true, force: true });
  }

  // 2. OneWindow on the city: its start, then each scenario after a warm-up. It runs on a copy: the load
  // adds requests and work orders (recent ones, which the queue, the reports and Open311 read), and a city
  // that grew with every run would make runs incomparable.
  const runDir = mkdtempSync(join(tmpdir(), 'onewindow-city-'));
  const runPath = join(runDir, 'city.db');
  for (const suffix of ['', '-wal']) if (existsSync(path + suffix)) copyFileSync(path + suffix, runPath + suffix);
  // The copy is 1.6 GB of dirty pages the kernel would write back while the server is measured (its own
  // log writes then wait behind them): written out first.
  for (const suffix of ['', '-wal']) {
    if (!existsSync(runPath + suffix)) continue;
    const fd = openSync(runPath + suffix, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const sizeBefore = fileBytes(runPath);
  const server = await startOneWindow(runPath);
  const results: Result[] = [];
  let peakRss: number | null;
  try {
    console.log(`OneWindow answered its first request ${n(server.startMs)} ms after the process started`);
    const clerk = await signIn(server.url, 'bench-clerk');
    const dispatcher = await signIn(server.url, 'bench-dispatcher');
    for (const scenario of scenarios(clerk, dispatcher, data).filter((s) => !only || s.name.includes(only))) {
      results.push(await run(server, scenario));
    }
  } finally {
    peakRss = server.peakRss();
    await server.stop();
  }
  const requestsAfter = (() => {
    const db = new Database(runPath, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM customer_requests').get() as { n: number }).n;
    } finally {
      db.close();
    }
  })();
  const sizeAfter = fileBytes(runPath);
  rmSync(runDir, { recursive: true, force: true });

  // 3. The report (of a whole run only).
  if (only) return;
  const intake = results[0]!;
  const bare = bareResult.loaded;
  const named = (name: string) => results.find((r) => r.loaded.scenario.name === name)!;
  const p99Alone = (name: string, limit: number, below = false): Target => {
    const p99 = named(name).alone.p99;
    return { what: `${name}: p99, one request at a time`, target: `${below ? '<' : '≤'} ${limit} ms`, measured: `${f(p99)} ms (${f(named(name).loaded.p99)} ms under load)`, met: below ? p99 < limit : p99 <= limit };
  };
  const targets: Target[] = [
    { what: 'intake: throughput', target: '≥ 0.5 × the bare stack', measured: `${f(intake.loaded.requestsPerSecond / bare.requestsPerSecond)} × (${n(intake.loaded.requestsPerSecond)} against ${n(bare.requestsPerSecond)} requests/s)`, met: intake.loaded.requestsPerSecond >= 0.5 * bare.requestsPerSecond },
    { what: 'intake: p99 under load', target: '≤ 25 ms', measured: `${f(intake.loaded.p99)} ms (${f(intake.alone.p99)} ms one at a time)`, met: intake.loaded.p99 <= 25 },
    p99Alone('problem-code search', 5),
    p99Alone('knowledge-base search', 10),
    p99Alone('report (volumes, 30 days)', 500, true),
    { what: 'start to first answer', target: '≤ 2 s', measured: `${n(server.startMs)} ms`, met: server.startMs <= 2000 },
    { what: 'peak RSS of the server', target: '≤ 300 MB', measured: mb(peakRss), met: peakRss === null ? null : peakRss <= 300 * 1024 * 1024 },
    duplicateSearch(),
  ];
  const cpu = cpus();
  const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length} logical CPUs, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${platform()} ${release()} (${arch()}); Node ${process.version}`;
  const cpuOf = (us: number | null) => (us === null ? 'n/a' : n(us));
  const cpuRatio = (us: number | null) => (us === null || !bareResult.cpuPerRequestUs ? 'n/a' : `${f(us / bareResult.cpuPerRequestUs)} ×`);
  const row = ({ loaded, alone, peakRss: rss, cpuPerRequestUs }: Result) =>
    `| ${loaded.scenario.name} | ${n(loaded.requestsPerSecond)} | ${f(loaded.requestsPerSecond / bare.requestsPerSecond)} × | ${f(loaded.p50)} | ${f(loaded.p99)} | ${cpuOf(cpuPerRequestUs)} | ${cpuRatio(cpuPerRequestUs)} | ${f(alone.p50)} | ${f(alone.p99)} | ${f(alone.p99 / Math.max(bareResult.alone.p99, 1))} × | ${mb(rss)} | ${loaded.non2xx + loaded.errors + alone.non2xx + alone.errors} |`;
  const report = `# City-scale benchmark

Produced by \`npm run bench\` (scripts/bench/city-scale.ts); every figure is from one run on one machine, OneWindow and the bare stack side by side.

- **Date:** ${new Date().toISOString()}
- **Machine:** ${machine}; 1-minute load average ${loadBefore.toFixed(2)} before the run, ${loadavg()[0]!.toFixed(2)} after
- **Database:** ${n(summary.counts.problemCodes!)} problem codes, ${n(summary.counts.articles!)} knowledge-base articles, ${n(summary.counts.addresses!)} addresses, ${n(summary.counts.workOrders!)} work orders (${n(summary.counts.openWorkOrders!)} open), ${n(summary.counts.requests!)} customer requests over ${scale.years} years (${n(summary.counts.actionRequests!)} action, ${n(summary.counts.informationRequests!)} information, ${n(summary.counts.comments!)} comments; ${n(summary.counts.requestsOnWorkOrders!)} on work orders); ${mb(sizeBefore)} on disk before the run, ${mb(sizeAfter)} after (${n(requestsAfter - summary.counts.requests!)} requests added by the load; each run starts from a fresh copy of the built city). Built in ${summary.buildSeconds.toFixed(0)} s (seed ${summary.seed})${reused ? ', reused from an earlier run' : ''}.
- **Shape:** ${distributions.source} The generator uses the code weights, the channels, the hour of day and the duplicate share; the weekday, the times to close and the on-time share are in distributions.json but not used yet (work orders close after an exponential time with a 6-day mean). Request kinds other than action requests (85% information, 10% comments, 5% unfiled action requests among them) are an assumption: the records hold service requests only.
- **Load:** autocannon in the benchmark's process; each scenario ${WARMUP_SECONDS} s of warm-up, then ${SECONDS} s under load (${CONNECTIONS} connections: throughput, and latency with queueing), then ${ALONE_SECONDS} s alone (1 connection: each request's own time). The server runs in its own process (\`node --import tsx server/main.ts\`, NODE_ENV=production); client and server share the machine's ${cpu.length} CPUs, for OneWindow and the bare stack alike. "Server CPU" is the server process's CPU time (every thread, user and system, from /proc) over the load's seconds divided by the requests answered: what one request costs the server, whatever the client's share of the machine. Staff routes are called with a signed-in session (cookie and CSRF token); Open311 without one. autocannon reports whole milliseconds.

| scenario | requests/s | × bare | p50 ms | p99 ms | server CPU µs a request | × bare | alone p50 ms | alone p99 ms | alone p99 × bare | peak RSS so far | failed |
|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|
${row(bareResult)}
${results.map(row).join('\n')}

The intake is ${f(intake.loaded.scenario.perContact!)} requests per contact on average: ${n(intake.loaded.requestsPerSecond / intake.loaded.scenario.perContact!)} contacts/s.

| what | target | measured | met |
|---|---|---|---|
${targets.map((t) => `| ${t.what} | ${t.target} | ${t.measured} | ${t.met === null ? '—' : t.met ? 'yes' : '**no**'} |`).join('\n')}

What each scenario asks:

${[bareResult, ...results].map((r) => `- **${r.loaded.scenario.name}:** ${r.loaded.scenario.what}`).join('\n')}
`;
  console.log(`\n${report}`);
  if (!quick) {
    writeFileSync(reportPath, report);
    console.log(`written to ${reportPath}`);
  }
  const failures = [bareResult, ...results].flatMap((r) => [r.loaded, r.alone]).filter((m) => m.non2xx > 0 || m.errors > 0);
  if (failures.length > 0) {
    // Wrong answers make the figures meaningless: that is a failure of the harness, not a slow result.
    console.error(`some requests failed: ${failures.map((m) => `${m.scenario.name} (${m.non2xx} not 2xx, ${m.errors} errors)`).join('; ')}`);
    process.exitCode = 1;
  }
}

await main();
