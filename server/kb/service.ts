// The knowledge base: articles with their versions, related articles (both ways), classification,
// status (draft → published → archived), and what readers did with them (views, uses, ratings).
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import MarkdownIt from 'markdown-it';
import type { Db } from '../../db/connection.ts';
import { hierarchyNodes } from '../../db/schema/hierarchy.ts';
import {
  kbArticleEvents,
  kbArticleNodes,
  kbArticles,
  kbArticleVersions,
  kbFeedback,
  kbRelated,
  type Link,
  type Phone,
  type kbStatuses,
} from '../../db/schema/kb.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { assertNoProblems, DomainError, type FieldProblem } from '../errors.ts';
import { reindexArticle } from './search.ts';

type ArticleRow = typeof kbArticles.$inferSelect;
type Tx = Db;
type Reader = Pick<Db, 'select' | 'all' | 'get'>;
export type KbStatus = (typeof kbStatuses)[number];

// Raw HTML in Markdown is shown as text, never run; links are checked by markdown-it (no javascript:).
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });
const defaultLinkOpen = markdown.renderer.rules.link_open;
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener noreferrer');
  tokens[idx]!.attrSet('target', '_blank');
  return defaultLinkOpen ? defaultLinkOpen(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
};

export function renderMarkdown(text: string): string {
  return markdown.render(text);
}

export interface ArticleInput {
  slug: string;
  title: string;
  summary: string;
  body: string;
  callScript: string;
  phones: Phone[];
  links: Link[];
  keywords: string[];
  language: 'en' | 'es' | 'uk' | 'pl' | 'ru';
  audience: 'desk' | 'public';
  owner: string;
  reviewDate: string | null;
  related: string[];
  categories: string[];
  problemCodes: string[];
}

/** An article's editable content, the unit of a version. */
type Content = Omit<ArticleInput, 'slug'>;

function findArticle(db: Reader, slug: string): ArticleRow {
  const row = db.select().from(kbArticles).where(eq(kbArticles.slug, slug)).get();
  if (!row) throw new DomainError('NOT_FOUND', `There is no article ${slug}.`);
  return row;
}

function relatedOf(db: Reader, id: number) {
  return db.all<{ slug: string; title: string; status: KbStatus; language: string; audience: string }>(sql`
    SELECT a.slug, a.title, a.status, a.language, a.audience FROM kb_related r
    JOIN kb_articles a ON a.id = CASE WHEN r.a = ${id} THEN r.b ELSE r.a END
    WHERE r.a = ${id} OR r.b = ${id}
    ORDER BY a.title`);
}

function nodesOf(db: Reader, id: number) {
  return db
    .select({ code: hierarchyNodes.code, name: hierarchyNodes.name, level: hierarchyNodes.level })
    .from(kbArticleNodes)
    .innerJoin(hierarchyNodes, eq(hierarchyNodes.id, kbArticleNodes.nodeId))
    .where(eq(kbArticleNodes.articleId, id))
    .orderBy(asc(hierarchyNodes.name))
    .all();
}

function contentOf(db: Reader, row: ArticleRow): Content {
  const nodes = nodesOf(db, row.id);
  return {
    title: row.title,
    summary: row.summary,
    body: row.body,
    callScript: row.callScript,
    phones: row.phones,
    links: row.links,
    keywords: row.keywords,
    language: row.language,
    audience: row.audience,
    owner: row.owner,
    reviewDate: row.reviewDate,
    related: relatedOf(db, row.id).map((r) => r.slug),
    categories: nodes.filter((n) => n.level === 'category').map((n) => n.code),
    problemCodes: nodes.filter((n) => n.level === 'problem_code').map((n) => n.code),
  };
}

