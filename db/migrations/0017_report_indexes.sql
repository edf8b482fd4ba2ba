-- Indexes for the reports (server/reports): each report reads one of these ranges and nothing else, so
-- every figure is counted from the records as they are, without a table lookup per row and without
-- totals kept on the side. Hand-written: they are read through SQL the schema files do not describe.
-- Requests by when they started: totals, the time series and the desk's figures (covering).
CREATE INDEX `requests_report_idx` ON `customer_requests` (`started_at`, `status`, `type`, `channel`, `comment_kind`, `problem_code_id`, `resolved_at_first_contact`, `converted_at`, `ended_at`);--> statement-breakpoint
-- Requests by problem code: the hierarchy breakdowns, and every report filtered to a place (covering).
CREATE INDEX `requests_report_code_idx` ON `customer_requests` (`problem_code_id`, `started_at`, `status`, `type`, `channel`, `comment_kind`, `resolved_at_first_contact`, `converted_at`, `ended_at`);--> statement-breakpoint
-- Callers per work order.
CREATE INDEX `requests_report_work_order_idx` ON `customer_requests` (`work_order_id`, `status`);--> statement-breakpoint
-- Work orders opened in a period, and those completed or cancelled in one (with what time to complete needs).
CREATE INDEX `work_orders_report_created_idx` ON `work_orders` (`created_at`, `duplicate_of_id`, `department_id`, `provider_id`, `category_id`, `problem_code_id`);--> statement-breakpoint
CREATE INDEX `work_orders_report_closed_idx` ON `work_orders` (`status`, `closed_at`, `duplicate_of_id`, `department_id`, `provider_id`, `category_id`, `problem_code_id`, `created_at`, `due_at`);--> statement-breakpoint
-- The knowledge base over a period.
CREATE INDEX `kb_events_report_idx` ON `kb_article_events` (`at`, `article_id`, `kind`);--> statement-breakpoint
CREATE INDEX `kb_feedback_report_idx` ON `kb_feedback` (`at`, `article_id`, `useful`);--> statement-breakpoint
CREATE INDEX `kb_search_misses_report_idx` ON `kb_search_misses` (`at`, `folded`, `channel`);--> statement-breakpoint
-- Answers owed, oldest first.
CREATE INDEX `answers_owed_report_idx` ON `answers_owed` (`status`, `created_at`);
