// Who owns a conversation: the `assignee_id` column of `conversations`. Whether the agent may own it
// (active) is the caller's question; this only writes.
import { and, eq, isNull } from 'drizzle-orm';
import { schema, type Db } from '../../db';

const { conversations } = schema;

export function setAssignee(db: Db, conversationId: number, agentId: number | null): void {
  db.update(conversations).set({ assigneeId: agentId }).where(eq(conversations.id, conversationId)).run();
}

/** One statement, so a reply racing an assignment never overwrites the owner someone just chose. */
export function assignIfUnassigned(db: Db, conversationId: number, agentId: number): boolean {
  const result = db
    .update(conversations)
    .set({ assigneeId: agentId })
    .where(and(eq(conversations.id, conversationId), isNull(conversations.assigneeId)))
    .run();
  return result.changes > 0;
}
