// Benchmark of duplicate search (its target): findDuplicateCandidates answers in
// p99 ≤ 2 ms with 200,000 open work orders and 1,000,000 customer requests, and at least 50× faster than
// a plain scan of the work orders in the same run. Timing lives here, never in a test (CONVENTIONS.md).
//
//   node --import tsx scripts/bench/duplicates.ts           full run, writes bench/duplicates.md
//   node --import tsx scripts/bench/duplicates.ts --quick   2,000 open work orders, 10,000 requests, 200 probes: a smoke test of the harness
//   … --keep-db <file>   also copy the loaded database to <file>, to try a query by hand (EXPLAIN QUERY PLAN)
//
// The database is built in a temporary file with raw prepared statements in large transactions: the sample
// city's hierarchy (applyHierarchy), the address registry, then work orders (inserted normally, so the
// migration's triggers fill the R*Tree work_order_area), interactions and customer requests, then the file is closed and opened again
// with openDatabase, so the searches run on exactly the connection settings the server uses.
// Work orders are spread over the sample city's problem codes, weighted (potholes, bulk item pickups,
// street lights, parking, missed trash … are most of them), over addresses clustered around Boston's
// neighbourhoods (water and large parks have none), created over the last five years, the open ones mostly
// recent. Then the searches: findDuplicateCandidates, timed one probe at a time; and for a subset of the
// same probes the same question answered without the R*Tree — a plain scan of work_orders — whose answers
// must be the same work orders (the run aborts if not).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { closeDatabase, openDatabase, type Db } from '../../db/connection.ts';
import * as schema from '../../db/schema/index.ts';
import { systemActor } from '../../server/audit/service.ts';
import { readCityFolder, sampleCityDir, type CityHierarchy } from '../../server/hierarchy/files.ts';
import { applyHierarchy } from '../../server/hierarchy/loader.ts';
import { cityTimeZone } from '../../server/numbers.ts';
import { findDuplicateCandidates, greatCircleMeters, matchValueOf, ruleOf, type Probe } from '../../server/work-orders/duplicates.ts';
import { addressText, background, box, cityWork, clusters, DAY, emptyZones, iso, metresBetween, MINUTE, poleAt, type Addresses, type Code, type WorkOrders } from './city-scale/work.ts';
import { fmt, mb, ms, percentile, seededRandom } from './lib.ts';

const quick = process.argv.includes('--quick');
const keepDbAt = process.argv.includes('--keep-db') ? process.argv[process.argv.indexOf('--keep-db') + 1] : undefined;
const SEED = 20240611;
const TARGET_P99_MS = 2;
const TARGET_SPEEDUP = 50;
const OPEN_WORK_ORDERS = quick ? 2_000 : 200_000;
const CLOSED_WORK_ORDERS = quick ? 1_000 : 100_000;
const REQUESTS = quick ? 10_000 : 1_000_000;
const ADDRESSES = quick ? 2_000 : 150_000;
const PROBES = quick ? 200 : 5_000;
const SCAN_PROBES = quick ? 50 : 200;
const WARMUP = quick ? 50 : 500;
const YEARS = 5;
/** The server's default DUPLICATE_STRONG_SCORE (50) as findDuplicateCandidates takes it. */
const STRONG_SCORE = 0.5;
/** Rows per transaction while loading. */
const BATCH = 50_000;
const reportPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'duplicates.md');

const rng = seededRandom(SEED);
const { random, int, pick } = rng;
/** The run's "now": data is generated back from it and every search is made as of it. */
const NOW = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
const count = (n: number) => n.toLocaleString('en-US');

/** How common each problem code is, roughly as in Boston's 311 data; every other code weighs 1.5. */
const commonCodes: Record<string, number> = {
  S0301: 110, BULK_ITEM_PICKUP: 100, STREET_LIGHT_OUT: 90, PARKING_ENFORCEMENT: 70, MISSED_TRASH: 60, STREET_CLEANING: 45,
  SIDEWALK_REPAIR: 30, ABANDONED_VEHICLE: 25, GRAFFITI_REMOVAL: 25, TREE_MAINTENANCE: 25, NEEDLE_PICKUP: 20, RODENT_ACTIVITY: 20,
  MISSED_RECYCLING: 20, ILLEGAL_DUMPING: 18, IMPROPER_TRASH_STORAGE: 18, UNSHOVELED_SIDEWALK: 15, SNOW_PLOWING: 15,
  TRAFFIC_SIGNAL_REPAIR: 12, SIGN_REPAIR: 12, EMPTY_LITTER_BASKET: 12, HEAT: 10, UNSATISFACTORY_LIVING: 10, DEAD_ANIMAL: 8,
  CATCH_BASIN: 8, PARK_GROUND_MAINTENANCE: 8,
};
const otherCodeWeight = 1.5;

const {
  problemCodes, weighted, offset, emptyZonePoint, generateAddresses, yearOf, generateWorkOrders, insertAddresses, insertWorkOrders, generateRequests, insertRequests,
} = cityWork(rng, {
  now: NOW.getTime(),
  years: YEARS,
  addresses: ADDRESSES,
  openWorkOrders: OPEN_WORK_ORDERS,
  closedWorkOrders: CLOSED_WORK_ORDERS,
  requests: REQUESTS,
  codeWeights: commonCodes,
  otherCodeWeight,
  channelWeights: { phone: 35, web: 20, mobile_app: 25, open311: 10, email: 5, walk_in: 3, mail: 1, fax: 1 },
  callerWeights: [55, 22, 12, 7, 4],
  otherKinds: { information: 0.6, comment: 0.1 },
});


