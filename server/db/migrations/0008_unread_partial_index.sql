-- The unread total only needs open conversations with unread messages. Keyed by id and partial, the
-- index changes only when a conversation becomes unread or read, not on every visitor message.
DROP INDEX `conversations_unread_idx`;--> statement-breakpoint
CREATE INDEX `conversations_unread_open_idx` ON `conversations` (`id`) WHERE "conversations"."status" = 'open' and "conversations"."unread_count" > 0;
