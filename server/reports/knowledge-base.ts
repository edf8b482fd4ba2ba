// The knowledge base over a period: which articles answered callers most, which readers found least
// useful, and what people searched for and did not find (the articles to write next).
import { sql } from 'drizzle-orm';
import { rangeOf, scopeOf, type PeriodQuery, type Reader } from './filters.ts';

export interface KnowledgeBaseQuery extends PeriodQuery {
  limit?: number;
}

export function knowledgeBaseReport(db: Reader, query: KnowledgeBaseQuery, now = new Date()) {
  const { period } = scopeOf(db, query, now);
  const limit = query.limit ?? 10;
  const inPeriod = (column: string) => sql`${sql.raw(column)} >= ${period.start} AND ${sql.raw(column)} < ${period.end}`;
  // Each article's uses and views are two ranges of the events index (article, kind, time), counted
  // there; reading the period's events instead would look each one's article up and sort them all.
  const eventsOf = (kind: 'use' | 'view') => sql`(SELECT count(*) FROM kb_article_events e WHERE e.article_id = a.id AND e.kind = ${kind} AND ${inPeriod('e.at')})`;
  const mostUsed = db.all<{ slug: string; title: string; uses: number; views: number }>(sql`
    WITH counted AS MATERIALIZED (SELECT a.slug, a.title, ${eventsOf('use')} AS uses, ${eventsOf('view')} AS views FROM kb_articles a)
    SELECT slug, title, uses, views FROM counted WHERE uses > 0 OR views > 0 ORDER BY uses DESC, views DESC, title LIMIT ${limit}`);
  // Worst first: the smallest share found useful, then the most "not useful"; only articles someone found wanting.
  const worstRated = db.all<{ slug: string; title: string; ratings: number; useful: number; notUseful: number; usefulShare: number }>(sql`
    SELECT a.slug, a.title, count(*) AS ratings, sum(f.useful) AS useful, sum(NOT f.useful) AS notUseful, 1.0 * sum(f.useful) / count(*) AS usefulShare
    FROM kb_feedback f JOIN kb_articles a ON a.id = f.article_id WHERE ${inPeriod('f.at')}
    GROUP BY a.id HAVING sum(NOT f.useful) > 0 ORDER BY usefulShare, notUseful DESC, a.title LIMIT ${limit}`);
  // Searches are grouped by their folded form ("Łódź" and "lodz" are one); the latest wording in the period is shown.
  const searchMisses = db.all<{ query: string; searches: number; desk: number; portal: number; lastAt: string }>(sql`
    SELECT (SELECT m2.query FROM kb_search_misses m2 WHERE m2.folded = m.folded AND ${inPeriod('m2.at')} ORDER BY m2.at DESC, m2.id DESC LIMIT 1) AS query,
      count(*) AS searches, sum(m.channel = 'desk') AS desk, sum(m.channel = 'portal') AS portal, max(m.at) AS lastAt
    FROM kb_search_misses m WHERE ${inPeriod('m.at')}
    GROUP BY m.folded ORDER BY searches DESC, lastAt DESC LIMIT ${limit}`);
  return { range: rangeOf(period), mostUsed, worstRated, searchMisses };
}

export type KnowledgeBaseReport = ReturnType<typeof knowledgeBaseReport>;
