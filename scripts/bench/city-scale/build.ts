// Builds the city-scale database the whole-product benchmark runs the server on: the sample city's
// hierarchy copied per district up to 5,000 problem codes, 20,000 knowledge-base articles, an address
// registry, and five years of work — 300,000 work orders (200,000 open) and 1,000,000 customer requests —
// spread as the real records in distributions.json say (codes, channels, hour of day, duplicate rate).
// A built database is kept under bench/cache and used again while its scale, seed and the migrations
// are the same (a sidecar JSON says what it holds).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDatabase, migrationsFolder, openDatabase, type Db } from '../../../db/connection.ts';
import { createUser } from '../../../server/accounts/service.ts';
import { systemActor } from '../../../server/audit/service.ts';
import { readCityFolder, sampleCityDir } from '../../../server/hierarchy/files.ts';
import { applyHierarchy } from '../../../server/hierarchy/loader.ts';
import { cityTimeZone } from '../../../server/numbers.ts';
import { readSampleArticles } from '../../../server/kb/seed.ts';
import { seededRandom } from '../lib.ts';
import { generateArticles, loadArticles, topicsFrom } from './articles.ts';
import { checkedHierarchy, generateHierarchy } from './hierarchy.ts';
import { cityWork, MINUTE, type WorkShape } from './work.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const cacheDir = join(here, '..', '..', '..', 'bench', 'cache');

export interface CityScale {
  name: 'full' | 'quick';
  codes: number;
  articles: number;
  addresses: number;
  openWorkOrders: number;
  closedWorkOrders: number;
  requests: number;
  years: number;
}

export const scales: Record<CityScale['name'], CityScale> = {
  full: { name: 'full', codes: 5000, articles: 20000, addresses: 150_000, openWorkOrders: 200_000, closedWorkOrders: 100_000, requests: 1_000_000, years: 5 },
  quick: { name: 'quick', codes: 300, articles: 300, addresses: 2_000, openWorkOrders: 2_000, closedWorkOrders: 1_000, requests: 10_000, years: 5 },
};

const SEED = 20261122;
/** Bumped when what the builder writes changes, so an old cached database is built again. */
const BUILDER_VERSION = 1;

/** The staff the load signs in as; only ever in a benchmark database. */
export const benchUsers = [
  { username: 'bench-clerk', role: 'clerk' },
  { username: 'bench-dispatcher', role: 'dispatcher' },
  { username: 'bench-admin', role: 'admin' },
] as const;
export const benchPassword = 'bench-password-not-secret';

interface Distributions {
  source: string;
  channels: Record<string, number>;
  hourOfDay: number[];
  duplicateShare: number;
  codeWeights: Record<string, number>;
  otherCodeWeight: number;
}
export const distributions = JSON.parse(readFileSync(join(here, 'distributions.json'), 'utf8')) as Distributions;

/** How the real records shape the generated work (distributions.json), and what they cannot tell. */
function workShape(scale: CityScale, now: number): WorkShape {
  // A work order's callers: the first, and duplicates as often as Boston closed cases as duplicates.
  const d = distributions.duplicateShare;
  return {
    now,
    years: scale.years,
    addresses: scale.addresses,
    openWorkOrders: scale.openWorkOrders,
    closedWorkOrders: scale.closedWorkOrders,
    requests: scale.requests,
    codeWeights: distributions.codeWeights,
    otherCodeWeight: distributions.otherCodeWeight,
    channelWeights: distributions.channels,
    callerWeights: [1, d, d ** 2, d ** 3, d ** 4],
    // The records are service requests only: how many contacts are questions or comments is not in them.
    // Most calls to a 311 desk are questions; these shares are the benchmark's assumption.
    otherKinds: { information: 0.85, comment: 0.1 },
    // Boston is UTC−5 in winter, −4 in summer; one offset for all is close enough for load.
    hourOfDay: { weights: distributions.hourOfDay, utcOffsetHours: -5 },
  };
}

export interface CitySummary {
  scale: CityScale;
  seed: number;
  builderVersion: number;
  migrations: string;
  builtAt: string;
  buildSeconds: number;
  bytes: number;
  counts: Record<string, number>;
}

const latestMigration = () => readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')).sort().at(-1) ?? '';
export const cityPath = (scale: CityScale) => join(cacheDir, `city-${scale.name}.db`);

/** The summary of the database already built for `scale`, when it is still what the builder would build. */
export function builtCity(scale: CityScale): CitySummary | null {
  const path = cityPath(scale);
  if (!existsSync(path) || !existsSync(`${path}.json`)) return null;
  const summary = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as CitySummary;
  const same = summary.seed === SEED && summary.builderVersion === BUILDER_VERSION && summary.migrations === latestMigration() && JSON.stringify(summary.scale) === JSON.stringify(scale);
  return same ? summary : null;
}

