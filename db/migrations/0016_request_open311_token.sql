ALTER TABLE `customer_requests` ADD `open311_token` text;--> statement-breakpoint
CREATE UNIQUE INDEX `customer_requests_open311_token_unique` ON `customer_requests` (`open311_token`);