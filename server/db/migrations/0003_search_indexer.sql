-- Message search is indexed in batches by server/search/indexer.ts instead of a per-row trigger:
-- tokenizing inside every chat message's transaction cost a quarter of peak throughput.
DROP TRIGGER IF EXISTS `messages_fts_insert`;
--> statement-breakpoint
CREATE TABLE `search_index_state` (
  `id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1),
  `last_message_id` integer NOT NULL
);
--> statement-breakpoint
-- Migration 0002 built the index and its trigger kept it current until now.
INSERT INTO `search_index_state` (`id`, `last_message_id`) SELECT 1, coalesce(max(`id`), 0) FROM `messages`;
