// "Show original": a signed-in agent can read the whole email a message came from, quotes and all,
// and download the source exactly as it arrived; nobody else can, and other messages have none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationDetail } from '../../../shared/protocol';
import { INBOUND_SECRET_HEADER } from '../../channels/email/webhooks';
import { defaultEmailConfig } from '../../config';
import { AgentSession, connectVisitor, startTestParley, type TestParley } from '../../testing';

const INBOUND_SECRET = 'inbound-secret-for-tests-0123456789';
const outlookReply = readFileSync(join(import.meta.dirname, '../../testing/corpus/mailtext/cp1252-0240.eml'));

describe('an email message\'s original', () => {
  let parley: TestParley;
  let agent: AgentSession;

  beforeEach(async () => {
    parley = await startTestParley({ email: { ...defaultEmailConfig, inboundSecret: INBOUND_SECRET } });
    agent = await AgentSession.signIn(parley);
  });
  afterEach(() => parley.destroy());

  async function receive(raw: Uint8Array): Promise<{ messageId: number; conversationId: number }> {
    const res = await fetch(`${parley.url}/webhooks/email/raw`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', [INBOUND_SECRET_HEADER]: INBOUND_SECRET },
      body: raw,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { messageId: number; conversationId: number };
  }

  it('shows the agent the whole text, quoted history included, while the message shows only the new part', async () => {
    const { messageId, conversationId } = await receive(outlookReply);
    const detail = (await (await agent.request(`/api/conversations/${conversationId}`)).json()) as ConversationDetail;
    const message = detail.messages.find((m) => m.id === messageId)!;
    expect(message.body).toContain('Hardware acceleration for SSL');
    expect(message.body).not.toContain('-----Original Message-----');

    const res = await agent.request(`/api/messages/${messageId}/original`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-parley-raw-source')).toBe('kept');
    const text = await res.text();
    expect(text).toContain('-----Original Message-----');
    expect(text).toContain('Hardware acceleration for SSL');
  });

  it('downloads the source exactly as it arrived, as an attachment', async () => {
    const { messageId } = await receive(outlookReply);
    const res = await agent.request(`/api/messages/${messageId}/original/source`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('message/rfc822');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="email-${messageId}.eml"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(outlookReply)).toBe(true);
  });

  it('is for signed-in agents only', async () => {
    const { messageId } = await receive(outlookReply);
    for (const path of [`/api/messages/${messageId}/original`, `/api/messages/${messageId}/original/source`]) {
      const res = await fetch(`${parley.url}${path}`);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('Original Message');
    }
  });

  it('answers 404 for a chat message, and for a message that does not exist', async () => {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'chat-message-1', body: 'Hello from the widget' });
    await client.next('identity');
    const ack = await client.next('ack');
    client.close();
    for (const id of [ack.message.id, 999_999]) {
      expect((await agent.request(`/api/messages/${id}/original`)).status).toBe(404);
      expect((await agent.request(`/api/messages/${id}/original/source`)).status).toBe(404);
    }
  });
});
