-- Hand-written: drizzle-kit does not model FTS5. One row per article (rowid = kb_articles.id), text
-- folded by server/search/fold.ts; title and keywords weigh more than the summary and the body.
CREATE VIRTUAL TABLE `kb_search` USING fts5(
	`status` UNINDEXED,
	`audience` UNINDEXED,
	`language` UNINDEXED,
	`title`,
	`keywords`,
	`summary`,
	`body`,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);
