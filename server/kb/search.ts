// Knowledge-base search: FTS5 over folded text in any of the city's languages, every word matched
// (the last as a prefix, as you type), title and keywords weighted above summary and body, a snippet
// around the words found, filters by category and problem code. Searches that find nothing are kept.
import { sql } from 'drizzle-orm';
import { perConnection, type Db } from '../../db/connection.ts';
import { kbSearchMisses } from '../../db/schema/kb.ts';
import { fold, foldTerm, queryTerms } from '../search/fold.ts';

type Writer = Pick<Db, 'run' | 'get' | 'all'>;

/** Rewrites the search row of one article from its current state. */
export function reindexArticle(db: Writer, id: number): void {
  db.run(sql`DELETE FROM kb_search WHERE rowid = ${id}`);
  const a = db.get<{ status: string; audience: string; language: string; title: string; keywords: string; summary: string; body: string } | undefined>(
    sql`SELECT status, audience, language, title, keywords, summary, body FROM kb_articles WHERE id = ${id}`,
  );
  if (!a) return;
  const keywords = (JSON.parse(a.keywords) as string[]).join(' · ');
  db.run(sql`INSERT INTO kb_search (rowid, status, audience, language, title, keywords, summary, body)
             VALUES (${id}, ${a.status}, ${a.audience}, ${a.language}, ${fold(a.title)}, ${fold(keywords)}, ${fold(a.summary)}, ${fold(a.body)})`);
}

/** A piece of a snippet: text, and whether it is one of the words searched for. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

const wordPattern = /[\p{L}\p{N}]+/gu;



// The words of articles repeat (a few thousand distinct ones), and a snippet looks at every word of a
// body: each is normalised once, not once per word of every hit of every search.
const normalised = new Map<string, string>();
function normaliseCached(word: string): string {
  let n = normalised.get(word);
  if (n === undefined) {
    if (normalised.size >= 50_000) normalised.clear();
    normalised.set(word, (n = foldTerm(word)));
  }
  return n;
}

/**
 * The part of `text` (the original, not the folded index text, so "Łódź" stays "Łódź") with the most
 * words that start with a searched term, about `width` words long, the words found marked.
 */
