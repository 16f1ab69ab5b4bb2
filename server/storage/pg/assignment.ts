// Who owns a conversation, in PostgreSQL: the `assignee_id` column of `conversations`. Whether the
// agent may own it (active) is the caller's question; this only writes. The same as sqlite/assignment.ts.
import { and, eq, isNull } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/open';
import { conversations } from '../../db/pg/schema';

export async function setAssignee(db: PgDb, conversationId: number, agentId: number | null): Promise<void> {
  await db.update(conversations).set({ assigneeId: agentId }).where(eq(conversations.id, conversationId));
}

/**
 * One conditional UPDATE, so a reply racing an assignment never overwrites the owner someone just
 * chose, whichever process each runs in: the second writer waits for the first one's row lock, then
 * PostgreSQL re-checks `assignee_id is null` on the row as committed, finds an owner and updates nothing.
 */
export async function assignIfUnassigned(db: PgDb, conversationId: number, agentId: number): Promise<boolean> {
  const updated = await db
    .update(conversations)
    .set({ assigneeId: agentId })
    .where(and(eq(conversations.id, conversationId), isNull(conversations.assigneeId)))
    .returning({ id: conversations.id });
  return updated.length > 0;
}
