CREATE TABLE `email_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`message_id` integer,
	`kind` text NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`message_id_header` text NOT NULL,
	`in_reply_to` text,
	`references` text,
	`reply_to` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`transport` text,
	`provider_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_outbox_message_id_header_idx` ON `email_outbox` (`message_id_header`);--> statement-breakpoint
CREATE INDEX `email_outbox_due_idx` ON `email_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `email_outbox_conversation_idx` ON `email_outbox` (`conversation_id`);--> statement-breakpoint
-- Rebuilds visitors to make token_hash nullable. openDatabase() runs migrations with foreign keys
-- off and checks them afterwards, as a table rebuild needs.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_visitors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text DEFAULT 'web' NOT NULL,
	`token_hash` text,
	`messenger_psid` text,
	`contact_id` integer,
	`name` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_seen_at` integer NOT NULL,
	`page_url` text,
	`referrer` text,
	`user_agent` text,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_visitors`("id", "kind", "token_hash", "messenger_psid", "contact_id", "name", "created_at", "last_seen_at", "page_url", "referrer", "user_agent") SELECT "id", 'web', "token_hash", NULL, "contact_id", "name", "created_at", "last_seen_at", "page_url", "referrer", "user_agent" FROM `visitors`;--> statement-breakpoint
DROP TABLE `visitors`;--> statement-breakpoint
ALTER TABLE `__new_visitors` RENAME TO `visitors`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `visitors_token_idx` ON `visitors` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `visitors_messenger_psid_idx` ON `visitors` (`messenger_psid`);--> statement-breakpoint
CREATE INDEX `visitors_contact_idx` ON `visitors` (`contact_id`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `last_inbound_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `reply_token` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `email_followup_at` integer;--> statement-breakpoint
UPDATE `conversations` SET `last_inbound_at` = (SELECT max(`created_at`) FROM `messages` WHERE `conversation_id` = `conversations`.`id` AND `author` = 'visitor');--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_reply_token_idx` ON `conversations` (`reply_token`);--> statement-breakpoint
CREATE INDEX `conversations_email_followup_idx` ON `conversations` (`email_followup_at`);--> statement-breakpoint
ALTER TABLE `messages` ADD `external_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `delivery_state` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `delivery_error` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `other_sender` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `attachments` text;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_external_id_idx` ON `messages` (`channel`,`external_id`);