-- Messages get their place in the conversation (seq 1, 2, 3…), and the visitor's watermark counts in
-- it. Edited by hand after drizzle-kit: SQLite cannot add a NOT NULL column without a default, so
-- messages is rebuilt (ids, and the AUTOINCREMENT counter, kept) with seq numbered in id order, which
-- is the order one writer committed them in; the conversations then learn their last seq, and the
-- seen id becomes the seq of the newest message at or below it, before the id column goes. The
-- (conversation_id, seq) index takes the place of the one on (conversation_id, id).
-- openDatabase turns foreign keys off while migrations run and checks them afterwards.
ALTER TABLE `conversations` ADD `visitor_seen_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `last_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TABLE `__new_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`author` text NOT NULL,
	`agent_id` integer,
	`channel` text DEFAULT 'chat' NOT NULL,
	`body` text NOT NULL,
	`client_id` text,
	`external_id` text,
	`delivery_state` text,
	`delivery_error` text,
	`other_sender` text,
	`attachments` text,
	`automatic` integer DEFAULT false NOT NULL,
	`edited_at` integer,
	`reactions` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_messages`("id", "conversation_id", "seq", "author", "agent_id", "channel", "body", "client_id", "external_id", "delivery_state", "delivery_error", "other_sender", "attachments", "automatic", "edited_at", "reactions", "created_at")
  SELECT "id", "conversation_id", row_number() OVER (PARTITION BY "conversation_id" ORDER BY "id"), "author", "agent_id", "channel", "body", "client_id", "external_id", "delivery_state", "delivery_error", "other_sender", "attachments", "automatic", "edited_at", "reactions", "created_at"
  FROM `messages` ORDER BY "id";--> statement-breakpoint
-- The next id stays where it was (a deleted newest message must not have its id handed out again).
UPDATE `sqlite_sequence` SET `seq` = max(`seq`, coalesce((SELECT `seq` FROM `sqlite_sequence` WHERE `name` = 'messages'), 0)) WHERE `name` = '__new_messages';--> statement-breakpoint
DROP TABLE `messages`;--> statement-breakpoint
ALTER TABLE `__new_messages` RENAME TO `messages`;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_client_id_idx` ON `messages` (`conversation_id`,`client_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_external_id_idx` ON `messages` (`channel`,`external_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_conversation_seq_idx` ON `messages` (`conversation_id`,`seq`);--> statement-breakpoint
UPDATE `conversations` SET
  `last_seq` = coalesce((SELECT max(`seq`) FROM `messages` WHERE `conversation_id` = `conversations`.`id`), 0),
  `visitor_seen_seq` = coalesce((SELECT max(`seq`) FROM `messages` WHERE `conversation_id` = `conversations`.`id` AND `id` <= `conversations`.`visitor_seen_message_id`), 0);--> statement-breakpoint
ALTER TABLE `conversations` DROP COLUMN `visitor_seen_message_id`;
