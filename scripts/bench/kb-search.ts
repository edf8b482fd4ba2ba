// Benchmark of knowledge-base search (issue #5 item 8): p99 ≤ 10 ms server-side with 20,000 articles.
// Timing lives here, never in a test (CONVENTIONS.md).
//
//   node --import tsx scripts/bench/kb-search.ts           full run, writes bench/kb-search.md
//   node --import tsx scripts/bench/kb-search.ts --quick   1,000 articles, 200 queries: a smoke test of the harness
//   … --keep-db <file>   also copy the loaded database to <file>, to try a query by hand (EXPLAIN QUERY PLAN)
//
// The articles are generated from the sample knowledge base (db/seed/knowledge-base/*.json, when there is
// one) and the sample city's hierarchy (each problem code's name, description, keywords, synonyms and
// questions, its category's and department's descriptions), varied by neighbourhood and title template,
// with bodies of 150–500 words assembled from those sentences and a desk's stock phrases; about a tenth
// are in Ukrainian, Polish, Spanish or Russian. They are loaded the fast way: rows inserted straight into
// kb_articles in one transaction, each indexed with reindexArticle, the function the service uses.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { closeDatabase, openDatabase, type Db } from '../../db/connection.ts';
import { systemActor } from '../../server/audit/service.ts';
import { readCityFolder, sampleCityDir } from '../../server/hierarchy/files.ts';
import { applyHierarchy } from '../../server/hierarchy/loader.ts';
import { searchArticles, type KbSearchOptions } from '../../server/kb/search.ts';
import { queryTerms } from '../../server/search/fold.ts';
import { readSampleArticles, sampleArticlesDir } from '../../server/kb/seed.ts';
import { generateArticles, loadArticles, plain, topicsFrom, wordCount, type GeneratedArticle } from './city-scale/articles.ts';
import { seededRandom, ms, mb, fmt, words, stratified, stats, table } from './lib.ts';

const quick = process.argv.includes('--quick');
const keepDbAt = process.argv.includes('--keep-db') ? process.argv[process.argv.indexOf('--keep-db') + 1] : undefined;
const SEED = 20240508;
const TARGET_P99_MS = 10;
const ARTICLES = quick ? 1000 : 20000;
const SAMPLED_ARTICLES = quick ? 40 : 300;
const SAMPLED_OTHER_LANGUAGE = quick ? 10 : 60;
const QUERY_LIMIT = quick ? 200 : Infinity;
const WARMUP = quick ? 50 : 400;
const reportPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'kb-search.md');


const rng = seededRandom(SEED);
const { random, int, pick, shuffle } = rng;

// ---------------------------------------------------------------------------------------------------
// 2. The query mix

const categories = ['prefix', 'whole word', 'multi-word', 'uk/pl/es/ru', 'filtered', 'no match'] as const;
type Category = (typeof categories)[number];
interface Query {
  category: Category;
  text: string;
  filter?: { category: string } | { problemCode: string };
}

const elsewhere = [
  'submarine', 'astronaut', 'volcano', 'saxophone', 'zeppelin', 'origami', 'kangaroo', 'xylophone', 'telescope', 'croissant', 'mortgage',
  'hairdresser', 'karaoke', 'quasar', 'penguin', 'tsunami', 'espresso', 'harpsichord', 'lottery', 'sushi', 'jukebox', 'wizard', 'лисиця', 'żyrafa',
];

// Queries in the other languages a clerk types: with and without diacritics, Cyrillic in either case.
const fixedOtherLanguage = [
  'łódź', 'lodz', 'ŁÓDŹ', 'Łódź', 'łodz', 'odbiór śmieci', 'odbior smieci', 'śmieci', 'smieci', 'latarnia', 'swiatlo', 'gołoledź', 'gololedz',
  'сміття', 'СМІТТЯ', 'Сміття', 'ліхтар', 'ЛІХТАР', 'сніг', 'яма', 'ЯМА', 'ёлка', 'елка', 'ЁЛКА', 'мусор', 'МУСОР', 'вывоз мусора',
  'recolección', 'recoleccion', 'RECOLECCIÓN', 'bache', 'colchón', 'colchon', 'alumbrado público', 'alumbrado publico',
];

/** Whole words of a title worth searching for (the title's own spelling, lower-cased). */
const titleWords = (title: string) => words(title).filter((w) => w.length >= 2);

