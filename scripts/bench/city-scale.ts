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
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildCity, builtCity, cityPath, distributions, scales, type CitySummary } from './city-scale/build.ts';
import { bareScenario, measure, readLoadData, scenarios, signIn, type Measured } from './city-scale/load.ts';
import { startBareStack, startOneWindow } from './city-scale/servers.ts';

const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const scale = quick ? scales.quick : scales.full;
const CONNECTIONS = 10;
const SECONDS = quick ? 2 : 15;
const WARMUP_SECONDS = quick ? 1 : 3;
const reportPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results.md');
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
  const bare = await startBareStack(join(scratch, 'bare.db'));
  let bareResult: Measured;
  try {
    await measure(bare.url, bareScenario, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
    bareResult = await measure(bare.url, bareScenario, { connections: CONNECTIONS, seconds: SECONDS });
  } finally {
    await bare.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`bare stack: ${n(bareResult.requestsPerSecond)} requests/s, p50 ${f(bareResult.p50)} ms, p99 ${f(bareResult.p99)} ms`);

  // 2. OneWindow on the city: its start, then each scenario after a warm-up.
  const sizeBefore = fileBytes(path);
  const server = await startOneWindow(path);
  const results: Measured[] = [];
  let peakRss: number | null;
  try {
    console.log(`OneWindow answered its first request ${n(server.startMs)} ms after the process started`);
    const clerk = await signIn(server.url, 'bench-clerk');
    const dispatcher = await signIn(server.url, 'bench-dispatcher');
    for (const scenario of scenarios(clerk, dispatcher, data).filter((s) => !only || s.name.includes(only))) {
      await measure(server.url, scenario, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
      const result = await measure(server.url, scenario, { connections: CONNECTIONS, seconds: SECONDS });
      results.push(result);
      console.log(`${scenario.name}: ${n(result.requestsPerSecond)} requests/s, p50 ${f(result.p50)} ms, p99 ${f(result.p99)} ms${result.non2xx || result.errors ? ` — ${result.non2xx} not 2xx, ${result.errors} errors` : ''}`);
    }
  } finally {
    peakRss = server.peakRss();
    await server.stop();
  }
  const requestsAfter = (() => {
    const db = new Database(path, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM customer_requests').get() as { n: number }).n;
    } finally {
      db.close();
    }
  })();

  // 3. The report (of a whole run only).
  if (only) return;
  const intake = results[0]!;
  const byName = (name: string) => results.find((r) => r.scenario.name === name)!;
  const targets: Target[] = [
    { what: 'intake throughput', target: '≥ 0.5 × the bare stack', measured: `${f(intake.requestsPerSecond / bareResult.requestsPerSecond)} ×`, met: intake.requestsPerSecond >= 0.5 * bareResult.requestsPerSecond },
    { what: 'intake p99', target: '≤ 25 ms', measured: `${f(intake.p99)} ms`, met: intake.p99 <= 25 },
    { what: 'problem-code search p99 (over HTTP)', target: '≤ 5 ms', measured: `${f(byName('problem-code search').p99)} ms`, met: byName('problem-code search').p99 <= 5 },
    { what: 'knowledge-base search p99 (over HTTP)', target: '≤ 10 ms', measured: `${f(byName('knowledge-base search').p99)} ms`, met: byName('knowledge-base search').p99 <= 10 },
    { what: 'report p99 (over HTTP)', target: '< 500 ms', measured: `${f(byName('report (volumes, 30 days)').p99)} ms`, met: byName('report (volumes, 30 days)').p99 < 500 },
    { what: 'start to first answer', target: '≤ 2 s', measured: `${n(server.startMs)} ms`, met: server.startMs <= 2000 },
    { what: 'peak RSS of the server', target: '≤ 300 MB', measured: mb(peakRss), met: peakRss === null ? null : peakRss <= 300 * 1024 * 1024 },
    { what: 'duplicate search p99', target: '≤ 2 ms', measured: 'see bench/duplicates.md (timed in-process, one search at a time)', met: null },
  ];
  const cpu = cpus();
  const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length} logical CPUs, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${platform()} ${release()} (${arch()}); Node ${process.version}`;
  const row = (r: Measured) =>
    `| ${r.scenario.name} | ${n(r.requestsPerSecond)} | ${f(r.requestsPerSecond / bareResult.requestsPerSecond)} × | ${f(r.p50)} | ${f(r.p99)} | ${f(r.p99 / bareResult.p99)} × | ${n(r.requests)} | ${r.non2xx + r.errors} |`;
  const report = `# City-scale benchmark

Produced by \`npm run bench\` (scripts/bench/city-scale.ts); every figure is from one run on one machine, OneWindow and the bare stack side by side.

- **Date:** ${new Date().toISOString()}
- **Machine:** ${machine}; 1-minute load average ${loadBefore.toFixed(2)} before the run, ${loadavg()[0]!.toFixed(2)} after
- **Database:** ${n(summary.counts.problemCodes!)} problem codes, ${n(summary.counts.articles!)} knowledge-base articles, ${n(summary.counts.addresses!)} addresses, ${n(summary.counts.workOrders!)} work orders (${n(summary.counts.openWorkOrders!)} open), ${n(summary.counts.requests!)} customer requests over ${scale.years} years (${n(summary.counts.actionRequests!)} action, ${n(summary.counts.informationRequests!)} information, ${n(summary.counts.comments!)} comments; ${n(summary.counts.requestsOnWorkOrders!)} on work orders); ${mb(sizeBefore)} on disk before the run, ${mb(fileBytes(path))} after (${n(requestsAfter - summary.counts.requests!)} requests added by the load). Built in ${summary.buildSeconds.toFixed(0)} s (seed ${summary.seed})${reused ? ', reused from an earlier run' : ''}.
- **Shape:** ${distributions.source} Request kinds other than action requests (85% information, 10% comments, 5% unfiled action requests among them) are an assumption: the records hold service requests only.
- **Load:** autocannon in the benchmark's process, ${CONNECTIONS} connections, ${SECONDS} s per scenario after ${WARMUP_SECONDS} s of warm-up; the server in its own process (\`node --import tsx server/main.ts\`, NODE_ENV=production); client and server share the machine's ${cpu.length} CPUs, for OneWindow and the bare stack alike. Staff routes are called with a signed-in session (cookie and CSRF token); Open311 without one.

| scenario | requests/s | × bare | p50 ms | p99 ms | p99 × bare | requests | not 2xx |
|---|--:|--:|--:|--:|--:|--:|--:|
${row(bareResult)}
${results.map(row).join('\n')}

The intake is ${f(intake.scenario.perContact!)} requests per contact on average: ${n(intake.requestsPerSecond / intake.scenario.perContact!)} contacts/s.

| what | target | measured | met |
|---|---|---|---|
${targets.map((t) => `| ${t.what} | ${t.target} | ${t.measured} | ${t.met === null ? '—' : t.met ? 'yes' : '**no**'} |`).join('\n')}

What each scenario asks:

${[bareResult, ...results].map((r) => `- **${r.scenario.name}:** ${r.scenario.what}`).join('\n')}
`;
  console.log(`\n${report}`);
  if (!quick) {
    writeFileSync(reportPath, report);
    console.log(`written to ${reportPath}`);
  }
  const failures = [bareResult, ...results].filter((r) => r.non2xx > 0 || r.errors > 0);
  if (failures.length > 0) {
    // Wrong answers make the figures meaningless: that is a failure of the harness, not a slow result.
    console.error(`some requests failed: ${failures.map((r) => `${r.scenario.name} (${r.non2xx} not 2xx, ${r.errors} errors)`).join('; ')}`);
    process.exitCode = 1;
  }
}

await main();
