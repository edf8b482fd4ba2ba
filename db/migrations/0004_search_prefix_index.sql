-- Hand-written: the problem-code search index gains prefix indexes for 1- to 3-letter prefixes, so the
-- first keystrokes of a search (which match most codes) are read from a small index, not by scanning
-- every term. The rows are copied over as they are (they hold already-folded text).
CREATE VIRTUAL TABLE `problem_code_search_new` USING fts5(
	`code` UNINDEXED,
	`status` UNINDEXED,
	`public` UNINDEXED,
	`name`,
	`terms`,
	`path`,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);
--> statement-breakpoint
INSERT INTO `problem_code_search_new` (rowid, code, status, public, name, terms, path)
	SELECT rowid, code, status, public, name, terms, path FROM `problem_code_search`;
--> statement-breakpoint
DROP TABLE `problem_code_search_vocab`;
--> statement-breakpoint
DROP TABLE `problem_code_search`;
--> statement-breakpoint
ALTER TABLE `problem_code_search_new` RENAME TO `problem_code_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `problem_code_search_vocab` USING fts5vocab(`problem_code_search`, `row`);
