import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './accounts.ts';
import { hierarchyNodes } from './hierarchy.ts';
import { customerRequests } from './intake.ts';

export const kbLanguages = ['en', 'es', 'uk', 'pl', 'ru'] as const;
export const kbAudiences = ['desk', 'public'] as const;
export const kbStatuses = ['draft', 'published', 'archived'] as const;

export interface Phone {
  label: string;
  number: string;
}
export interface Link {
  label: string;
  url: string;
}

/** A knowledge-base article as it is now; earlier states are in kb_article_versions. */
export const kbArticles = sqliteTable(
  'kb_articles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull().unique(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    /** Markdown; rendered without raw HTML. */
    body: text('body').notNull().default(''),
    callScript: text('call_script').notNull().default(''),
    phones: text('phones', { mode: 'json' }).$type<Phone[]>().notNull(),
    links: text('links', { mode: 'json' }).$type<Link[]>().notNull(),
    keywords: text('keywords', { mode: 'json' }).$type<string[]>().notNull(),
    language: text('language', { enum: kbLanguages }).notNull(),
    audience: text('audience', { enum: kbAudiences }).notNull(),
    status: text('status', { enum: kbStatuses }).notNull(),
    owner: text('owner').notNull().default(''),
    reviewDate: text('review_date'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('kb_articles_status_idx').on(t.status, t.reviewDate)],
);

/** Every saved state of an article: who changed it, when, and the whole article then. */
export const kbArticleVersions = sqliteTable(
  'kb_article_versions',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => kbArticles.id),
    version: integer('version').notNull(),
    /** The article's fields as they were (title, body, links, classification, related …). */
    snapshot: text('snapshot', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    changedBy: integer('changed_by').references(() => users.id),
    changedByLabel: text('changed_by_label').notNull(),
    changedAt: text('changed_at').notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.version] })],
);

/** Related articles, one row per pair (lower id first); shown from both sides. */
export const kbRelated = sqliteTable(
  'kb_related',
  {
    a: integer('a')
      .notNull()
      .references(() => kbArticles.id),
    b: integer('b')
      .notNull()
      .references(() => kbArticles.id),
  },
  (t) => [primaryKey({ columns: [t.a, t.b] }), index('kb_related_b_idx').on(t.b)],
);

/** The categories and problem codes an article is filed under. */
export const kbArticleNodes = sqliteTable(
  'kb_article_nodes',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => kbArticles.id),
    nodeId: integer('node_id')
      .notNull()
      .references(() => hierarchyNodes.id),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.nodeId] }), index('kb_article_nodes_node_idx').on(t.nodeId)],
);

/** Views and uses ("this answered the caller"): one row each, counted by SQL, never kept as totals. */
export const kbArticleEvents = sqliteTable(
  'kb_article_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id')
      .notNull()
      .references(() => kbArticles.id),
    kind: text('kind', { enum: ['view', 'use'] }).notNull(),
    channel: text('channel', { enum: ['desk', 'portal'] }).notNull(),
    userId: integer('user_id').references(() => users.id),
    /** The customer request the article answered. */
    requestId: integer('request_id').references(() => customerRequests.id),
    at: text('at').notNull(),
  },
  (t) => [
    index('kb_events_article_idx').on(t.articleId, t.kind),
    index('kb_events_request_idx').on(t.requestId),
    // The reports' (migration 0018).
    index('kb_events_report_article_idx').on(t.articleId, t.kind, t.at),
  ],
);

export const kbFeedback = sqliteTable(
  'kb_feedback',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id')
      .notNull()
      .references(() => kbArticles.id),
    useful: integer('useful', { mode: 'boolean' }).notNull(),
    note: text('note').notNull().default(''),
    channel: text('channel', { enum: ['desk', 'portal'] }).notNull(),
    userId: integer('user_id').references(() => users.id),
    at: text('at').notNull(),
  },
  (t) => [index('kb_feedback_article_idx').on(t.articleId), index('kb_feedback_report_idx').on(t.at, t.articleId, t.useful)],
);

/** Searches that found nothing: the gaps to write next. */
export const kbSearchMisses = sqliteTable(
  'kb_search_misses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The query as typed, trimmed; grouped by its folded form. */
    query: text('query').notNull(),
    folded: text('folded').notNull(),
    channel: text('channel', { enum: ['desk', 'portal'] }).notNull(),
    at: text('at').notNull(),
  },
  // The second: a new miss looks for the same desk's recent ones (search as you type).
  (t) => [
    index('kb_search_misses_folded_idx').on(t.folded),
    index('kb_search_misses_channel_at_idx').on(t.channel, t.at),
    index('kb_search_misses_report_idx').on(t.at, t.folded, t.channel),
  ],
);
