// What every benchmark here shares: a repeatable random source, the query sampler, the figures
// and table they report, and a progress bar for the long loads.
import { Presets, SingleBar } from 'cli-progress';

/** Boston's neighbourhoods, for names that vary the way a real city's do. */
export const neighbourhoods = [
  'Allston', 'Back Bay', 'Beacon Hill', 'Brighton', 'Charlestown', 'Chinatown', 'Dorchester', 'Downtown', 'East Boston', 'Fenway', 'Hyde Park',
  'Jamaica Plain', 'Mattapan', 'Mission Hill', 'North End', 'Roslindale', 'Roxbury', 'South Boston', 'South End', 'West End', 'West Roxbury',
];

/** mulberry32: small, fast, and the same sequence on every machine for the same seed. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  function shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
  return { random, int, pick, shuffle };
}

/** A seeded source of random choices (the same seed, the same choices). */
export type Rng = ReturnType<typeof seededRandom>;

export const ms = (ns: bigint) => Number(ns) / 1e6;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const fmt = (value: number) => value.toFixed(value < 10 ? 3 : 1);
export const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);

/** `n` queries of the mix, each category kept in proportion but at least a tenth of its share of `n`. */
export function stratified<Q extends { category: string }>(queries: Q[], categories: readonly string[], shuffle: <T>(items: T[]) => T[], n: number): Q[] {
  if (queries.length <= n) return queries;
  const per = categories.map((c) => queries.filter((q) => q.category === c));
  const floor = Math.floor(n / categories.length / 2);
  const quota = per.map((qs) => Math.min(qs.length, Math.max(floor, Math.round((qs.length / queries.length) * n))));
  let total = quota.reduce((a, b) => a + b, 0);
  for (let i = 0; total > n; i = (i + 1) % quota.length) {
    if (quota[i]! > floor) {
      quota[i]!--;
      total--;
    }
  }
  return shuffle(per.flatMap((qs, i) => qs.slice(0, quota[i])));
}

export interface Stats {
  label: string;
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  withHits: number;
}

/** Nearest-rank percentile of sorted values. */
export const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;

export function stats(label: string, durations: number[], hits: number[]): Stats {
  const sorted = [...durations].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { label, count: sorted.length, p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99), max: sorted.at(-1)!, mean, withHits: hits.filter((h) => h > 0).length / hits.length };
}

export function table(rows: Stats[]): string {
  const lines = [
    '| queries | count | p50 ms | p90 ms | p99 ms | max ms | mean ms | queries/s (1/mean) | with hits |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows
      .filter((r) => r.count > 0)
      .map((r) => `| ${r.label} | ${r.count} | ${fmt(r.p50)} | ${fmt(r.p90)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${fmt(r.mean)} | ${Math.round(1000 / r.mean)} | ${Math.round(r.withHits * 100)}% |`),
  ];
  return lines.join('\n');
}


/**
 * Progress of a long load: a bar on a terminal (stderr), otherwise a line at every quarter, so a log
 * (CI) shows it is moving without a line per row. Nothing for loads under `quietBelow` rows.
 */
export function progress(label: string, total: number, quietBelow = 20_000): { tick: (n?: number) => void; done: () => void } {
  let count = 0;
  if (total < quietBelow) return { tick: () => undefined, done: () => undefined };
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, stream: process.stderr, hideCursor: true, etaBuffer: 50 }, Presets.shades_classic);
    bar.start(total, 0);
    return {
      tick: (n = 1) => {
        count += n;
        if (count % 1000 < n || count === total) bar.update(count);
      },
      done: () => {
        bar.update(count);
        bar.stop();
      },
    };
  }
  let quarter = 0;
  return {
    tick: (n = 1) => {
      count += n;
      while (quarter < 3 && count >= ((quarter + 1) * total) / 4) console.log(`  ${label}: ${++quarter * 25}% (${count.toLocaleString('en-US')} of ${total.toLocaleString('en-US')})`);
    },
    done: () => undefined,
  };
}
