CREATE TABLE `sequences` (
	`series` text NOT NULL,
	`year` integer NOT NULL,
	`value` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`series`, `year`)
);
