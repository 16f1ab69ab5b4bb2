// The conversation service's promise to whoever answers the sender: a message is acknowledged only
// once it is on disk and its news has left this process for good (fanOut.sent), so killing the
// process right after an ack cannot leave agents on other processes without it.
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteEngine } from '../storage/testing/engines';
import { HeldFanOut, waitUntil } from '../testing';
import { createConversations } from './index';

const engine = sqliteEngine();
afterEach(() => engine.close());

describe('the conversation service', () => {
  it("acknowledges a visitor's message once it is stored and its news has left the process, not before", async () => {
    const storage = await engine.open();
    const fanOut = new HeldFanOut(300, true);
    const conversations = createConversations(storage, fanOut);
    let acknowledged = false;
    const stored = conversations.storeChatMessage({ visitorId: storage.visitorId, clientId: 'c1', body: 'Hello?' }).then((result) => {
      acknowledged = true;
      return result;
    });

    const onDisk = await waitUntil(() => storage.conversations.messageById(1), (message) => message !== null, 5_000);
    expect(onDisk?.body).toBe('Hello?');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(acknowledged).toBe(false);

    fanOut.release();
    expect((await stored).message.body).toBe('Hello?');
    await conversations.stop();
  });

  it("answers an agent's change of state (read, complete) once its news has left the process", async () => {
    const storage = await engine.open();
    const fanOut = new HeldFanOut(300, true);
    const conversations = createConversations(storage, fanOut);
    let answered = false;
    const done = conversations.setStatus(storage.conversationId, 'complete').then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);
    fanOut.release();
    await done;
    expect((await storage.conversations.conversationById(storage.conversationId))?.status).toBe('complete');
    await conversations.stop();
  });
});
