-- The visitor's watermark counts in messages.seq, not ids (edited by hand after drizzle-kit: the seen
-- id becomes the seq of the newest message at or below it before the id column goes). A thread is
-- read by (conversation_id, seq), which takes the place of the index on (conversation_id, id).
ALTER TABLE "conversations" ADD COLUMN "visitor_seen_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "conversations" SET "visitor_seen_seq" = coalesce((SELECT "seq" FROM "messages" WHERE "messages"."conversation_id" = "conversations"."id" AND "messages"."id" <= "conversations"."visitor_seen_message_id" ORDER BY "messages"."id" DESC LIMIT 1), 0);--> statement-breakpoint
ALTER TABLE "conversations" DROP COLUMN "visitor_seen_message_id";--> statement-breakpoint
DROP INDEX "messages_conversation_idx";
