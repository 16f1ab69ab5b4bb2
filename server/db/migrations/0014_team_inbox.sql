CREATE TABLE `notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	`body` text NOT NULL,
	`mentions` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notes_conversation_idx` ON `notes` (`conversation_id`,`id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `agents` ADD `availability` text DEFAULT 'available' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `avatar_sha256` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `avatar_type` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `preferences` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `assignee_id` integer REFERENCES agents(id);--> statement-breakpoint
CREATE INDEX `conversations_assignee_activity_idx` ON `conversations` (`assignee_id`,`last_message_at`,`id`);--> statement-breakpoint
CREATE INDEX `email_outbox_provider_id_idx` ON `email_outbox` (`provider_id`);