CREATE TABLE `work_order_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`work_order_id` integer NOT NULL,
	`author_id` integer,
	`text` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `work_order_notes_idx` ON `work_order_notes` (`work_order_id`,`id`);--> statement-breakpoint
CREATE TABLE `work_orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`problem_code_id` integer NOT NULL,
	`category_id` integer NOT NULL,
	`provider_id` integer NOT NULL,
	`department_id` integer NOT NULL,
	`classification` text NOT NULL,
	`work_type` text NOT NULL,
	`priority` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`assignee` text DEFAULT '' NOT NULL,
	`tasks` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`address_id` integer,
	`location_text` text DEFAULT '' NOT NULL,
	`latitude` real,
	`longitude` real,
	`match_value` text,
	`temporary_due_at` text,
	`due_at` text NOT NULL,
	`resolution` text DEFAULT '' NOT NULL,
	`duplicate_of_id` integer,
	`created_by_id` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`closed_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`problem_code_id`) REFERENCES `hierarchy_nodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `hierarchy_nodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`provider_id`) REFERENCES `hierarchy_nodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `hierarchy_nodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`address_id`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `work_orders_number_unique` ON `work_orders` (`number`);--> statement-breakpoint
CREATE INDEX `work_orders_queue_idx` ON `work_orders` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `work_orders_provider_idx` ON `work_orders` (`provider_id`,`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `work_orders_department_idx` ON `work_orders` (`department_id`,`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `work_orders_code_idx` ON `work_orders` (`problem_code_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `work_orders_category_idx` ON `work_orders` (`category_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `work_orders_address_idx` ON `work_orders` (`address_id`,`status`);--> statement-breakpoint
CREATE INDEX `work_orders_created_idx` ON `work_orders` (`created_at`);--> statement-breakpoint
CREATE TABLE `answers_owed` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`work_order_id` integer,
	`method` text NOT NULL,
	`to` text NOT NULL,
	`recipient` text DEFAULT '' NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`created_at` text NOT NULL,
	`done_at` text,
	`done_by_id` integer,
	`done_note` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `customer_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`done_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `answers_owed_status_idx` ON `answers_owed` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `answers_owed_request_idx` ON `answers_owed` (`request_id`);--> statement-breakpoint
ALTER TABLE `customer_requests` ADD `work_order_id` integer REFERENCES work_orders(id);--> statement-breakpoint
ALTER TABLE `customer_requests` ADD `promised_at` text;--> statement-breakpoint
ALTER TABLE `customer_requests` ADD `new_work_reason` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_requests` ADD `resolution` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `requests_work_order_idx` ON `customer_requests` (`work_order_id`);