const count = (db: Db, sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;

export async function buildCity(scale: CityScale, log: (line: string) => void): Promise<CitySummary> {
  const path = cityPath(scale);
  mkdirSync(dirname(path), { recursive: true });
  for (const suffix of ['', '-wal', '-shm', '.json']) rmSync(path + suffix, { force: true });
  const started = Date.now();
  const rng = seededRandom(SEED);
  const db = openDatabase(path);
  const scratch = mkdtempSync(join(tmpdir(), 'onewindow-city-'));
  try {
    db.$client.pragma('synchronous = OFF');
    db.$client.pragma('cache_size = -262144');

    const sample = readCityFolder(sampleCityDir).hierarchy;
    if (!sample) throw new Error('the sample city does not pass its own checks');
    const { departments } = generateHierarchy(sample, scale.codes);
    const hierarchy = checkedHierarchy(sample, departments, join(scratch, 'city'));
    applyHierarchy(db, { ...systemActor, label: 'bench' }, hierarchy);
    log(`hierarchy: ${scale.codes.toLocaleString('en-US')} problem codes`);

    for (const user of benchUsers) {
      await createUser(db, systemActor, { username: user.username, displayName: `Bench ${user.role}`, email: `${user.username}@bench.invalid`, role: user.role, password: benchPassword });
    }

    const knownCodes = new Set(hierarchy.departments.flatMap((d) => d.data.providers.flatMap((p) => p.categories.flatMap((c) => [c.code, ...c.problemCodes.map((pc) => pc.code)]))));
    const articles = generateArticles(rng, topicsFrom(hierarchy, readSampleArticles(), knownCodes), scale.articles);
    loadArticles(db, articles);
    log(`knowledge base: ${articles.length.toLocaleString('en-US')} articles`);

    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const work = cityWork(rng, workShape(scale, now));
    const codes = work.problemCodes(db);
    const yearAt = work.yearOf(cityTimeZone(db));
    const addresses = work.generateAddresses(scale.addresses);
    const workOrders = work.generateWorkOrders(codes, addresses);
    const requests = work.generateRequests(workOrders);
    work.insertAddresses(db, addresses);
    const woSequence = work.insertWorkOrders(db, codes, workOrders, yearAt);
    const { sequence: rqSequence } = work.insertRequests(db, codes, addresses, workOrders, requests, yearAt);
    const setSequence = db.$client.prepare('INSERT INTO sequences (series, year, value) VALUES (?, ?, ?) ON CONFLICT (series, year) DO UPDATE SET value = excluded.value');
    for (const [year, value] of woSequence) setSequence.run('work_order', year, value);
    for (const [year, value] of rqSequence) setSequence.run('customer_request', year, value);
    db.$client.exec('ANALYZE');
    db.$client.pragma('wal_checkpoint(TRUNCATE)');

    const counts = {
      problemCodes: count(db, "SELECT count(*) AS n FROM hierarchy_nodes WHERE level = 'problem_code'"),
      articles: count(db, 'SELECT count(*) AS n FROM kb_articles'),
      addresses: count(db, 'SELECT count(*) AS n FROM addresses'),
      workOrders: count(db, 'SELECT count(*) AS n FROM work_orders'),
      openWorkOrders: count(db, "SELECT count(*) AS n FROM work_orders WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold')"),
      requests: count(db, 'SELECT count(*) AS n FROM customer_requests'),
      actionRequests: count(db, "SELECT count(*) AS n FROM customer_requests WHERE type = 'action'"),
      informationRequests: count(db, "SELECT count(*) AS n FROM customer_requests WHERE type = 'information'"),
      comments: count(db, "SELECT count(*) AS n FROM customer_requests WHERE type = 'comment'"),
      requestsOnWorkOrders: count(db, 'SELECT count(*) AS n FROM customer_requests WHERE work_order_id IS NOT NULL'),
    };
    closeDatabase(db);
    const summary: CitySummary = {
      scale,
      seed: SEED,
      builderVersion: BUILDER_VERSION,
      migrations: latestMigration(),
      builtAt: new Date().toISOString(),
      buildSeconds: (Date.now() - started) / 1000,
      bytes: statSync(path).size,
      counts,
    };
    writeFileSync(`${path}.json`, JSON.stringify(summary, null, 2));
    return summary;
  } catch (error) {
    if (db.$client.open) closeDatabase(db);
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