// ---------------------------------------------------------------------------------------------------
// 3. The probes

const probeCategories = ['next to an open work order', 'random address', 'empty area'] as const;
type ProbeCategory = (typeof probeCategories)[number];
interface ProbeCase {
  category: ProbeCategory;
  probe: Probe;
  /** What the probe was made from, for the slowest-probes table. */
  note: string;
}

function probeMix(n: number, codes: Code[], wo: WorkOrders, addresses: Addresses): ProbeCase[] {
  const ruled = codes.filter((c) => c.rule !== null);
  const pickRuled = weighted(ruled, (c) => c.weight);
  // Open work orders a new report could still join: their code has a rule and they are inside its window.
  const joinable: number[] = [];
  for (let i = 0; i < wo.n; i++) {
    const rule = codes[wo.code[i]!]!.rule;
    if (wo.open[i] === 1 && rule && wo.created[i]! >= NOW.getTime() - rule.windowDays * DAY) joinable.push(i);
  }
  const cases: ProbeCase[] = [];
  for (let k = 0; k < n; k++) {
    const x = random();
    if (x < 0.4 && joinable.length > 0) {
      const w = pick(joinable);
      const code = codes[wo.code[w]!]!;
      const rule = code.rule!;
      const p = rule.radiusMeters === 0 ? { lat: wo.lat[w]!, lon: wo.lon[w]! } : offset(wo.lat[w]!, wo.lon[w]!, random() * 0.9 * rule.radiusMeters);
      let answers: Record<string, unknown> = {};
      const matchValue = wo.matchValue[w];
      if (rule.matchAttribute && matchValue) {
        const y = random();
        // The same pole as typed by a caller ("  12345 "), another pole, or no answer.
        if (y < 0.7) answers = { [rule.matchAttribute]: ` ${matchValue.toLowerCase()} ` };
        else if (y < 0.85) answers = { [rule.matchAttribute]: poleAt(int(ADDRESSES)) };
      }
      // A clerk picks the registry address; a pin dropped in the portal has coordinates only.
      const addressId = random() < 0.6 ? wo.address[w]! + 1 : null;
      cases.push({ category: 'next to an open work order', probe: { problemCode: code.code, latitude: p.lat, longitude: p.lon, addressId, answers }, note: `${code.code} near W#${w + 1}` });
    } else if (x < 0.8) {
      const code = pickRuled();
      const a = int(ADDRESSES);
      const p = code.rule!.radiusMeters === 0 ? { lat: addresses.lat[a]!, lon: addresses.lon[a]! } : offset(addresses.lat[a]!, addresses.lon[a]!, random() * 15);
      const answers = code.rule!.matchAttribute && random() < 0.6 ? { [code.rule!.matchAttribute]: poleAt(a) } : {};
      const addressId = random() < 0.6 ? a + 1 : null;
      cases.push({ category: 'random address', probe: { problemCode: code.code, latitude: p.lat, longitude: p.lon, addressId, answers }, note: `${code.code} at ${addressText(a)}` });
    } else {
      const code = pickRuled();
      const p = emptyZonePoint();
      cases.push({ category: 'empty area', probe: { problemCode: code.code, latitude: p.lat, longitude: p.lon, addressId: null, answers: {} }, note: `${code.code} in ${emptyZones.find((z) => metresBetween(p, z) <= z.r)?.name ?? 'an empty area'}` });
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------
// 4. The plain scan: the same question without the R*Tree

interface ScanAnswer {
  numbers: string[];
  callers: Map<string, number>;
  /** Rows the SQL returned: the code's (or category's) open work orders inside the window. */
  rows: number;
}

/**
 * findDuplicateCandidates's question answered without the spatial index: the rule is resolved the same way
 * (ruleOf), the open work orders of the code (or category) inside the window are selected from work_orders,
 * each is kept when it has the probe's registry address or its great-circle distance is within the radius,
 * the rule's attribute is compared, and callers counted
 * for the survivors only. `full`: `work_orders NOT INDEXED`, a scan of every row of the table (the plain
 * scan); `code index`: SQLite may use work_orders_code_idx / work_orders_category_idx (the best the
 * product could do without the R*Tree). Both read only the columns they need, so they do less than
 * the product does per row: the comparison favours them.
 */
function scanner(client: Database.Database, mode: 'full' | 'code index') {
  const from = mode === 'full' ? 'work_orders w NOT INDEXED' : 'work_orders w';
  const statement = (column: string) =>
    client.prepare(`SELECT w.id, w.number, w.address_id AS addressId, w.latitude, w.longitude, w.match_value AS matchValue FROM ${from}
      WHERE w.${column} = ? AND w.status IN ('new', 'assigned', 'in_progress', 'on_hold') AND w.created_at >= ?`);
  const byCode = statement('problem_code_id');
  const byCategory = statement('category_id');
  const callers = client.prepare(`SELECT count(*) AS n FROM customer_requests r WHERE r.work_order_id = ? AND r.status <> 'cancelled'`).pluck();
  const search = (db: Db, probe: Probe): ScanAnswer => {
    const { rule, codeId, categoryId } = ruleOf(db, probe.problemCode);
    const { latitude: lat, longitude: lon } = probe;
    if (!rule || lat === null || lon === null) throw new Error('the scans answer only probes with a rule and coordinates');
    const since = new Date(NOW.getTime() - rule.windowDays * DAY).toISOString();
    const rows = (rule.scope === 'category' ? byCategory.all(categoryId, since) : byCode.all(codeId, since)) as {
      id: number;
      number: string;
      addressId: number | null;
      latitude: number | null;
      longitude: number | null;
      matchValue: string | null;
    }[];
    const wanted = matchValueOf(rule, probe.answers);
    const answer: ScanAnswer = { numbers: [], callers: new Map(), rows: rows.length };
    for (const row of rows) {
      // The same registry address, or within the radius.
      const sameAddress = probe.addressId !== null && row.addressId === probe.addressId;
      if (!sameAddress && (row.latitude === null || row.longitude === null || greatCircleMeters(lat, lon, row.latitude, row.longitude) > rule.radiusMeters)) continue;
      if (wanted !== null && row.matchValue !== null && row.matchValue !== wanted) continue;
      answer.numbers.push(row.number);
      answer.callers.set(row.number, callers.get(row.id) as number);
    }
    return answer;
  };
  return { search, sql: byCode.source };
}

// ---------------------------------------------------------------------------------------------------
// 5. Timing and the report

interface Latency {
  label: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  /** Mean candidates found, and the share of probes with at least one. */
  candidates?: number;
  withCandidates?: number;
}

function latency(label: string, durations: number[], found?: number[]): Latency {
  const sorted = [...durations].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  const base = { label, count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted.at(-1)!, mean };
  if (!found) return base;
  return { ...base, candidates: found.reduce((a, b) => a + b, 0) / Math.max(1, found.length), withCandidates: found.filter((f) => f > 0).length / Math.max(1, found.length) };
}

function latencyTable(rows: Latency[]): string {
  const withFound = rows.some((r) => r.candidates !== undefined);
  return [
    `| probes | count | p50 ms | p95 ms | p99 ms | max ms | mean ms |${withFound ? ' candidates (mean) | with candidates |' : ''}`,
    `|---|--:|--:|--:|--:|--:|--:|${withFound ? '--:|--:|' : ''}`,
    ...rows
      .filter((r) => r.count > 0)
      .map(
        (r) =>
          `| ${r.label} | ${r.count} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${fmt(r.mean)} |` +
          (withFound ? ` ${r.candidates === undefined ? '' : r.candidates.toFixed(2)} | ${r.withCandidates === undefined ? '' : `${Math.round(r.withCandidates * 100)}%`} |` : ''),
      ),
  ].join('\n');
}

const time = <T>(f: () => T): [T, number] => {
  const before = process.hrtime.bigint();
  const result = f();
  return [result, ms(process.hrtime.bigint() - before)];
};

/** The garbage-collection pauses while `run` runs (their entries arrive asynchronously, hence the wait). */
async function gcPausesDuring(run: () => void): Promise<{ count: number; ms: number }> {
  const seen: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen.push(e.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  run();
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return { count: seen.length, ms: seen.reduce((a, b) => a + b, 0) };
}

/** A full garbage collection now (V8's gc(), exposed at run time so the bench needs no node flag). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface Statement {
  query: string;
  params: unknown[];
}

/** The statements findDuplicateCandidates runs for a probe after ruleOf, as drizzle sends them to SQLite. */
function statementsOf(db: Db, probe: Probe): { area?: Statement; address?: Statement } {
  const captured: { area?: Statement; address?: Statement } = {};
  const logQuery = (query: string, params: unknown[]) => {
    if (query.includes('work_order_area')) captured.area = { query, params };
    else if (query.includes('w.address_id =')) captured.address = { query, params };
  };
  // A second drizzle on the same connection, only to log what the search sends (it opens no transaction).
  findDuplicateCandidates(drizzle({ client: db.$client, schema, logger: { logQuery } }) as unknown as Db, probe, { now: NOW, strongScore: STRONG_SCORE });
  return captured;
}

function plan(client: Database.Database, query: string, params: unknown[]): string[] {
  const rows = client.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...params) as { id: number; parent: number; detail: string }[];
  const depth = new Map<number, number>([[0, 0]]);
  return rows.map((r) => {
    const d = (depth.get(r.parent) ?? 0) + 1;
    depth.set(r.id, d);
    return `${'  '.repeat(d - 1)}${r.detail}`;
  });
}

function tableSizes(client: Database.Database): string | undefined {
  try {
    const rows = client.prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name`).all() as { name: string; bytes: number }[];
    const of = (test: (name: string) => boolean) => rows.filter((r) => test(r.name)).reduce((n, r) => n + r.bytes, 0);
    const indexOf = (table: string) => (client.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`).pluck().all(table) as string[]).concat(`sqlite_autoindex_${table}_1`);
    const groups = [
      ['work_orders', of((n) => n === 'work_orders'), of((n) => indexOf('work_orders').includes(n))],
      ['customer_requests', of((n) => n === 'customer_requests'), of((n) => indexOf('customer_requests').includes(n))],
      ['interactions', of((n) => n === 'interactions'), 0],
    ] as const;
    const rtree = of((n) => n.startsWith('work_order_area'));
    return groups.map(([name, data, index]) => `${name} ${mb(data)}${index ? ` + indexes ${mb(index)}` : ''}`).join(', ') + `, R*Tree work_order_area ${mb(rtree)}`;
  } catch {
    return undefined; // dbstat is not compiled in
  }
}

/**
 * Builds the city into a new database file at `dbPath` and draws the probes. Only what the searches and the
 * report need leaves this function: the generated rows are garbage once loaded, and are collected before
 * the timed loop.
 */
function buildCity(dbPath: string, hierarchy: CityHierarchy) {
  let db: Db | undefined;
  try {
    // 1. The hierarchy and the generated city.
    const buildStart = process.hrtime.bigint();
    db = openDatabase(dbPath);
    applyHierarchy(db, { ...systemActor, label: 'bench' }, hierarchy);
    const codes = problemCodes(db);
    const ruled = codes.filter((c) => c.rule !== null);
    const missing = Object.keys(commonCodes).filter((c) => !codes.some((x) => x.code === c));
    if (missing.length) console.log(`note: common codes not in the sample city (left out): ${missing.join(', ')}`);
    const yearAt = yearOf(cityTimeZone(db));

    let t = process.hrtime.bigint();
    const addresses = generateAddresses(ADDRESSES);
    const wo = generateWorkOrders(codes, addresses);
    const rq = generateRequests(wo);
    const generateMs = ms(process.hrtime.bigint() - t);
    console.log(
      `generated ${count(ADDRESSES)} address points, ${count(wo.n)} work orders (${count(OPEN_WORK_ORDERS)} open) over ${codes.length} problem codes ` +
        `(${ruled.length} with a duplicate rule), ${count(rq.n)} customer requests (${count(rq.linked)} on work orders) in ${(generateMs / 1000).toFixed(1)} s; seed ${SEED}`,
    );

    // 2. Load: large transactions, no fsync; the server's own pragmas come back when the file is reopened.
    console.log(`loading into a fresh database at ${dbPath} …`);
    db.$client.pragma('synchronous = OFF');
    db.$client.pragma('cache_size = -262144');
    t = process.hrtime.bigint();
    insertAddresses(db, addresses);
    const woSequence = insertWorkOrders(db, codes, wo, yearAt);
    const woMs = ms(process.hrtime.bigint() - t);
    t = process.hrtime.bigint();
    const { sequence: rqSequence, interactions } = insertRequests(db, codes, addresses, wo, rq, yearAt);
    const rqMs = ms(process.hrtime.bigint() - t);
    const setSequence = db.$client.prepare('INSERT INTO sequences (series, year, value) VALUES (?, ?, ?) ON CONFLICT (series, year) DO UPDATE SET value = excluded.value');
    for (const [year, value] of woSequence) setSequence.run('work_order', year, value);
    for (const [year, value] of rqSequence) setSequence.run('customer_request', year, value);
    const client0 = db.$client;
    const counts = client0
      .prepare(`SELECT (SELECT count(*) FROM work_orders WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold')) AS open, (SELECT count(*) FROM work_orders) AS all_,
          (SELECT count(*) FROM work_order_area) AS area, (SELECT count(*) FROM customer_requests) AS requests, (SELECT count(*) FROM customer_requests WHERE work_order_id IS NOT NULL) AS linked`)
      .get() as { open: number; all_: number; area: number; requests: number; linked: number };
    if (counts.open !== OPEN_WORK_ORDERS || counts.area !== OPEN_WORK_ORDERS || counts.all_ !== wo.n || counts.requests !== REQUESTS || counts.linked !== rq.linked) {
      throw new Error(`the load is not what was generated: ${JSON.stringify(counts)}`);
    }
    closeDatabase(db);
    const buildMs = ms(process.hrtime.bigint() - buildStart);
    const dbBytes = statSync(dbPath).size;
    db = openDatabase(dbPath);
    const client = db.$client;
    const sizes = tableSizes(client);
    if (keepDbAt) {
      copyFileSync(dbPath, keepDbAt);
      console.log(`kept a copy of the database at ${keepDbAt}`);
    }
    const rss = process.memoryUsage().rss;
    const buildLine =
      `${(buildMs / 1000).toFixed(1)} s (generation ${(generateMs / 1000).toFixed(1)} s, ${count(ADDRESSES)} addresses and ${count(wo.n)} work orders ${(woMs / 1000).toFixed(1)} s, ` +
      `${count(interactions)} interactions and ${count(REQUESTS)} requests ${(rqMs / 1000).toFixed(1)} s); database ${mb(dbBytes)}${sizes ? ` (${sizes})` : ''}; RSS ${mb(rss)}`;
    console.log(`built in ${buildLine}`);
    console.log(`R*Tree holds ${count(counts.area)} open work orders; ${count(counts.linked)} requests are on work orders`);

    const codeShare = Object.keys(commonCodes)
      .slice(0, 5)
      .map((code) => {
        const c = codes.find((x) => x.code === code);
        if (!c) return '';
        let n = 0;
        for (let i = 0; i < wo.n; i++) if (wo.code[i] === c.index && wo.open[i] === 1) n++;
        return `${code} ${count(n)}`;
      })
      .filter(Boolean)
      .join(', ');

    // 3. Probes: a warm-up set and the timed set, from the same mix.
    const warmup = probeMix(WARMUP, codes, wo, addresses);
    const probes = probeMix(PROBES, codes, wo, addresses);
    const mix = probeCategories.map((c) => `${probes.filter((p) => p.category === c).length} ${c}`).join(', ');
    console.log(`probes: ${probes.length} (${mix}), codes with a duplicate rule drawn by weight; ${WARMUP} warm-up probes first`);
    return { db, codes, ruled, warmup, probes, mix, workOrders: wo.n, linked: rq.linked, interactions, codeShare, buildLine, area: counts.area };
  } catch (error) {
    if (db) closeDatabase(db);
    throw error;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadavg()[0]!;
  if (loadBefore > 0.5) console.log(`note: 1-minute load average is ${loadBefore.toFixed(2)}; other processes will show in the numbers`);
  const root = mkdtempSync(join(tmpdir(), 'onewindow-dup-bench-'));
  const dbPath = join(root, 'bench.db');
  let db: Db | undefined;
  try {
    const hierarchy = readCityFolder(sampleCityDir).hierarchy;
    if (!hierarchy) throw new Error('the sample city does not pass its own checks');
    const city = buildCity(dbPath, hierarchy);
    db = city.db;
    const client = db.$client;
    const { codes, ruled, warmup, probes, mix, interactions, codeShare, buildLine } = city;
    // Start the timed loop from a collected heap: what the build left behind is not the searches' garbage.
    collectGarbage();

    // 4. findDuplicateCandidates, each call timed alone.
    for (const p of warmup) findDuplicateCandidates(db, p.probe, { now: NOW, strongScore: STRONG_SCORE });
    const durations: number[] = [];
    const found: number[] = [];
    const results: string[][] = [];
    const database = db;
    // Garbage-collection pauses, to tell which probes had one land in them (entries arrive asynchronously).
    const pauses: { start: number; end: number }[] = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) pauses.push({ start: e.startTime, end: e.startTime + e.duration });
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const spans: { start: number; end: number }[] = [];
    const loopStart = process.hrtime.bigint();
    const cpuTimes: number[] = [];
    for (const p of probes) {
      const cpuBefore = process.cpuUsage();
      const spanStart = performance.now();
      const [result, duration] = time(() => findDuplicateCandidates(database, p.probe, { now: NOW, strongScore: STRONG_SCORE }));
      spans.push({ start: spanStart, end: performance.now() });
      const cpu = process.cpuUsage(cpuBefore);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
      durations.push(duration);
      found.push(result.candidates.length);
      results.push(result.candidates.map((c) => `${c.number}:${c.callers}`));
    }
    const loopMs = ms(process.hrtime.bigint() - loopStart);
    await new Promise((resolve) => setTimeout(resolve, 100));
    gcObserver.disconnect();
    const loopPauses = pauses.filter((g) => g.end >= spans[0]!.start && g.start <= spans.at(-1)!.end);
    const hitByGc = spans.map((span) => loopPauses.some((g) => g.start < span.end && g.end > span.start));
    const clean = probes.map((_, i) => i).filter((i) => !hitByGc[i]);
    const rows = [
      ...probeCategories.map((c) => {
        const at = probes.map((p, i) => (p.category === c ? i : -1)).filter((i) => i >= 0);
        return latency(c, at.map((i) => durations[i]!), at.map((i) => found[i]!));
      }),
      latency('**all**', durations, found),
    ];
    const noGc = latency('all, without the probes a GC pause landed in', clean.map((i) => durations[i]!), clean.map((i) => found[i]!));
    const pauseMs = loopPauses.map((g) => g.end - g.start).sort((a, b) => a - b);
    const gcLine =
      `Garbage collection during the ${probes.length} timed searches: ${loopPauses.length} pauses (${fmt(pauseMs.reduce((a, b) => a + b, 0))} ms in all, longest ${fmt(pauseMs.at(-1) ?? 0)} ms, median ${fmt(pauseMs.length ? percentile(pauseMs, 0.5) : 0)} ms), ` +
      `landing in ${probes.length - clean.length} probes; without those: p99 ${fmt(noGc.p99)} ms, max ${fmt(noGc.max)} ms.`;
    const overall = rows.at(-1)!;
    const throughput = Math.round(probes.length / (loopMs / 1000));

    // 5. Where the time goes: the statements findDuplicateCandidates runs, captured (untimed), then each part timed alone.
    const captured = probes.map((p, i) => {
      const c = statementsOf(database, p.probe);
      if (!c.area) throw new Error(`probe ${i} (${p.note}) ran no R*Tree statement: every probe has a rule and coordinates`);
      return { area: c.area, address: c.address };
    });
    const prepared = new Map<string, Database.Statement>();
    const statement = (query: string) => prepared.get(query) ?? prepared.set(query, client.prepare(query)).get(query)!;
    // Each part in a loop of its own, counting the GC pauses it causes: which part makes the garbage.
    const ruleTimes: number[] = [];
    const areaTimes: number[] = [];
    const addressTimes: number[] = [];
    const ruleGc = await gcPausesDuring(() => probes.forEach((p) => ruleTimes.push(time(() => ruleOf(database, p.probe.problemCode))[1])));
    const areaGc = await gcPausesDuring(() =>
      captured.forEach(({ area }) => {
        const s = statement(area.query);
        areaTimes.push(time(() => s.all(...area.params))[1]);
      }),
    );
    const addressGc = await gcPausesDuring(() =>
      captured.forEach(({ address }) => {
        if (!address) return;
        const s = statement(address.query);
        addressTimes.push(time(() => s.all(...address.params))[1]);
      }),
    );
    const pausesText = (g: { count: number; ms: number }) => `${g.count} GC pause${g.count === 1 ? '' : 's'}, ${fmt(g.ms)} ms`;
    const breakdown = [
      latency(`findDuplicateCandidates, CPU time of the process (user + system) per probe (${pausesText({ count: loopPauses.length, ms: pauseMs.reduce((a, b) => a + b, 0) })})`, cpuTimes),
      latency(`ruleOf (getNode + ids), per probe (${pausesText(ruleGc)})`, ruleTimes),
      latency(`the R*Tree statement alone, prepared once (${pausesText(areaGc)})`, areaTimes),
      latency(`the same-address statement alone, probes with a registry address (${pausesText(addressGc)})`, addressTimes),
    ];
    // What the statement has to go through: the open work orders (any code) in the box, and those of the
    // probe's code (or category) inside the rule's window (what work_orders_code_idx would yield).
    const boxCount = client.prepare('SELECT count(*) FROM work_order_area WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?').pluck();
    const boxRows = captured.map((c) => boxCount.get(...c.area.params.slice(0, 4)) as number);
    const countIn = (column: string) => client.prepare(`SELECT count(*) FROM work_orders WHERE ${column} = ? AND status IN ('new', 'assigned', 'in_progress', 'on_hold') AND created_at >= ?`).pluck();
    const countByCode = countIn('problem_code_id');
    const countByCategory = countIn('category_id');
    const codeOf = new Map(codes.map((c) => [c.code, c]));
    const inWindow = probes.map((p) => {
      const code = codeOf.get(p.probe.problemCode)!;
      const since = iso(NOW.getTime() - code.rule!.windowDays * DAY);
      return (code.rule!.scope === 'category' ? countByCategory.get(code.categoryId, since) : countByCode.get(code.id, since)) as number;
    });
    const bucketed = (values: number[], buckets: readonly (readonly [number, number, string])[]) =>
      buckets.map(([lo, hi, label]) => {
        const at = probes.map((_, i) => (values[i]! >= lo && values[i]! < hi ? i : -1)).filter((i) => i >= 0);
        return latency(label, at.map((i) => durations[i]!), at.map((i) => found[i]!));
      });
    const byBox = bucketed(boxRows, [
      [0, 10, 'fewer than 10 open work orders in the box'],
      [10, 100, '10–99 in the box'],
      [100, 500, '100–499 in the box'],
      [500, Infinity, '500 or more in the box'],
    ]);
    const byWindow = bucketed(inWindow, [
      [0, 100, 'fewer than 100 open of the code in the window'],
      [100, 1000, '100–999 of the code in the window'],
      [1000, 5000, '1,000–4,999 of the code in the window'],
      [5000, Infinity, '5,000 or more of the code in the window'],
    ]);
    const sortedBox = [...boxRows].sort((a, b) => a - b);
    const boxLine = `Open work orders (any code) in the probe's bounding box, the size of the area searched (the R*Tree, asked for the code too, returns only the code's): mean ${(boxRows.reduce((a, b) => a + b, 0) / boxRows.length).toFixed(1)}, p50 ${percentile(sortedBox, 0.5)}, p99 ${percentile(sortedBox, 0.99)}, max ${sortedBox.at(-1)}.`;

    // 6. The plain scan on a subset of the same probes (every k-th, so each category is in it), checked against the index.
    const step = Math.max(1, Math.floor(probes.length / SCAN_PROBES));
    const subset = probes.map((_, i) => i).filter((i) => i % step === 0).slice(0, SCAN_PROBES);
    const full = scanner(client, 'full');
    const byIndex = scanner(client, 'code index');
    const fullTimes: number[] = [];
    const indexTimes: number[] = [];
    const scannedRows: number[] = [];
    for (const i of subset) {
      const probe = probes[i]!.probe;
      const [a, fullMs] = time(() => full.search(database, probe));
      const [b, indexMs] = time(() => byIndex.search(database, probe));
      fullTimes.push(fullMs);
      indexTimes.push(indexMs);
      scannedRows.push(a.rows);
      const want = [...results[i]!].sort();
      for (const [label, answer] of [['plain scan', a], ['code-index scan', b]] as const) {
        const got = answer.numbers.map((n) => `${n}:${answer.callers.get(n)}`).sort();
        if (got.join(',') !== want.join(',')) {
          console.error(`MISMATCH on probe ${i} (${probes[i]!.category}, ${probes[i]!.note}): ${JSON.stringify(probe)}`);
          console.error(`  findDuplicateCandidates (R*Tree): ${want.join(', ') || 'none'}`);
          console.error(`  ${label}: ${got.join(', ') || 'none'}`);
          throw new Error(`duplicate search and the ${label} disagree on probe ${i}: the R*Tree search is wrong, or the scan is; no numbers reported`);
        }
      }
    }
    const indexedSubset = latency('findDuplicateCandidates (R*Tree), same probes', subset.map((i) => durations[i]!), subset.map((i) => found[i]!));
    const fullStats = latency('plain scan (work_orders NOT INDEXED)', fullTimes, subset.map((i) => found[i]!));
    const codeStats = latency('code-index scan (work_orders_code_idx, no R*Tree)', indexTimes, subset.map((i) => found[i]!));
    const ratio = (a: number, b: number) => a / b;
    const speedP50 = ratio(fullStats.p50, indexedSubset.p50);
    const speedP99 = ratio(fullStats.p99, indexedSubset.p99);
    const codeP50 = ratio(codeStats.p50, indexedSubset.p50);
    const codeP99 = ratio(codeStats.p99, indexedSubset.p99);
    const sortedScanned = [...scannedRows].sort((a, b) => a - b);
    const scanLine =
      `Same answers on all ${subset.length} probes of the subset (the same work orders, with the same caller counts) from the R*Tree search, the plain scan and the code-index scan. ` +
      `The plain scan reads all ${count(city.workOrders)} work orders per probe; the rows left after its code/status/window filter (where the distance is computed): mean ${(scannedRows.reduce((a, b) => a + b, 0) / scannedRows.length).toFixed(0)}, p99 ${percentile(sortedScanned, 0.99)}, max ${sortedScanned.at(-1)}.`;
    const speedLine = `Speed-up over the plain scan: ${speedP50.toFixed(0)}× at p50, ${speedP99.toFixed(0)}× at p99; over the code-index scan: ${codeP50.toFixed(1)}× at p50, ${codeP99.toFixed(1)}× at p99.`;

    // 7. Query plans: the product's statement (as captured) and the scans.
    const sampleAt = Math.max(0, probes.findIndex((p, i) => p.probe.problemCode === 'S0301' && captured[i]!.address !== undefined));
    const sample = captured[sampleAt]!;
    const productPlan = plan(client, sample.area.query, sample.area.params);
    const addressPlan = sample.address ? plan(client, sample.address.query, sample.address.params) : [];
    const treeFirst = (productPlan[0] ?? '').includes('VIRTUAL TABLE INDEX 2');
    const planNote = treeFirst
      ? 'SQLite searches the R*Tree first (`INDEX 2:…`, the first line of the plan): the box of the place and the code (or category), which the tree holds as dimensions (migration 0019), so only the work orders of the code in the box are looked up by id. The tables below still sort the probes by the open work orders of every code in the box, the size of the area searched.'
      : `SQLite runs this join from \`work_orders\` (the first line of the plan) and uses the R*Tree only to look each row up by id (\`INDEX 1\`), not to search the box (\`INDEX 2:…\`): ` +
        `the cost follows the open work orders of the code inside the window (up to ${count(Math.max(...inWindow))} here), not the size of the area.`;
    const since = iso(NOW.getTime() - 30 * DAY);
    const pothole = codes.find((c) => c.code === 'S0301') ?? ruled[0]!;
    const fullPlan = plan(client, full.sql, [pothole.id, since]);
    const codePlan = plan(client, byIndex.sql, [pothole.id, since]);

    const slowest = probes
      .map((p, i) => ({ ...p, ms: durations[i]!, found: found[i]!, box: boxRows[i]!, window: inWindow[i]!, gc: hitByGc[i]!, rule: codeOf.get(p.probe.problemCode)!.rule! }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10);
    const loadAfter = loadavg()[0]!;

    const meetsP99 = overall.p99 <= TARGET_P99_MS;
    const meetsSpeed = speedP50 >= TARGET_SPEEDUP && speedP99 >= TARGET_SPEEDUP;
    const verdict =
      (meetsP99 ? `**Meets the latency target**: p99 ${fmt(overall.p99)} ms ≤ ${TARGET_P99_MS} ms over all ${overall.count} probes` : `**Misses the latency target**: p99 ${fmt(overall.p99)} ms > ${TARGET_P99_MS} ms over all ${overall.count} probes`) +
      ` (worst category: ${rows.slice(0, -1).reduce((a, b) => (b.p99 > a.p99 ? b : a)).label}, p99 ${fmt(Math.max(...rows.slice(0, -1).map((r) => r.p99)))} ms). ` +
      (meetsSpeed
        ? `**Meets the speed-up target**: ${speedP50.toFixed(0)}× (p50) and ${speedP99.toFixed(0)}× (p99) faster than the plain scan, ≥ ${TARGET_SPEEDUP}×.`
        : `**Misses the speed-up target**: ${speedP50.toFixed(0)}× (p50) and ${speedP99.toFixed(0)}× (p99) faster than the plain scan, < ${TARGET_SPEEDUP}×.`);

    const cpu = cpus();
    const sqliteVersion = client.prepare('select sqlite_version() AS v').get() as { v: string };
    const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length} logical CPUs, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${platform()} ${release()} (${arch()}); Node ${process.version}; SQLite ${sqliteVersion.v} (better-sqlite3)`;
    const block = (lines: string[]) => ['```', ...lines, '```'];

    const report = [
      `# Duplicate search benchmark${quick ? ' (--quick)' : ''}`,
      '',
      `The target: duplicate search p99 ≤ ${TARGET_P99_MS} ms at 200,000 open work orders and 1,000,000 requests, and at least ${TARGET_SPEEDUP}× faster than a plain scan in the same run.`,
      `Produced by \`node --import tsx scripts/bench/duplicates.ts\`; numbers are from one run on one machine.`,
      '',
      `- **Date:** ${new Date().toISOString()}`,
      `- **Machine:** ${machine}; 1-minute load average ${loadBefore.toFixed(2)} before the run, ${loadAfter.toFixed(2)} after`,
      `- **Data:** the sample city's hierarchy (${codes.length} problem codes, ${ruled.length} with a duplicate rule); ${count(city.workOrders)} work orders (${count(OPEN_WORK_ORDERS)} open, in the R*Tree; ${count(CLOSED_WORK_ORDERS)} completed or cancelled) ` +
        `over all codes, weighted (most open: ${codeShare}), at ${count(ADDRESSES)} registry addresses (the \`addresses\` table, no typeahead index; work orders and requests carry their address_id) clustered around ${clusters.length} neighbourhoods plus ${Math.round(background * 100)}% spread over lat ${box.minLat}–${box.maxLat}, lon ${box.minLon}–${box.maxLon} ` +
        `(none in the harbour and the large parks); created over the last ${YEARS} years, the open ones mostly recent (70% with a mean age of 40 days, 30% anywhere in the ${YEARS} years); ` +
        `${count(REQUESTS)} customer requests from ${count(interactions)} interactions, ${count(city.linked)} of them on a work order (1–5 callers each, 2% cancelled), the rest information requests, comments and unfiled action requests. Seed ${SEED}.`,
      `- **Build:** applyHierarchy, then raw prepared INSERTs in transactions of ${count(BATCH)} rows with synchronous = OFF (work orders inserted normally, so the triggers of migration 0019 filled the R*Tree of places, codes and categories), ` +
        `then the file closed (WAL checkpointed) and opened again with openDatabase: ${buildLine}.`,
      `- **Probes:** ${probes.length} (${mix}); codes with a duplicate rule drawn by the same weights. "Next to an open work order": within 0–90% of the rule's radius of a work order still inside the rule's window ` +
        `(at the same point for radius-0 rules; for pole-number rules 70% the same pole as typed by a caller, 15% another pole, 15% no answer; 60% with that work order's registry address, as a clerk would pick it, 40% coordinates only, as a pin dropped in the portal); ` +
        `"random address": a report at one of the registry addresses (60% with its address id); ` +
        `"empty area": a point in the harbour or a large park. ${WARMUP} warm-up probes first; then each \`findDuplicateCandidates(db, probe, { now, strongScore: ${STRONG_SCORE} })\` timed alone with ` +
        `\`process.hrtime.bigint()\`, one after another on one thread, on a connection opened with \`openDatabase\` (the server's pragmas and page cache).`,
      '',
      latencyTable([...rows, noGc]),
      '',
      gcLine,
      '',
      `Throughput, one connection, one probe at a time: ${throughput} searches/s.`,
      '',
      '## Against a plain scan',
      '',
      `A subset of ${subset.length} of the same probes (every ${step}th), answered again without the R*Tree: the rule resolved the same way (\`ruleOf\`), then the open work orders of the code ` +
        `(or category) inside the window selected from \`work_orders\`, each kept when it has the probe's registry address or its great-circle distance (computed for each) is within the radius, the attribute compared, callers counted for the survivors. ` +
        `The **plain scan** forces a scan of the whole table (\`work_orders NOT INDEXED\`); the **code-index scan** lets SQLite use \`work_orders_code_idx\` (problem_code_id, status, created_at), ` +
        `the best the product could do without a spatial index. Both select fewer columns and count callers only for the work orders they keep, so they do less than the product per row.`,
      '',
      latencyTable([indexedSubset, fullStats, codeStats]),
      '',
      scanLine,
      '',
      `**${speedLine}**`,
      '',
      '## Where the time goes',
      '',
      latencyTable(breakdown),
      '',
      boxLine,
      '',
      planNote,
      '',
      'findDuplicateCandidates by what its statement has to go through — the open work orders (any code) in the box, and those of the probe\'s code (or category) inside the rule\'s window:',
      '',
      latencyTable([...byBox, ...byWindow]),
      '',
      `The statements findDuplicateCandidates runs after ruleOf (captured from drizzle for ${probes[sampleAt]!.note}) and their query plans:`,
      '',
      ...block([...sample.area.query.split('\n').map((l) => l.trim()), '---', ...productPlan]),
      '',
      ...(sample.address ? [...block([...sample.address.query.split('\n').map((l) => l.trim()), '---', ...addressPlan]), ''] : []),
      'Plain scan / code-index scan:',
      '',
      ...block([...fullPlan, '---', ...codePlan]),
      '',
      `**Verdict:** ${verdict}`,
      '',
      'Slowest probes:',
      '',
      '| probe | kind | rule (m, days) | ms | GC pause in it | candidates | open work orders in the box (any code) | open work orders of the code in the window |',
      '|---|---|--:|--:|---|--:|--:|--:|',
      ...slowest.map((s) => `| ${s.note} | ${s.category} | ${s.rule.radiusMeters} m, ${s.rule.windowDays} d | ${fmt(s.ms)} | ${s.gc ? 'yes' : 'no'} | ${s.found} | ${s.box} | ${s.window} |`),
      '',
    ].join('\n');

    console.log('');
    console.log(latencyTable([...rows, noGc]));
    console.log(gcLine);
    console.log('');
    console.log(`throughput: ${throughput} searches/s (serial); RSS now ${mb(process.memoryUsage().rss)}`);
    console.log('');
    console.log(latencyTable([indexedSubset, fullStats, codeStats]));
    console.log('');
    console.log(scanLine);
    console.log(speedLine);
    console.log('');
    console.log(latencyTable(breakdown));
    console.log(boxLine);
    console.log('');
    console.log(latencyTable([...byBox, ...byWindow]));
    console.log(planNote.replace(/`/g, ''));
    console.log('');
    console.log('query plan (findDuplicateCandidates, R*Tree statement):');
    for (const line of productPlan) console.log(`  ${line}`);
    console.log('query plan (findDuplicateCandidates, same-address statement):');
    for (const line of addressPlan) console.log(`  ${line}`);
    console.log('query plan (plain scan):');
    for (const line of fullPlan) console.log(`  ${line}`);
    console.log('query plan (code-index scan):');
    for (const line of codePlan) console.log(`  ${line}`);
    console.log('');
    console.log(`slowest: ${slowest.slice(0, 5).map((s) => `${s.note} ${fmt(s.ms)} ms (${s.category}, ${s.rule.radiusMeters} m/${s.rule.windowDays} d, ${s.gc ? 'GC pause' : 'no GC'}, ${s.found} found, ${s.box} in the box, ${s.window} of the code in the window)`).join('; ')}`);
    console.log(`machine: ${machine}; load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}`);
    // The targets are for 200,000 open work orders: a quick run only shows the harness works.
    console.log(quick ? `no verdict: --quick is a smoke test of the harness on ${count(OPEN_WORK_ORDERS)} open work orders` : `verdict: ${verdict.replace(/\*\*/g, '')}`);
    if (!quick) {
      mkdirSync(dirname(reportPath), { recursive: true });
      writeFileSync(reportPath, report);
      console.log(`wrote ${reportPath}`);
    }
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    if (db) closeDatabase(db);
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