function queryMix(articles: GeneratedArticle[], sampled: number, sampledOther: number): Query[] {
  const queries: Query[] = [];
  const add = (category: Category, text: string, filter?: Query['filter']) => queries.push({ category, text, ...(filter ? { filter } : {}) });
  const published = articles.filter((a) => a.status === 'published');
  const english = shuffle(published.filter((a) => a.language === 'en')).slice(0, sampled);

  for (const a of english) {
    const ws = titleWords(a.title);
    // A clerk typing a title, keystroke by keystroke, from one of its words: "t", "tr", …, then "trash p", "trash pi", …
    const start = int(Math.max(1, ws.length - 1));
    const first = ws[start];
    const second = ws[start + 1];
    if (first) for (let n = 1; n <= first.length; n++) add('prefix', first.slice(0, n));
    if (first && second) for (let n = 1; n <= second.length; n++) add('prefix', `${first} ${second.slice(0, n)}`);

    // A whole word: a single-word keyword, or a title word of four letters or more.
    const singles = a.keywords.filter((k) => words(k).length === 1);
    const long = ws.filter((w) => w.length >= 4);
    const whole = singles.length > 0 && random() < 0.5 ? words(pick(singles))[0] : long.length > 0 ? pick(long) : undefined;
    if (whole) add('whole word', whole);

    // Two or three words of the title in a row, or a multi-word keyword.
    const multi = a.keywords.filter((k) => words(k).length >= 2);
    if (multi.length > 0 && random() < 0.3) add('multi-word', pick(multi).toLowerCase());
    else if (ws.length >= 2) {
      const len = Math.min(ws.length, 2 + int(2));
      const at = int(ws.length - len + 1);
      add('multi-word', ws.slice(at, at + len).join(' '));
    }

    // The same kinds of query within a category or a problem code the article is filed under.
    const filters = [...a.categories.map((category) => ({ category })), ...a.problemCodes.map((problemCode) => ({ problemCode }))];
    const typed = ws.filter((x) => x.length >= 3);
    if (filters.length > 0 && typed.length > 0) {
      const w = pick(typed);
      const r = random();
      add('filtered', r < 0.4 ? w.slice(0, 1 + int(3)) : r < 0.8 ? w : ws.slice(0, 2).join(' '), pick(filters));
    }
  }

  // The other languages: words of the titles as written, without diacritics, in capitals, as prefixes.
  const other = shuffle(published.filter((a) => a.language !== 'en')).slice(0, sampledOther);
  for (const a of other) {
    const ws = titleWords(a.title).filter((w) => w.length >= 3);
    if (ws.length === 0) continue;
    const w = pick(ws);
    add('uk/pl/es/ru', w);
    add('uk/pl/es/ru', random() < 0.5 ? plain(w) : w.toUpperCase());
    add('uk/pl/es/ru', w[0]!.toUpperCase() + w.slice(1));
    for (let n = 1; n <= Math.min(4, w.length - 1); n++) add('uk/pl/es/ru', w.slice(0, n));
    if (ws.length >= 2) add('uk/pl/es/ru', ws.slice(0, 2).join(' '));
  }
  for (const text of fixedOtherLanguage) add('uk/pl/es/ru', text);

  // Queries that match nothing: words from elsewhere, pairs of them, and keyboard mash.
  const noMatch = Math.max(40, Math.round(queries.length / 40));
  for (let i = 0; i < noMatch; i++) {
    const kind = i % 3;
    if (kind === 0) add('no match', pick(elsewhere));
    else if (kind === 1) add('no match', `${pick(elsewhere)} ${pick(elsewhere)}`);
    else add('no match', Array.from({ length: 4 + int(7) }, () => pick([...'qxzjvkwfyh'])).join(''));
  }
  return shuffle(queries);
}


const optionsOf = (q: Query): KbSearchOptions => ({ audience: 'desk', limit: 10, ...q.filter });

// ---------------------------------------------------------------------------------------------------
// 3. Timing and the report





const describe = (q: Query) => (q.filter ? `${q.text} [${Object.entries(q.filter).map(([k, v]) => `${k}=${String(v)}`).join('')}]` : q.text);

