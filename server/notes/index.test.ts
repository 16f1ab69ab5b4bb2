// A note is answered once every process will show it: killing the process right after the 201 cannot
// leave the other processes' agents (and whoever it mentions) without it.
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteEngine } from '../storage/testing/engines';
import { HeldFanOut } from '../testing';
import { createNotes } from './index';

const engine = sqliteEngine();
afterEach(() => engine.close());

describe('notes', () => {
  it('answers once the note has left the process, and it is on disk before', async () => {
    const storage = await engine.open();
    const fanOut = new HeldFanOut(300, true);
    let answered = false;
    const added = createNotes(storage, fanOut)
      .add(storage.conversationId, { id: storage.agentId }, 'Refund approved @Ada')
      .then((note) => {
        answered = true;
        return note;
      });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);
    expect((await storage.notes.ofConversation(storage.conversationId)).map((n) => n.body)).toEqual(['Refund approved @Ada']);
    fanOut.release();
    expect((await added).mentions).toEqual([storage.agentId]);
  });
});
