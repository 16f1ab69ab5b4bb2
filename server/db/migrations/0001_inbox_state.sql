CREATE TABLE `saved_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`category` text NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `saved_responses_category_idx` ON `saved_responses` (`category`,`title`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `unread_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `conversations_unread_idx` ON `conversations` (`status`,`unread_count`);--> statement-breakpoint
ALTER TABLE `visitors` ADD `page_url` text;--> statement-breakpoint
ALTER TABLE `visitors` ADD `referrer` text;--> statement-breakpoint
ALTER TABLE `visitors` ADD `user_agent` text;--> statement-breakpoint
CREATE INDEX `visitors_contact_idx` ON `visitors` (`contact_id`);