export function getArticle(db: Reader, slug: string, audience: 'desk' | 'public' | 'admin') {
  const row = findArticle(db, slug);
  if (audience !== 'admin' && row.status !== 'published') throw new DomainError('NOT_FOUND', `There is no article ${slug}.`);
  if (audience === 'public' && row.audience !== 'public') throw new DomainError('NOT_FOUND', `There is no article ${slug}.`);
  const counts = db.get<{ views: number; uses: number; useful: number; notUseful: number }>(sql`
    SELECT (SELECT count(*) FROM kb_article_events WHERE article_id = ${row.id} AND kind = 'view') AS views,
           (SELECT count(*) FROM kb_article_events WHERE article_id = ${row.id} AND kind = 'use') AS uses,
           (SELECT count(*) FROM kb_feedback WHERE article_id = ${row.id} AND useful = 1) AS useful,
           (SELECT count(*) FROM kb_feedback WHERE article_id = ${row.id} AND useful = 0) AS notUseful`);
  // Others see only what they could open: published, and public for the public.
  const related = relatedOf(db, row.id).filter((r) => audience === 'admin' || (r.status === 'published' && (audience === 'desk' || r.audience === 'public')));
  return {
    slug: row.slug,
    ...contentOf(db, row),
    related: related.map((r) => ({ ...r, archived: r.status === 'archived' })),
    classification: nodesOf(db, row.id),
    status: row.status,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    bodyHtml: renderMarkdown(row.body),
    counts: counts!,
  };
}

export type ArticleDetail = ReturnType<typeof getArticle>;

/** Checks what a schema cannot: that related articles and codes exist and are what they claim. */
function checkReferences(tx: Reader, input: Content, selfSlug: string): { relatedIds: number[]; nodeIds: number[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const relatedIds: number[] = [];
  input.related.forEach((slug, i) => {
    if (slug === selfSlug) problems.push({ field: `/body/related/${i}`, message: 'is the article itself' });
    const found = tx.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.slug, slug)).get();
    if (!found) problems.push({ field: `/body/related/${i}`, message: `names no article (${slug})` });
    else relatedIds.push(found.id);
  });
  const nodeIds: number[] = [];
  for (const [key, level] of [
    ['categories', 'category'],
    ['problemCodes', 'problem_code'],
  ] as const) {
    input[key].forEach((code, i) => {
      const found = tx.select({ id: hierarchyNodes.id, level: hierarchyNodes.level }).from(hierarchyNodes).where(eq(hierarchyNodes.code, code)).get();
      if (!found) problems.push({ field: `/body/${key}/${i}`, message: `names no ${level.replace('_', ' ')} (${code})` });
      else if (found.level !== level) problems.push({ field: `/body/${key}/${i}`, message: `${code} is a ${found.level.replace('_', ' ')}, not a ${level.replace('_', ' ')}` });
      else nodeIds.push(found.id);
    });
  }
  return { relatedIds: [...new Set(relatedIds)], nodeIds: [...new Set(nodeIds)], problems };
}


function writeLinks(tx: Tx, id: number, relatedIds: number[], nodeIds: number[]): void {
  tx.delete(kbRelated).where(or(eq(kbRelated.a, id), eq(kbRelated.b, id))).run();
  for (const other of relatedIds) {
    tx.insert(kbRelated).values({ a: Math.min(id, other), b: Math.max(id, other) }).onConflictDoNothing().run();
  }
  tx.delete(kbArticleNodes).where(eq(kbArticleNodes.articleId, id)).run();
  for (const nodeId of nodeIds) tx.insert(kbArticleNodes).values({ articleId: id, nodeId }).run();
}

function saveVersion(tx: Tx, actor: Actor, row: ArticleRow, note: string): void {
  tx.insert(kbArticleVersions)
    .values({ articleId: row.id, version: row.version, snapshot: { ...contentOf(tx, row), status: row.status }, changedBy: actor.userId, changedByLabel: actor.label, changedAt: row.updatedAt, note })
    .run();
}

function fieldsOf(input: Content) {
  return {
    title: input.title.trim(),
    summary: input.summary.trim(),
    body: input.body,
    callScript: input.callScript.trim(),
    phones: input.phones,
    links: input.links,
    keywords: input.keywords.map((k) => k.trim()).filter(Boolean),
    language: input.language,
    audience: input.audience,
    owner: input.owner.trim(),
    reviewDate: input.reviewDate,
  };
}

export function createArticle(db: Db, actor: Actor, input: ArticleInput, status: KbStatus = 'draft'): ArticleDetail {
  return db.transaction((tx) => {
    const problems: FieldProblem[] = [];
    if (tx.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.slug, input.slug)).get()) problems.push({ field: '/body/slug', message: 'is already used by another article' });
    const refs = checkReferences(tx, input, input.slug);
    assertNoProblems([...problems, ...refs.problems], 'The article');
    const now = new Date().toISOString();
    const row = tx.insert(kbArticles).values({ slug: input.slug, ...fieldsOf(input), status, createdAt: now, updatedAt: now }).returning().get();
    writeLinks(tx, row.id, refs.relatedIds, refs.nodeIds);
    saveVersion(tx, actor, row, 'created');
    recordAudit(tx, actor, { entityType: 'kb_article', entityId: row.slug, action: 'kb.created', after: { title: row.title, status } });
    reindexArticle(tx, row.id);
    return getArticle(tx, row.slug, 'admin');
  });
}

