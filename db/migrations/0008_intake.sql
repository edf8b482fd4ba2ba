CREATE TABLE `address_aliases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`address_id` integer NOT NULL,
	`alias` text NOT NULL,
	FOREIGN KEY (`address_id`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `address_aliases_unique` ON `address_aliases` (`address_id`,`alias`);--> statement-breakpoint
CREATE TABLE `addresses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text,
	`number` text NOT NULL,
	`street` text NOT NULL,
	`unit` text DEFAULT '' NOT NULL,
	`city` text DEFAULT '' NOT NULL,
	`district` text DEFAULT '' NOT NULL,
	`region` text DEFAULT '' NOT NULL,
	`postcode` text DEFAULT '' NOT NULL,
	`latitude` real NOT NULL,
	`longitude` real NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `addresses_natural_key` ON `addresses` (`number`,`street`,`unit`,`postcode`);--> statement-breakpoint
CREATE INDEX `addresses_source_idx` ON `addresses` (`source_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`organisation` text DEFAULT '' NOT NULL,
	`phones` text NOT NULL,
	`emails` text NOT NULL,
	`postal_address` text DEFAULT '' NOT NULL,
	`address_id` integer,
	`preferred_reply` text,
	`language` text DEFAULT '' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`address_id`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contacts_address_idx` ON `contacts` (`address_id`);--> statement-breakpoint
CREATE TABLE `customer_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`interaction_id` integer NOT NULL,
	`channel` text NOT NULL,
	`clerk_id` integer,
	`source` text DEFAULT '' NOT NULL,
	`type` text,
	`status` text DEFAULT 'open' NOT NULL,
	`contact_id` integer,
	`description` text DEFAULT '' NOT NULL,
	`answer` text DEFAULT '' NOT NULL,
	`resolved_at_first_contact` integer,
	`converted_at` text,
	`problem_code_id` integer,
	`classification` text,
	`answers` text NOT NULL,
	`address_id` integer,
	`location_text` text DEFAULT '' NOT NULL,
	`latitude` real,
	`longitude` real,
	`comment_kind` text,
	`about_node_id` integer,
	`reply_wanted` integer DEFAULT false NOT NULL,
	`reply_method` text,
	`reply_to` text DEFAULT '' NOT NULL,
	`reply_text` text DEFAULT '' NOT NULL,
	`replied_at` text,
	`cancel_reason` text DEFAULT '' NOT NULL,
	`started_at` text NOT NULL,
	`ended_at` text,
	`closed_at` text,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`interaction_id`) REFERENCES `interactions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`clerk_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`problem_code_id`) REFERENCES `hierarchy_nodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`address_id`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`about_node_id`) REFERENCES `hierarchy_nodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_requests_number_unique` ON `customer_requests` (`number`);--> statement-breakpoint
CREATE INDEX `requests_started_idx` ON `customer_requests` (`started_at`);--> statement-breakpoint
CREATE INDEX `requests_status_idx` ON `customer_requests` (`status`,`started_at`);--> statement-breakpoint
CREATE INDEX `requests_type_idx` ON `customer_requests` (`type`,`started_at`);--> statement-breakpoint
CREATE INDEX `requests_channel_idx` ON `customer_requests` (`channel`,`started_at`);--> statement-breakpoint
CREATE INDEX `requests_contact_idx` ON `customer_requests` (`contact_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `requests_address_idx` ON `customer_requests` (`address_id`);--> statement-breakpoint
CREATE INDEX `requests_interaction_idx` ON `customer_requests` (`interaction_id`);--> statement-breakpoint
CREATE INDEX `requests_code_idx` ON `customer_requests` (`problem_code_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` integer NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`scope`, `key`)
);
--> statement-breakpoint
CREATE TABLE `interactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`clerk_id` integer,
	`started_at` text NOT NULL,
	FOREIGN KEY (`clerk_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP INDEX `kb_events_request_idx`;--> statement-breakpoint
ALTER TABLE `kb_article_events` ADD `request_id` integer REFERENCES customer_requests(id);--> statement-breakpoint
CREATE INDEX `kb_events_request_idx` ON `kb_article_events` (`request_id`);--> statement-breakpoint
ALTER TABLE `kb_article_events` DROP COLUMN `request_ref`;