DROP INDEX `answers_owed_status_idx`;--> statement-breakpoint
CREATE INDEX `answers_owed_method_idx` ON `answers_owed` (`status`,`method`);--> statement-breakpoint
CREATE INDEX `answers_owed_status_idx` ON `answers_owed` (`status`);--> statement-breakpoint
CREATE INDEX `work_orders_duplicate_of_idx` ON `work_orders` (`duplicate_of_id`);--> statement-breakpoint
CREATE INDEX `work_orders_open_due_idx` ON `work_orders` (`due_at`,`id`) WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold');--> statement-breakpoint
CREATE INDEX `work_orders_open_department_due_idx` ON `work_orders` (`department_id`,`due_at`) WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold');--> statement-breakpoint
CREATE INDEX `work_orders_open_provider_due_idx` ON `work_orders` (`provider_id`,`due_at`) WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold');