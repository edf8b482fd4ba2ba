CREATE TABLE `api_key_usage` (
	`key_id` integer NOT NULL,
	`minute` text NOT NULL,
	`requests` integer NOT NULL,
	PRIMARY KEY(`key_id`, `minute`),
	FOREIGN KEY (`key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partner` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`rate_per_minute` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_by_id` integer,
	`created_at` text NOT NULL,
	`revoked_at` text,
	`revoked_by_id` integer,
	`last_used_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_partner_idx` ON `api_keys` (`partner`);