function main(): void {
  const started = Date.now();
  const loadBefore = loadavg()[0]!;
  if (loadBefore > 0.5) console.log(`note: 1-minute load average is ${loadBefore.toFixed(2)}; other processes will show in the numbers`);
  const root = mkdtempSync(join(tmpdir(), 'onewindow-kb-bench-'));
  const dbPath = join(root, 'bench.db');
  let db: Db | undefined;
  try {
    // 1. Generate and load.
    const hierarchy = readCityFolder(sampleCityDir).hierarchy;
    if (!hierarchy) throw new Error('the sample city does not pass its own checks');
    const samples = existsSync(sampleArticlesDir) ? readSampleArticles() : [];
    db = openDatabase(dbPath);
    applyHierarchy(db, { ...systemActor, label: 'bench' }, hierarchy);
    const knownCodes = new Set(db.all<{ code: string }>(sql`SELECT code FROM hierarchy_nodes WHERE level IN ('category', 'problem_code')`).map((r) => r.code));

    let t = process.hrtime.bigint();
    const topics = topicsFrom(hierarchy, samples, knownCodes);
    const articles = generateArticles(rng, topics, ARTICLES);
    const generateMs = ms(process.hrtime.bigint() - t);
    const count = <K extends keyof GeneratedArticle>(key: K) => {
      const tally = new Map<string, number>();
      for (const a of articles) tally.set(String(a[key]), (tally.get(String(a[key])) ?? 0) + 1);
      return [...tally].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    };
    const bodyWords = articles.map((a) => wordCount(a.body)).sort((a, b) => a - b);
    const meanWords = Math.round(bodyWords.reduce((a, b) => a + b, 0) / bodyWords.length);
    const sampleNote = samples.length ? `${samples.length} sample articles from db/seed/knowledge-base` : 'no sample articles (db/seed/knowledge-base is missing or empty)';
    const composition =
      `${articles.length} articles from ${topics.length} topics (${topics.filter((x) => x.language === 'en' && !x.fromSample).length} problem codes of the sample city, ` +
      `${topics.filter((x) => x.language !== 'en' && !x.fromSample).length} services written up in uk/pl/es/ru, ${sampleNote}); ` +
      `languages: ${count('language')}; status: ${count('status')}; audience: ${count('audience')}; ` +
      `body ${bodyWords[0]}–${bodyWords.at(-1)} words (mean ${meanWords}); ${articles.filter((a) => a.categories.length + a.problemCodes.length > 0).length} filed under a category or problem code`;
    console.log(`generated ${composition} in ${fmt(generateMs)} ms`);

    console.log(`loading into a fresh database at ${dbPath} …`);
    t = process.hrtime.bigint();
    loadArticles(db, articles);
    const loadMs = ms(process.hrtime.bigint() - t);
    const indexed = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM kb_search`)!.n;
    if (indexed !== ARTICLES) throw new Error(`expected ${ARTICLES} articles in the search index, found ${indexed}`);
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const dbBytes = statSync(dbPath).size;
    let indexBytes: number | undefined;
    try {
      indexBytes = (db.$client.prepare(`SELECT sum(pgsize) AS n FROM dbstat WHERE name LIKE 'kb_search%'`).get() as { n: number }).n;
    } catch {
      indexBytes = undefined; // dbstat is not compiled in
    }
    const rss = process.memoryUsage().rss;
    if (keepDbAt) {
      db.$client.exec(`VACUUM INTO '${keepDbAt.replace(/'/g, "''")}'`);
      console.log(`kept a copy of the database at ${keepDbAt}`);
    }
    const size = `database ${mb(dbBytes)}` + (indexBytes !== undefined ? ` (search index ${mb(indexBytes)})` : '');
    console.log(`loaded ${indexed} articles in ${(loadMs / 1000).toFixed(2)} s (${Math.round(indexed / (loadMs / 1000))} articles/s); ${size}; RSS after loading ${mb(rss)}`);

    // 2. The query mix. Candidates for "no match" that do match something are dropped (untimed run).
    const database = db;
    let queries = queryMix(articles, SAMPLED_ARTICLES, SAMPLED_OTHER_LANGUAGE);
    const matching = queries.filter((q) => q.category === 'no match' && searchArticles(database, q.text, optionsOf(q)).length > 0);
    queries = queries.filter((q) => !matching.includes(q));
    queries = stratified(queries, categories, shuffle, QUERY_LIMIT);
    const counts = categories.map((c) => `${queries.filter((q) => q.category === c).length} ${c}`).join(', ');
    console.log(
      `query mix: ${queries.length} queries from ${SAMPLED_ARTICLES} + ${SAMPLED_OTHER_LANGUAGE} sampled published articles (${counts}); seed ${SEED}` +
        (matching.length ? `; ${matching.length} "no match" candidates matched and were dropped` : ''),
    );

    // 3. Warm up on queries of other sampled articles (a search that kept anything per query would
    // otherwise be timed on queries it has already seen), then time each call of the service function
    // the HTTP route calls.
    const warmup = queryMix(articles, Math.ceil(SAMPLED_ARTICLES / 5), Math.ceil(SAMPLED_OTHER_LANGUAGE / 5)).slice(0, WARMUP);
    for (const q of warmup) searchArticles(database, q.text, optionsOf(q));
    const missesBefore = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM kb_search_misses`)!.n;
    const durations: number[] = [];
    const hits: number[] = [];
    const loopStart = process.hrtime.bigint();
    for (const q of queries) {
      const options = optionsOf(q);
      const before = process.hrtime.bigint();
      const result = searchArticles(database, q.text, options);
      durations.push(ms(process.hrtime.bigint() - before));
      hits.push(result.length);
    }
    const loopMs = ms(process.hrtime.bigint() - loopStart);
    const missesWritten = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM kb_search_misses`)!.n - missesBefore;
    const select = (keep: (q: Query) => boolean) => queries.map((q, i) => (keep(q) ? i : -1)).filter((i) => i >= 0);
    const statsOf = (label: string, at: number[]) => stats(label, at.map((i) => durations[i]!), at.map((i) => hits[i]!));
    const rows = [...categories.map((c) => statsOf(c, select((q) => q.category === c))), stats('**all**', durations, hits)];
    const overall = rows.at(-1)!;
    // Prefix queries by the length of the word being typed: one letter matches most of the index.
    const lastWord = (q: Query) => words(q.text).at(-1) ?? '';
    const byLength = [
      ...[1, 2, 3].map((n) =>
        statsOf(
          n === 3 ? 'prefix, last word 3+ letters' : `prefix, last word ${n} letter${n === 1 ? '' : 's'}`,
          select((q) => q.category === 'prefix' && Math.min(3, lastWord(q).length) === n),
        ),
      ),
      statsOf('filtered by category', select((q) => q.category === 'filtered' && !!q.filter && 'category' in q.filter)),
      statsOf('filtered by problem code', select((q) => q.category === 'filtered' && !!q.filter && 'problemCode' in q.filter)),
      statsOf('any query with hits', select(() => true).filter((i) => hits[i]! > 0)),
      statsOf('any query, no hits (records a miss)', select(() => true).filter((i) => hits[i] === 0)),
    ];
    const loadAfter = loadavg()[0]!;
    const throughput = Math.round(queries.length / (loopMs / 1000));
    const rssAfter = process.memoryUsage().rss;
    // How many articles the index matches for every word (untimed): what a search has to rank.
    const countMatches = db.$client.prepare<[string], { n: number }>('SELECT count(*) AS n FROM kb_search WHERE kb_search MATCH ?');
    const matchesOf = (q: Query) => countMatches.get(queryTerms(q.text).map((t) => `"${t.replace(/"/g, '""')}"*`).join(' AND '))!.n;
    const slowest = queries
      .map((q, i) => ({ ...q, ms: durations[i]!, hits: hits[i]!, matches: 0 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10);
    for (const s of slowest) s.matches = matchesOf(s);
    const meanMatches = [1, 2, 3].map((n) => {
      const qs = queries.filter((q) => q.category === 'prefix' && Math.min(3, lastWord(q).length) === n);
      return Math.round(qs.reduce((sum, q) => sum + matchesOf(q), 0) / Math.max(1, qs.length));
    });
    const matchesLine =
      `Articles the index matches for every word of a prefix query (before the published/audience filter), on average: ` +
      `${meanMatches[0]} of ${indexed} when the last word has one letter, ${meanMatches[1]} with two, ${meanMatches[2]} with three or more.`;

    const worst = rows.slice(0, -1).reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const over = rows.slice(0, -1).filter((r) => r.p99 > TARGET_P99_MS);
    const verdict =
      overall.p99 <= TARGET_P99_MS
        ? `**Meets the target**: p99 ${fmt(overall.p99)} ms ≤ ${TARGET_P99_MS} ms over all ${overall.count} queries` +
          (over.length ? `, though ${over.map((r) => `${r.label} (p99 ${fmt(r.p99)} ms)`).join(', ')} alone would miss it.` : `; every category also meets it (worst: ${worst.label}, p99 ${fmt(worst.p99)} ms).`)
        : `**Misses the target** by ${fmt(overall.p99 - TARGET_P99_MS)} ms: p99 ${fmt(overall.p99)} ms > ${TARGET_P99_MS} ms; worst category ${worst.label} (p99 ${fmt(worst.p99)} ms).`;

    const cpu = cpus();
    const sqliteVersion = db.$client.prepare('select sqlite_version() AS v').get() as { v: string };
    const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length} logical CPUs, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${platform()} ${release()} (${arch()}); Node ${process.version}; SQLite ${sqliteVersion.v} (better-sqlite3)`;
    const report = [
      `# Knowledge-base search benchmark${quick ? ' (--quick)' : ''}`,
      '',
      `Issue #5 item 8: knowledge-base search answers in p99 ≤ ${TARGET_P99_MS} ms server-side with 20,000 articles.`,
      `Produced by \`node --import tsx scripts/bench/kb-search.ts\`; numbers are from one run on one machine.`,
      '',
      `- **Date:** ${new Date().toISOString()}`,
      `- **Machine:** ${machine}; 1-minute load average ${loadBefore.toFixed(2)} before the run, ${loadAfter.toFixed(2)} after`,
      `- **Articles:** ${composition}. Titles vary the service by template and neighbourhood ("Pothole repair in Dorchester", "How to report: Missed trash pickup", ` +
        `"Public Works Department: Street light outage"); bodies are Markdown assembled from the problem code's description, questions, keywords and synonyms, ` +
        `its category's and department's descriptions, a related service's sentences and a desk's stock phrases, so many articles are near-duplicates.`,
      `- **Load:** rows inserted straight into kb_articles and kb_article_nodes in one transaction, each indexed with \`reindexArticle\` (no versions, no audit rows): ` +
        `${(loadMs / 1000).toFixed(2)} s (${Math.round(indexed / (loadMs / 1000))} articles/s); ${size} after a WAL checkpoint; RSS after loading ${mb(rss)}, ${mb(rssAfter)} after the queries.`,
      `- **Queries:** ${queries.length} (seed ${SEED}; ${counts}): every keystroke prefix of a published English title's word and of the next word after it ("t", "tr", …, "trash pi"), ` +
        `a whole keyword or title word, 2–3 title words or a multi-word keyword, words of Ukrainian, Polish, Spanish and Russian titles (as written, without diacritics, in capitals, ` +
        `capitalised, as 1–4 letter prefixes, two words) plus fixed ones ("lodz", "łódź", "СМІТТЯ", "елка"), the same kinds of query filtered by a category or problem code the article is filed under, ` +
        `and queries that match nothing (each is recorded in kb_search_misses, the real cost of a miss; the table grew by ${missesWritten} rows in the timed run). ${WARMUP} warm-up queries from other sampled articles first; then each ` +
        `\`searchArticles(db, q, { audience: 'desk', limit: 10, … })\` timed alone with \`process.hrtime.bigint()\`, one after another on one thread.`,
      '',
      table(rows),
      '',
      table(byLength),
      '',
      matchesLine,
      '',
      `Throughput, one connection, one query at a time: ${throughput} queries/s.`,
      '',
      `**Verdict:** ${verdict}`,
      '',
      'Slowest queries:',
      '',
      '| query | kind | ms | hits | articles matching every word |',
      '|---|---|--:|--:|--:|',
      ...slowest.map((s) => `| \`${describe(s)}\` | ${s.category} | ${fmt(s.ms)} | ${s.hits} | ${s.matches} |`),
      '',
    ].join('\n');

    console.log('');
    console.log(table(rows));
    console.log('');
    console.log(table(byLength));
    console.log('');
    console.log(matchesLine);
    console.log(`throughput: ${throughput} queries/s (serial); RSS now ${mb(rssAfter)}; kb_search_misses grew by ${missesWritten} rows`);
    console.log(`slowest: ${slowest.slice(0, 5).map((s) => `"${describe(s)}" ${fmt(s.ms)} ms (${s.category}, ${s.matches} articles match)`).join(', ')}`);
    console.log(`machine: ${machine}; load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}`);
    // The target is for 20,000 articles: a quick run only shows the harness works.
    console.log(quick ? `no verdict: --quick is a smoke test of the harness on ${ARTICLES} articles` : `verdict: ${verdict.replace(/\*\*/g, '')}`);
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

main();
