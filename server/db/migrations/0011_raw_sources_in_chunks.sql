CREATE TABLE `raw_source_chunks` (
	`source_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`bytes` blob NOT NULL,
	PRIMARY KEY(`source_id`, `seq`),
	FOREIGN KEY (`source_id`) REFERENCES `raw_sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `raw_sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`byte_length` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `inbound_emails` ADD `raw_source_id` integer REFERENCES raw_sources(id);--> statement-breakpoint
ALTER TABLE `inbound_emails` DROP COLUMN `raw_source`;