export function snippet(text: string, terms: string[], width = 24): SnippetPart[] {
  const plain = text.replace(/[#*_`>[\]()]/g, ' ').replace(/\s+/g, ' ').trim();
  const words = [...plain.matchAll(wordPattern)].map((m) => {
    const word = normaliseCached(m[0]);
    return { start: m.index, end: m.index + m[0].length, hit: terms.some((t) => word.startsWith(t)) };
  });
  if (words.length === 0) return [];
  // The first window of `width` words with the most hits, the count slid along rather than recounted.
  let best = 0;
  let bestHits = -1;
  let hits = 0;
  for (let j = 0; j < Math.min(words.length, width); j++) if (words[j]!.hit) hits++;
  for (let i = 0; i < words.length; i++) {
    if (i > 0) {
      if (words[i - 1]!.hit) hits--;
      if (i + width - 1 < words.length && words[i + width - 1]!.hit) hits++;
    }
    if (hits > bestHits) {
      best = i;
      bestHits = hits;
    }
    if (i + width >= words.length) break;
  }
  const first = Math.max(0, best - 3);
  const last = Math.min(words.length, first + width) - 1;
  const parts: SnippetPart[] = [];
  let at = words[first]!.start;
  if (first > 0) parts.push({ text: '…', hit: false });
  for (let i = first; i <= last; i++) {
    const w = words[i]!;
    if (w.hit) {
      if (w.start > at) parts.push({ text: plain.slice(at, w.start), hit: false });
      parts.push({ text: plain.slice(w.start, w.end), hit: true });
      at = w.end;
    }
  }
  const end = words[last]!.end;
  if (end > at) parts.push({ text: plain.slice(at, end), hit: false });
  if (last < words.length - 1) parts.push({ text: '…', hit: false });
  return parts;
}

export interface KbSearchOptions {
  /** desk: published articles of either audience; public: published public ones only. */
  audience: 'desk' | 'public';
  category?: string;
  problemCode?: string;
  language?: string;
  limit: number;
}

export interface KbHit {
  slug: string;
  title: string;
  summary: string;
  language: string;
  audience: string;
  snippet: SnippetPart[];
}

const quote = (term: string) => `"${term.replace(/"/g, '""')}"*`;

const rank = 'bm25(kb_search, 0, 0, 0, 10.0, 8.0, 3.0, 1.0)';

// Prepared once per connection (building and preparing the SQL on every keystroke costs ~0.1 ms). The
// ranking reads the full-text index alone: no other table is joined and no stored column read for the
// thousands of rows a short prefix matches; the articles are read only for the best few.
function statementsFor(client: Db['$client']) {
  return {
    ranked: client.prepare<[string, number], { id: number }>(`
      SELECT rowid AS id FROM kb_search WHERE kb_search MATCH ? ORDER BY ${rank}, rowid LIMIT ?`),
    // "+rowid": the filter is checked per match, never turned into one full-text lookup per filed article.
    rankedUnder: client.prepare<[string, string, number], { id: number }>(`
      SELECT rowid AS id FROM kb_search WHERE kb_search MATCH ?
        AND +rowid IN (SELECT n.article_id FROM kb_article_nodes n JOIN hierarchy_nodes h ON h.id = n.node_id WHERE h.code = ?)
      ORDER BY ${rank}, rowid LIMIT ?`),
    article: client.prepare<[number], { slug: string; title: string; summary: string; body: string; language: string; audience: string; status: string }>(`
      SELECT slug, title, summary, body, language, audience, status FROM kb_articles WHERE id = ?`),
  };
}
const statements = perConnection((db) => statementsFor(db.$client));

/**
 * Keeps a search that found nothing, as a gap to write. Searching as you type sends every prefix:
 * a miss that the same desk extends within a minute replaces the shorter one, so "xq", "xqz", "xqzw"
 * is one gap, not three.
 */
function recordMiss(db: Db, query: string, folded: string, channel: 'desk' | 'portal'): void {
  const now = Date.now();
  const recent = new Date(now - 60_000).toISOString();
  db.transaction((tx) => {
    // Prefixes compared with substr, so no character in the text needs escaping.
    const typedOn = tx.get<{ id: number } | undefined>(sql`
      SELECT id FROM kb_search_misses WHERE channel = ${channel} AND at >= ${recent} AND substr(folded, 1, length(${folded})) = ${folded} LIMIT 1`);
    if (typedOn) return; // this text, or a longer form of it, is already there (the clerk is deleting back)
    tx.run(sql`DELETE FROM kb_search_misses WHERE channel = ${channel} AND at >= ${recent} AND substr(${folded}, 1, length(folded)) = folded`);
    tx.insert(kbSearchMisses).values({ query: query.trim().slice(0, 200), folded, channel, at: new Date(now).toISOString() }).run();
  });
}

export function searchArticles(db: Db, text: string, options: KbSearchOptions): KbHit[] {
  const terms = queryTerms(text);
  if (terms.length === 0) return [];
  const node = options.problemCode ?? options.category;
  const { ranked, rankedUnder, article } = statements(db);
  const wanted = (a: { status: string; audience: string; language: string }) =>
    a.status === 'published' && (options.audience !== 'public' || a.audience === 'public') && (!options.language || a.language === options.language);
  // Status, audience and language are checked on the best matches, in rank order: a window of twice
  // the limit is almost always enough, and it grows until `limit` pass or the matches run out.
  const run = (match: string) => {
    let rows: { slug: string; title: string; summary: string; body: string; language: string; audience: string }[] = [];
    for (let window = options.limit * 2 + 10; ; window *= 4) {
      const ids = node ? rankedUnder.all(match, node, window) : ranked.all(match, window);
      rows = [];
      for (const { id } of ids) {
        const a = article.get(id);
        if (a && wanted(a)) rows.push(a);
        if (rows.length === options.limit) break;
      }
      if (rows.length === options.limit || ids.length < window) return rows;
    }
  };
  // Every word first; a caller's whole sentence ("how do I get my towed car back") rarely has them
  // all, so then the articles with the most of them, rare words weighing most, best first.
  // Titles and keywords first: they outweigh the text anyway, and they match far fewer articles than
  // bodies do, so a short prefix ("s", "request c") is ranked over hundreds of rows, not thousands.
  // The whole text is searched only to fill the page.
  const search = (match: string) => {
    const inTitles = run(`{title keywords} : (${match})`);
    if (inTitles.length === options.limit) return inTitles;
    const seen = new Set(inTitles.map((r) => r.slug));
    return [...inTitles, ...run(match).filter((r) => !seen.has(r.slug))].slice(0, options.limit);
  };
  let rows = search(terms.map(quote).join(' AND '));
  if (rows.length === 0 && terms.length > 1) rows = search(terms.map(quote).join(' OR '));
  if (rows.length === 0) recordMiss(db, text, terms.join(' '), options.audience === 'public' ? 'portal' : 'desk');
  return rows.map((r) => {
    const fromBody = snippet(r.body, terms);
    return {
      slug: r.slug,
      title: r.title,
      summary: r.summary,
      language: r.language,
      audience: r.audience,
      snippet: fromBody.some((p) => p.hit) ? fromBody : snippet(r.summary || r.body, terms),
    };
  });
}
