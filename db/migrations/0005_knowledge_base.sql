CREATE TABLE `kb_article_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`user_id` integer,
	`request_ref` text,
	`at` text NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_events_article_idx` ON `kb_article_events` (`article_id`,`kind`);--> statement-breakpoint
CREATE INDEX `kb_events_request_idx` ON `kb_article_events` (`request_ref`);--> statement-breakpoint
CREATE TABLE `kb_article_nodes` (
	`article_id` integer NOT NULL,
	`node_id` integer NOT NULL,
	PRIMARY KEY(`article_id`, `node_id`),
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`node_id`) REFERENCES `hierarchy_nodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_article_nodes_node_idx` ON `kb_article_nodes` (`node_id`);--> statement-breakpoint
CREATE TABLE `kb_article_versions` (
	`article_id` integer NOT NULL,
	`version` integer NOT NULL,
	`snapshot` text NOT NULL,
	`changed_by` integer,
	`changed_by_label` text NOT NULL,
	`changed_at` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`article_id`, `version`),
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`changed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `kb_articles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`call_script` text DEFAULT '' NOT NULL,
	`phones` text NOT NULL,
	`links` text NOT NULL,
	`keywords` text NOT NULL,
	`language` text NOT NULL,
	`audience` text NOT NULL,
	`status` text NOT NULL,
	`owner` text DEFAULT '' NOT NULL,
	`review_date` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_articles_slug_unique` ON `kb_articles` (`slug`);--> statement-breakpoint
CREATE INDEX `kb_articles_status_idx` ON `kb_articles` (`status`,`review_date`);--> statement-breakpoint
CREATE TABLE `kb_feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`useful` integer NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`channel` text NOT NULL,
	`user_id` integer,
	`at` text NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_feedback_article_idx` ON `kb_feedback` (`article_id`);--> statement-breakpoint
CREATE TABLE `kb_related` (
	`a` integer NOT NULL,
	`b` integer NOT NULL,
	PRIMARY KEY(`a`, `b`),
	FOREIGN KEY (`a`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`b`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_related_b_idx` ON `kb_related` (`b`);--> statement-breakpoint
CREATE TABLE `kb_search_misses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`query` text NOT NULL,
	`folded` text NOT NULL,
	`channel` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `kb_search_misses_folded_idx` ON `kb_search_misses` (`folded`);