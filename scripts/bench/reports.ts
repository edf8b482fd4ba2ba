// Benchmark of the reports (their target): every report answers in under 500 ms on 1,000,000 customer
// requests, by indexes (migrations 0017 and 0018), not caches. Timing lives here, never in a test (CONVENTIONS.md).
//
//   node --import tsx scripts/bench/reports.ts           full run, writes bench/reports.md
//   node --import tsx scripts/bench/reports.ts --quick   a small city, a few seconds: a smoke test of the harness
//
// The city is the duplicate-search benchmark's (scripts/bench/city-scale/work.ts, the same shape and seed):
// 300,000 work orders and 1,000,000 customer requests over five years, loaded with the migrations' indexes
// in place. What that generator leaves uniform is then varied by SQL, repeatably (a hash of the row id, not
// random()): some information requests not resolved at the first contact and some converted, replies wanted
// on the comments awaiting one, answers owed on finished work, and knowledge-base views, uses, ratings and
// searches that found nothing. Then each report is called as the routes call it (the service function on a
// connection opened with openDatabase), for three periods and with and without filters, one call at a time.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDatabase, openDatabase, type Db } from '../../db/connection.ts';
import { systemActor } from '../../server/audit/service.ts';
import { readCityFolder, sampleCityDir } from '../../server/hierarchy/files.ts';
import { applyHierarchy } from '../../server/hierarchy/loader.ts';
import { cityTimeZone } from '../../server/numbers.ts';
import { addDays, today } from '../../server/reports/calendar.ts';
import { deskCsv, deskReport, knowledgeBaseReport, serviceLevelReport, volumeCsv, volumeReport } from '../../server/reports/service.ts';
import { cityWork, MINUTE } from './city-scale/work.ts';
import { fmt, ms, percentile, seededRandom } from './lib.ts';

const quick = process.argv.includes('--quick');
const SEED = 20240611;
const TARGET_MS = 500;
const RUNS = quick ? 3 : 7;
const NOW = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
const reportPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'reports.md');
const count = (n: number) => n.toLocaleString('en-US');

// The duplicate-search benchmark's city (see duplicates.ts): the same shape, so the same rows.
const shape = {
  now: NOW.getTime(),
  years: 5,
  addresses: quick ? 2_000 : 150_000,
  openWorkOrders: quick ? 2_000 : 200_000,
  closedWorkOrders: quick ? 1_000 : 100_000,
  requests: quick ? 10_000 : 1_000_000,
  codeWeights: {
    S0301: 110, BULK_ITEM_PICKUP: 100, STREET_LIGHT_OUT: 90, PARKING_ENFORCEMENT: 70, MISSED_TRASH: 60, STREET_CLEANING: 45, SIDEWALK_REPAIR: 30, ABANDONED_VEHICLE: 25,
    GRAFFITI_REMOVAL: 25, TREE_MAINTENANCE: 25, NEEDLE_PICKUP: 20, RODENT_ACTIVITY: 20, MISSED_RECYCLING: 20, ILLEGAL_DUMPING: 18, IMPROPER_TRASH_STORAGE: 18,
    UNSHOVELED_SIDEWALK: 15, SNOW_PLOWING: 15, TRAFFIC_SIGNAL_REPAIR: 12, SIGN_REPAIR: 12, EMPTY_LITTER_BASKET: 12, HEAT: 10, UNSATISFACTORY_LIVING: 10, DEAD_ANIMAL: 8,
    CATCH_BASIN: 8, PARK_GROUND_MAINTENANCE: 8,
  },
  otherCodeWeight: 1.5,
  channelWeights: { phone: 35, web: 20, mobile_app: 25, open311: 10, email: 5, walk_in: 3, mail: 1, fax: 1 },
  callerWeights: [55, 22, 12, 7, 4],
  otherKinds: { information: 0.6, comment: 0.1 },
};

/** A repeatable pick of about `percent` % of rows by id (Knuth's multiplicative hash), in SQL. */
const some = (percent: number, salt = 0) => `((id * 2654435761 + ${salt}) % 1000) < ${percent * 10}`;

