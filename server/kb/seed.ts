// The sample city's knowledge base (db/seed/knowledge-base/*.json), loaded on the first demo start.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import type { Actor } from '../audit/service.ts';
import { createArticle, setArticleStatus, updateArticle, type ArticleInput, type KbStatus } from './service.ts';

export const sampleArticlesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'db', 'seed', 'knowledge-base');

type SampleArticle = ArticleInput & { status?: KbStatus };

export function readSampleArticles(dir = sampleArticlesDir): SampleArticle[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as SampleArticle);
}

export function knowledgeBaseIsEmpty(db: Db): boolean {
  return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM kb_articles`)!.n === 0;
}

/** Creates every article, then links the related ones (which may come later in the list), then publishes. */
export function loadSampleArticles(db: Db, actor: Actor, articles = readSampleArticles()): number {
  db.transaction(() => {
    for (const a of articles) createArticle(db, actor, { ...a, related: [] });
    for (const a of articles) {
      if (a.related.length) updateArticle(db, actor, a.slug, { ...a, version: 1, note: 'related articles' });
      const version = a.related.length ? 2 : 1;
      setArticleStatus(db, actor, a.slug, { version, status: a.status ?? 'published' });
    }
  });
  return articles.length;
}
