-- The message search index moves to its own SQLite file (<db>-search.db), written by a worker
-- thread (server/search/indexer.ts): FTS5's segment merges took up to 70 ms on the main thread,
-- the largest cause of chat latency spikes. The new index is rebuilt from messages on first start.
DROP TABLE IF EXISTS `messages_fts`;
--> statement-breakpoint
DROP TABLE IF EXISTS `search_index_state`;