function assertVersion(row: ArticleRow, version: number): void {
  if (row.version !== version) throw new DomainError('VERSION_CONFLICT', `“${row.title}” was changed by someone else since you opened it (now version ${row.version}); reload it and make your change again.`);
}

export function updateArticle(db: Db, actor: Actor, slug: string, input: Content & { version: number; note?: string }): ArticleDetail {
  return db.transaction((tx) => {
    const row = findArticle(tx, slug);
    assertVersion(row, input.version);
    const refs = checkReferences(tx, input, slug);
    assertNoProblems(refs.problems, 'The article');
    const before = contentOf(tx, row);
    const updated = tx
      .update(kbArticles)
      .set({ ...fieldsOf(input), version: row.version + 1, updatedAt: new Date().toISOString() })
      .where(eq(kbArticles.id, row.id))
      .returning()
      .get();
    writeLinks(tx, row.id, refs.relatedIds, refs.nodeIds);
    saveVersion(tx, actor, updated, input.note ?? '');
    recordAudit(tx, actor, { entityType: 'kb_article', entityId: slug, action: 'kb.updated', before, after: contentOf(tx, updated) });
    reindexArticle(tx, row.id);
    return getArticle(tx, slug, 'admin');
  });
}

const transitions: Record<KbStatus, KbStatus[]> = { draft: ['published', 'archived'], published: ['archived', 'draft'], archived: ['published', 'draft'] };

export function setArticleStatus(db: Db, actor: Actor, slug: string, input: { version: number; status: KbStatus }): ArticleDetail {
  return db.transaction((tx) => {
    const row = findArticle(tx, slug);
    assertVersion(row, input.version);
    if (row.status === input.status) return getArticle(tx, slug, 'admin');
    if (!transitions[row.status].includes(input.status)) throw new DomainError('CONFLICT', `A ${row.status} article cannot become ${input.status}.`);
    const updated = tx.update(kbArticles).set({ status: input.status, version: row.version + 1, updatedAt: new Date().toISOString() }).where(eq(kbArticles.id, row.id)).returning().get();
    saveVersion(tx, actor, updated, input.status);
    recordAudit(tx, actor, { entityType: 'kb_article', entityId: slug, action: `kb.${input.status}`, before: { status: row.status }, after: { status: input.status } });
    reindexArticle(tx, row.id);
    return getArticle(tx, slug, 'admin');
  });
}

export function listVersions(db: Reader, slug: string) {
  const row = findArticle(db, slug);
  return db
    .select({ version: kbArticleVersions.version, changedByLabel: kbArticleVersions.changedByLabel, changedAt: kbArticleVersions.changedAt, note: kbArticleVersions.note })
    .from(kbArticleVersions)
    .where(eq(kbArticleVersions.articleId, row.id))
    .orderBy(desc(kbArticleVersions.version))
    .all();
}

export function getVersion(db: Reader, slug: string, version: number) {
  const row = findArticle(db, slug);
  const found = db.select().from(kbArticleVersions).where(and(eq(kbArticleVersions.articleId, row.id), eq(kbArticleVersions.version, version))).get();
  if (!found) throw new DomainError('NOT_FOUND', `Article ${slug} has no version ${version}.`);
  const snapshot = found.snapshot as Content & { status: KbStatus };
  return { version: found.version, changedByLabel: found.changedByLabel, changedAt: found.changedAt, note: found.note, ...snapshot, bodyHtml: renderMarkdown(snapshot.body) };
}

/** Makes an older version's content the current one, as a new version (nothing is lost). */
export function restoreVersion(db: Db, actor: Actor, slug: string, input: { version: number; restore: number }): ArticleDetail {
  const old = getVersion(db, slug, input.restore);
  const { version: _v, changedByLabel: _c, changedAt: _a, note: _n, status: _s, bodyHtml: _h, ...content } = old;
  // References that no longer exist are dropped rather than making the old version unrestorable.
  const existing = (slugs: string[]) => db.select({ slug: kbArticles.slug }).from(kbArticles).where(slugs.length ? inArray(kbArticles.slug, slugs) : sql`0`).all().map((r) => r.slug);
  const codes = (list: string[]) => db.select({ code: hierarchyNodes.code }).from(hierarchyNodes).where(list.length ? inArray(hierarchyNodes.code, list) : sql`0`).all().map((r) => r.code);
  return updateArticle(db, actor, slug, {
    ...content,
    related: existing(content.related),
    categories: codes(content.categories),
    problemCodes: codes(content.problemCodes),
    version: input.version,
    note: `restored version ${input.restore}`,
  });
}

