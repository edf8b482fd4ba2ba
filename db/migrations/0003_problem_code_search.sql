-- Hand-written: drizzle-kit does not model FTS5. One row per problem code (rowid = hierarchy_nodes.id):
-- its name, its keywords/synonyms/code, and the names of the department, provider and category above it.
-- Text is folded by server/search/fold.ts before it is stored; unicode61 folds case and accents.
CREATE VIRTUAL TABLE `problem_code_search` USING fts5(
	`code` UNINDEXED,
	`status` UNINDEXED,
	`public` UNINDEXED,
	`name`,
	`terms`,
	`path`,
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
-- Every term in the index, for the typo-tolerant fallback of the search.
CREATE VIRTUAL TABLE `problem_code_search_vocab` USING fts5vocab(`problem_code_search`, `row`);