/** What the generator leaves uniform, varied so every report has something to count. */
function vary(db: Db): void {
  const at = NOW.toISOString();
  db.$client.exec(`
    UPDATE customer_requests SET resolved_at_first_contact = 0 WHERE type = 'information' AND ${some(18, 1)};
    UPDATE customer_requests SET type = 'action', converted_at = ended_at, resolved_at_first_contact = 0 WHERE type = 'information' AND ${some(6, 2)};
    UPDATE customer_requests SET reply_wanted = 1, reply_method = 'email' WHERE status = 'awaiting_reply';
    INSERT INTO answers_owed (request_id, work_order_id, method, "to", subject, text, status, created_at, done_at)
      SELECT r.id, r.work_order_id, 'email', 'caller@example.org', 'Your request', 'Done.', CASE WHEN w.closed_at > '${addDays(at.slice(0, 10), -10)}' THEN 'pending' ELSE 'done' END, w.closed_at, w.closed_at
      FROM customer_requests r JOIN work_orders w ON w.id = r.work_order_id WHERE r.status = 'closed' AND ${some(30, 3).replace(/id/g, 'r.id')};
  `);
  const articles = quick ? 50 : 400;
  const insertArticle = db.$client.prepare(`INSERT INTO kb_articles (slug, title, phones, links, keywords, language, audience, status, created_at, updated_at)
    VALUES (?, ?, '[]', '[]', '[]', 'en', 'desk', 'published', ?, ?)`);
  const { random, int, pick } = seededRandom(SEED + 1);
  const start = NOW.getTime() - shape.years * 365 * 86_400_000;
  const when = () => new Date(start + random() * (NOW.getTime() - start)).toISOString();
  const popular = () => 1 + Math.min(articles - 1, Math.floor(-Math.log(1 - random()) * articles * 0.15));
  const event = db.$client.prepare('INSERT INTO kb_article_events (article_id, kind, channel, at) VALUES (?, ?, ?, ?)');
  const feedback = db.$client.prepare('INSERT INTO kb_feedback (article_id, useful, channel, at) VALUES (?, ?, ?, ?)');
  const miss = db.$client.prepare('INSERT INTO kb_search_misses (query, folded, channel, at) VALUES (?, ?, ?, ?)');
  const words = ['snow', 'permit', 'bulk', 'trash', 'recycling', 'parking', 'ticket', 'tree', 'noise', 'rat', 'pothole', 'light', 'water', 'heat', 'dog'];
  db.$client.transaction(() => {
    for (let a = 1; a <= articles; a++) insertArticle.run(`article-${a}`, `Article ${a}`, when(), when());
    for (let i = 0; i < (quick ? 5_000 : 300_000); i++) event.run(popular(), random() < 0.6 ? 'use' : 'view', random() < 0.8 ? 'desk' : 'portal', when());
    for (let i = 0; i < (quick ? 500 : 30_000); i++) feedback.run(popular(), random() < 0.8 ? 1 : 0, random() < 0.5 ? 'desk' : 'portal', when());
    for (let i = 0; i < (quick ? 1_000 : 60_000); i++) {
      const query = `${pick(words)} ${pick(words)} ${int(50)}`;
      miss.run(query, query, random() < 0.5 ? 'desk' : 'portal', when());
    }
  })();
}

function build(dbPath: string): { buildSeconds: number; counts: Record<string, number> } {
  const started = process.hrtime.bigint();
  const hierarchy = readCityFolder(sampleCityDir).hierarchy;
  if (!hierarchy) throw new Error('the sample city does not pass its own checks');
  const db = openDatabase(dbPath);
  try {
    applyHierarchy(db, { ...systemActor, label: 'bench' }, hierarchy);
    const work = cityWork(seededRandom(SEED), shape);
    const codes = work.problemCodes(db);
    const yearAt = work.yearOf(cityTimeZone(db));
    const addresses = work.generateAddresses(shape.addresses);
    const wo = work.generateWorkOrders(codes, addresses);
    const rq = work.generateRequests(wo);
    db.$client.pragma('synchronous = OFF');
    db.$client.pragma('cache_size = -262144');
    work.insertAddresses(db, addresses);
    work.insertWorkOrders(db, codes, wo, yearAt);
    work.insertRequests(db, codes, addresses, wo, rq, yearAt);
    vary(db);
    const counts = db.$client
      .prepare(`SELECT (SELECT count(*) FROM customer_requests) AS requests, (SELECT count(*) FROM work_orders) AS workOrders, (SELECT count(*) FROM answers_owed) AS answersOwed,
        (SELECT count(*) FROM kb_article_events) AS kbEvents, (SELECT count(*) FROM kb_feedback) AS kbFeedback, (SELECT count(*) FROM kb_search_misses) AS kbMisses`)
      .get() as Record<string, number>;
    return { buildSeconds: ms(process.hrtime.bigint() - started) / 1000, counts };
  } finally {
    closeDatabase(db);
  }
}

interface Case {
  report: string;
  period: string;
  filter: string;
  run: (db: Db) => unknown;
}

function cases(timeZone: string): Case[] {
  const to = today(timeZone, NOW);
  const periods = [
    { name: 'last 30 days, by day', query: { from: addDays(to, -29), to, interval: 'day' as const } },
    { name: 'last 365 days, by week', query: { from: addDays(to, -364), to, interval: 'week' as const } },
    { name: 'all 5 years, by month', query: { from: addDays(to, -5 * 365 - 1), to, interval: 'month' as const } },
  ];
  const filters = [
    { name: 'none', query: {} },
    { name: 'department PWD', query: { department: 'PWD' } },
  ];
  const list: Case[] = [];
  for (const p of periods) {
    for (const f of filters) {
      const q = { ...p.query, ...f.query };
      list.push({ report: 'volumes', period: p.name, filter: f.name, run: (db) => volumeReport(db, q, NOW) });
      list.push({ report: 'service levels', period: p.name, filter: f.name, run: (db) => serviceLevelReport(db, q, NOW) });
      list.push({ report: 'desk', period: p.name, filter: f.name, run: (db) => deskReport(db, q, NOW) });
    }
    list.push({ report: 'volumes', period: p.name, filter: 'channel phone', run: (db) => volumeReport(db, { ...p.query, channel: 'phone' }, NOW) });
    list.push({ report: 'knowledge base', period: p.name, filter: 'none', run: (db) => knowledgeBaseReport(db, p.query, NOW) });
    list.push({ report: 'volumes CSV (problem codes)', period: p.name, filter: 'none', run: (db) => volumeCsv(db, { ...p.query, table: 'problem-code' }) });
    list.push({ report: 'desk CSV (summary)', period: p.name, filter: 'none', run: (db) => deskCsv(db, { ...p.query, table: 'summary' }) });
  }
  return list;
}