export function listArticles(db: Reader, query: { status?: KbStatus; language?: string; limit: number; offset: number }) {
  const where = and(query.status ? eq(kbArticles.status, query.status) : undefined, query.language ? eq(kbArticles.language, query.language as ArticleRow['language']) : undefined);
  const items = db
    .select({ slug: kbArticles.slug, title: kbArticles.title, language: kbArticles.language, audience: kbArticles.audience, status: kbArticles.status, reviewDate: kbArticles.reviewDate, updatedAt: kbArticles.updatedAt, version: kbArticles.version })
    .from(kbArticles)
    .where(where)
    .orderBy(asc(kbArticles.title))
    .limit(query.limit)
    .offset(query.offset)
    .all();
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM kb_articles WHERE ${where ?? sql`1`}`)!.n;
  return { items, total };
}

/** The article a reader on `channel` may act on: published, and public for the portal. */
function readableArticle(db: Reader, slug: string, channel: 'desk' | 'portal'): ArticleRow {
  const row = findArticle(db, slug);
  if (row.status !== 'published' || (channel === 'portal' && row.audience !== 'public')) throw new DomainError('NOT_FOUND', `There is no article ${slug}.`);
  return row;
}

export function recordArticleEvent(db: Db, slug: string, input: { kind: 'view' | 'use'; channel: 'desk' | 'portal'; userId: number | null; requestId?: number | null }): void {
  const row = readableArticle(db, slug, input.channel);
  db.insert(kbArticleEvents).values({ articleId: row.id, kind: input.kind, channel: input.channel, userId: input.userId, requestId: input.requestId ?? null, at: new Date().toISOString() }).run();
}

export function addFeedback(db: Db, slug: string, input: { useful: boolean; note: string; channel: 'desk' | 'portal'; userId: number | null }): void {
  const row = readableArticle(db, slug, input.channel);
  db.insert(kbFeedback).values({ articleId: row.id, useful: input.useful, note: input.note.trim(), channel: input.channel, userId: input.userId, at: new Date().toISOString() }).run();
}

/** What the desk's managers look at: most used, worst rated, searches with no answer, reviews due. */
export function kbInsights(db: Reader, limit: number, today = new Date().toISOString().slice(0, 10)) {
  const topArticles = db.all<{ slug: string; title: string; uses: number; views: number }>(sql`
    SELECT a.slug, a.title,
           sum(e.kind = 'use') AS uses, sum(e.kind = 'view') AS views
    FROM kb_article_events e JOIN kb_articles a ON a.id = e.article_id
    GROUP BY a.id ORDER BY uses DESC, views DESC, a.title LIMIT ${limit}`);
  const poorlyRated = db.all<{ slug: string; title: string; useful: number; notUseful: number; share: number }>(sql`
    SELECT a.slug, a.title, sum(f.useful) AS useful, sum(NOT f.useful) AS notUseful,
           round(1.0 * sum(f.useful) / count(*), 3) AS share
    FROM kb_feedback f JOIN kb_articles a ON a.id = f.article_id
    GROUP BY a.id HAVING sum(NOT f.useful) > 0
    ORDER BY share ASC, notUseful DESC, a.title LIMIT ${limit}`);
  const searchMisses = db.all<{ query: string; count: number; last: string }>(sql`
    SELECT min(query) AS query, count(*) AS count, max(at) AS last
    FROM kb_search_misses GROUP BY folded ORDER BY count DESC, last DESC LIMIT ${limit}`);
  const dueForReview = db.all<{ slug: string; title: string; reviewDate: string; owner: string }>(sql`
    SELECT slug, title, review_date AS reviewDate, owner FROM kb_articles
    WHERE status = 'published' AND review_date IS NOT NULL AND review_date <= ${today}
    ORDER BY review_date, title LIMIT ${limit}`);
  return { topArticles, poorlyRated, searchMisses, dueForReview };
}

