-- Indexes for the reports (server/reports), second round: the figures of a long period are counted as
-- ranges of an index, each range one kind of request, rather than by testing every row of the period
-- once per figure. Requests not cancelled are the ones every figure counts, so the two big indexes hold
-- only those, and cancelled and converted requests have small indexes of their own.
-- Replaced: requests by when they started (every row tested per figure), and requests by problem code
-- with every column (the place index below is what the breakdowns by place read).
DROP INDEX `requests_report_idx`;--> statement-breakpoint
DROP INDEX `requests_report_code_idx`;--> statement-breakpoint
-- Requests by kind (channel, type, comment kind) and when they started: volumes and the desk (covering).
CREATE INDEX `requests_report_kind_idx` ON `customer_requests` (`channel`, `type`, `comment_kind`, `started_at`, `status`, `problem_code_id`, `resolved_at_first_contact`, `ended_at`) WHERE `status` <> 'cancelled';--> statement-breakpoint
-- Requests by problem code and when they started: volumes by place (covering).
CREATE INDEX `requests_report_place_idx` ON `customer_requests` (`problem_code_id`, `started_at`, `channel`, `type`) WHERE `status` <> 'cancelled';--> statement-breakpoint
-- Cancelled requests, and converted ones (information requests the caller then wanted work for). The
-- status leads the cancelled index although it holds one status: SQLite then prefers it to the status
-- index, which does not cover a filter's channel, type or problem code.
CREATE INDEX `requests_report_cancelled_idx` ON `customer_requests` (`status`, `started_at`, `channel`, `type`, `problem_code_id`) WHERE `status` = 'cancelled';--> statement-breakpoint
CREATE INDEX `requests_report_converted_idx` ON `customer_requests` (`started_at`, `channel`, `problem_code_id`) WHERE `converted_at` IS NOT NULL AND `status` <> 'cancelled';
--> statement-breakpoint
-- The knowledge base's most used articles: each article's uses and views in a period, as two ranges
-- (replaces the events by time, which had every event of the period looked up and sorted by article).
DROP INDEX `kb_events_report_idx`;--> statement-breakpoint
CREATE INDEX `kb_events_report_article_idx` ON `kb_article_events` (`article_id`, `kind`, `at`);
--> statement-breakpoint
-- Completed work orders by problem code, and by responsible provider, in the order of their time to
-- complete (the expression exactly as service-levels.ts writes it): the median and 90th percentile are
-- ranks read in index order, with no sort of the period's work (covering).
CREATE INDEX `work_orders_report_code_hours_idx` ON `work_orders` (`problem_code_id`, (julianday(`closed_at`) - julianday(`created_at`)), `closed_at`, `created_at`, `due_at`, `duplicate_of_id`, `department_id`, `provider_id`, `category_id`) WHERE `status` = 'completed';--> statement-breakpoint
CREATE INDEX `work_orders_report_provider_hours_idx` ON `work_orders` (`provider_id`, (julianday(`closed_at`) - julianday(`created_at`)), `closed_at`, `created_at`, `due_at`, `duplicate_of_id`, `department_id`, `category_id`, `problem_code_id`) WHERE `status` = 'completed';