function time(db: Db, c: Case): number[] {
  c.run(db); // warm: the pages it reads are in the cache, as they are for a dashboard used all day
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const before = process.hrtime.bigint();
    c.run(db);
    times.push(ms(process.hrtime.bigint() - before));
  }
  return times.sort((a, b) => a - b);
}

function main(): void {
  const started = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'onewindow-reports-bench-'));
  const dbPath = join(root, 'bench.db');
  try {
    console.log(`building the city (${count(shape.requests)} requests, ${count(shape.openWorkOrders + shape.closedWorkOrders)} work orders) in ${dbPath} …`);
    const { buildSeconds, counts } = build(dbPath);
    console.log(`built in ${buildSeconds.toFixed(1)} s: ${JSON.stringify(counts)}`);
    const db = openDatabase(dbPath);
    try {
      const timeZone = cityTimeZone(db);
      const loadBefore = loadavg()[0]!;
      const rows = cases(timeZone).map((c) => {
        const times = time(db, c);
        const row = { ...c, median: percentile(times, 0.5), max: times.at(-1)! };
        console.log(`${c.report.padEnd(28)} ${c.period.padEnd(24)} ${c.filter.padEnd(16)} median ${fmt(row.median).padStart(7)} ms  max ${fmt(row.max).padStart(7)} ms`);
        return row;
      });
      const missed = rows.filter((r) => r.max >= TARGET_MS);
      const cpu = cpus();
      const sqlite = (db.$client.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
      const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length} logical CPUs, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${platform()} ${release()} (${arch()}); Node ${process.version}; SQLite ${sqlite} (better-sqlite3)`;
      const verdict = missed.length === 0
        ? `**Meets the target**: every report, every period and filter, under ${TARGET_MS} ms (slowest ${fmt(Math.max(...rows.map((r) => r.max)))} ms).`
        : `**Misses the target in ${missed.length} of ${rows.length} cases**: ${missed.map((r) => `${r.report}, ${r.period}, filter ${r.filter}: max ${fmt(r.max)} ms`).join('; ')}.`;
      console.log(`machine: ${machine}`);
      console.log(quick ? 'no verdict: --quick is a smoke test of the harness' : `verdict: ${verdict.replace(/\*\*/g, '')}`);
      if (!quick) {
        const note = [
          '# Reports benchmark',
          '',
          `The target: every report answers in under ${TARGET_MS} ms on 1,000,000 customer requests, by indexes (migrations 0017 and 0018), not caches.`,
          'Produced by `node --import tsx scripts/bench/reports.ts`; numbers are from one run on one machine.',
          '',
          `- **Date:** ${new Date().toISOString()}`,
          `- **Machine:** ${machine}; 1-minute load average ${loadBefore.toFixed(2)} before the timed calls, ${loadavg()[0]!.toFixed(2)} after (other work on the machine shows in the numbers)`,
          `- **Data:** the duplicate-search benchmark's city (scripts/bench/city-scale/work.ts, seed ${SEED}): ${count(counts.requests!)} customer requests and ${count(counts.workOrders!)} work orders over five years ` +
            `(the open ones and their callers mostly recent: the last 30 days hold about a fifth of the requests), varied by SQL for the reports: ${count(counts.answersOwed!)} answers owed, ` +
            `${count(counts.kbEvents!)} article views and uses, ${count(counts.kbFeedback!)} ratings, ${count(counts.kbMisses!)} searches without result. Built in ${buildSeconds.toFixed(0)} s.`,
          `- **How:** each report's service function, as its route calls it, on a connection opened with openDatabase (the server's pragmas); one warm-up call, then ${RUNS} timed calls one after another; median and slowest.`,
          '',
          '| report | period | filter | median ms | max ms |',
          '|---|---|---|--:|--:|',
          ...rows.map((r) => `| ${r.report} | ${r.period} | ${r.filter} | ${fmt(r.median)} | ${fmt(r.max)} |`),
          '',
          `**Verdict:** ${verdict}`,
          '',
        ].join('\n');
        mkdirSync(dirname(reportPath), { recursive: true });
        writeFileSync(reportPath, note);
        console.log(`wrote ${reportPath}`);
      }
    } finally {
      closeDatabase(db);
    }
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main();
