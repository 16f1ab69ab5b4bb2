// Each message's place in its conversation (seq): numbered 1, 2, 3… per conversation by the write that
// stores it, the order history, catch-up and the visitor's seen watermark go by.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/protocol';
import { inTransaction, openDatabase, type Database } from '../../db';
import type { ConversationStore, NewMessage } from '../conversations';
import { sqliteConversationStore } from './conversations';

let database: Database;
let store: ConversationStore;
beforeEach(() => {
  database = openDatabase(':memory:');
  store = sqliteConversationStore(database.db);
});
afterEach(async () => {
  await database.close();
});

const newConversation = () => store.createConversation(store.createVisitor().visitor.id).id;
const insert = (message: NewMessage) => inTransaction(database.db, () => store.insertMessage(message));
const say = (conversationId: number, body: string, more: Partial<NewMessage> = {}) =>
  insert({ conversationId, author: 'visitor', body, ...more }).message;
const seqs = (json: string) => (JSON.parse(json) as ChatMessage[]).map((m) => [m.seq, m.body]);

describe('message seq', () => {
  it('numbers each conversation 1, 2, 3… on its own, however their ids interleave', () => {
    const a = newConversation();
    const b = newConversation();
    expect([say(a, 'a1'), say(b, 'b1'), say(a, 'a2'), say(b, 'b2'), say(a, 'a3')].map((m) => m.seq)).toEqual([1, 1, 2, 2, 3]);
    expect(seqs(store.historyJson(a))).toEqual([[1, 'a1'], [2, 'a2'], [3, 'a3']]);
    expect(store.conversationById(a)?.lastSeq).toBe(3);
    expect(store.messageById(say(b, 'b3').id)?.seq).toBe(3);
  });

  it('gives a resent message or a redelivered email no seq of its own', () => {
    const id = newConversation();
    const first = say(id, 'hello', { clientId: 'resent-client-id' });
    const again = insert({ conversationId: id, author: 'visitor', body: 'hello', clientId: 'resent-client-id' });
    expect(again).toMatchObject({ duplicate: true, message: { id: first.id, seq: 1 } });
    say(id, 'by mail', { channel: 'email', externalId: '<one@example.org> sam@example.org' });
    const redelivered = insert({ conversationId: id, author: 'visitor', body: 'by mail', channel: 'email', externalId: '<one@example.org> sam@example.org' });
    expect(redelivered).toMatchObject({ duplicate: true, message: { seq: 2 } });
    expect(say(id, 'next').seq).toBe(3);
    expect(store.conversationById(id)?.lastSeq).toBe(3);
  });

  it('sends history after a seq: exactly the later messages, in order, to agents and to the visitor', () => {
    const id = newConversation();
    for (const body of ['one', 'two', 'three']) say(id, body);
    expect(seqs(store.historyJson(id, 1))).toEqual([[2, 'two'], [3, 'three']]);
    expect(seqs(store.visitorHistoryJson(id, 2))).toEqual([[3, 'three']]);
    expect(store.visitorHistoryJson(id, 3)).toBe('[]');
  });

  it("moves the visitor's seen watermark forward only, and never past the last message", () => {
    const id = newConversation();
    say(id, 'one');
    say(id, 'two');
    store.markSeenByVisitor(id, 2);
    store.markSeenByVisitor(id, 1);
    expect(store.conversationById(id)?.visitorSeenSeq).toBe(2);
    store.markSeenByVisitor(id, 1_000_000);
    expect(store.conversationById(id)?.visitorSeenSeq).toBe(2);
  });

  it('translates between ids and seqs for widget panels built before seq', () => {
    const id = newConversation();
    const other = newConversation();
    const one = say(id, 'one');
    const elsewhere = say(other, 'elsewhere');
    const two = say(id, 'two');
    expect(store.seqAtMessageId(id, one.id)).toBe(1);
    expect(store.seqAtMessageId(id, elsewhere.id)).toBe(1);
    expect(store.seqAtMessageId(id, two.id + 10)).toBe(2);
    expect(store.seqAtMessageId(id, 0)).toBe(0);
    expect(store.messageIdAtSeq(id, 2)).toBe(two.id);
    expect(store.messageIdAtSeq(id, 0)).toBe(0);
  });
});
