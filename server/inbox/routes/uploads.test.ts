// An agent's files: uploaded for a reply, sent with it on chat (the visitor sees and fetches it) and
// by email (an attachment of the email itself), held to the same type rules as the widget's.
import { afterEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER, WIDGET_ATTACHMENTS_PATH } from '../../../shared/limits';
import type { ApiError, ChatMessage, ConversationDetail, UploadedFile } from '../../../shared/protocol';
import { defaultEmailConfig } from '../../config';
import { AgentSession, connectVisitor, startTestParley, waitUntil, type TestParley } from '../../testing';
import { FakeGraph } from '../../testing/fakeGraph';
import { FakeResend } from '../../testing/fakeResend';
import { personWrites, postWebhook, testMessengerConfig, webhookPayload } from '../../testing/messengerEvents';

let parley: TestParley;
let fake: FakeResend | FakeGraph | undefined;
afterEach(async () => {
  await parley.destroy();
  await fake?.close();
  fake = undefined;
});

const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');

function upload(agent: AgentSession, bytes: Uint8Array, name: string, type: string) {
  return fetch(`${parley.url}/api/uploads?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { cookie: agent.cookie, origin: parley.url, [CSRF_HEADER]: agent.csrfToken, 'content-type': type },
    body: bytes,
  });
}

describe('agent uploads', () => {
  it('go with a chat reply: the visitor sees the file and may fetch it with their token', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    const { client: visitor } = await connectVisitor(parley);
    visitor.send({ type: 'send', clientId: 'visitor-first-1', body: 'Can I have the invoice?' });
    const { token } = await visitor.next('identity');
    const { message: first } = await visitor.next('ack');

    const res = await upload(agent, PDF, 'invoice.pdf', 'application/pdf');
    expect(res.status).toBe(201);
    const uploaded = (await res.json()) as UploadedFile;
    const reply = await agent.request(`/api/conversations/${first.conversationId}/messages`, {
      method: 'POST',
      body: { body: '', attachmentIds: [uploaded.id], clientId: 'agent-reply-file-1' },
    });
    expect(reply.status).toBe(201);

    const { message } = await visitor.next('message');
    expect(message.attachments).toEqual([
      { type: 'file', name: 'invoice.pdf', mimeType: 'application/pdf', size: PDF.byteLength, url: `/api/attachments/${uploaded.id}` },
    ]);
    const file = await fetch(`${parley.url}${WIDGET_ATTACHMENTS_PATH}${uploaded.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.pdf"/);

    // A retry after a lost answer is the same reply; the file cannot go out with another.
    const again = await agent.request(`/api/conversations/${first.conversationId}/messages`, {
      method: 'POST',
      body: { body: '', attachmentIds: [uploaded.id], clientId: 'agent-reply-file-1' },
    });
    expect(((await again.json()) as { message: ChatMessage }).message.id).toBe(message.id);
    const other = await agent.request(`/api/conversations/${first.conversationId}/messages`, {
      method: 'POST',
      body: { body: 'once more', attachmentIds: [uploaded.id] },
    });
    expect(other.status).toBe(409);
  });

  it('are held to the type allowlist and the bytes', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    const renamed = await upload(agent, Uint8Array.from([0x4d, 0x5a, 0x90, 0]), 'report.pdf', 'application/pdf');
    expect(renamed.status).toBe(415);
    expect(((await renamed.json()) as ApiError).error).toBe('That file is not really a .pdf file');
  });

  it('go out by email as attachments of the email', async () => {
    const resend = (fake = await FakeResend.start());
    parley = await startTestParley({
      email: { ...defaultEmailConfig, pollMs: 20, retryBaseMs: 20, resendApiKey: 're_test', resendBaseUrl: resend.url },
    });
    const agent = await AgentSession.signIn(parley);
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'visitor-first-2', body: 'Send me the manual' });
    const { message: first } = await client.next('ack');
    client.send({ type: 'identify', email: 'vera@example.com' });
    const conversation = (id: number) => agent.request(`/api/conversations/${id}`).then((r) => r.json() as Promise<ConversationDetail>);
    await waitUntil(() => conversation(first.conversationId), (d) => d.conversation.email === 'vera@example.com');
    client.close();
    await client.closed;

    const uploaded = (await (await upload(agent, PDF, 'manual.pdf', 'application/pdf')).json()) as UploadedFile;
    const reply = await agent.request(`/api/conversations/${first.conversationId}/messages`, {
      method: 'POST',
      body: { body: 'Here it is.', channel: 'email', attachmentIds: [uploaded.id] },
    });
    expect(reply.status).toBe(201);
    const [email] = await resend.waitForSent(1);
    expect(email!.attachments).toHaveLength(1);
    expect(email!.attachments![0]!.filename).toBe('manual.pdf');
    expect(Buffer.from(email!.attachments![0]!.content, 'base64')).toEqual(Buffer.from(PDF));
  });

  it('go out on Messenger with the Send API’s attachment upload, after the text', async () => {
    const graph = (fake = await FakeGraph.start());
    parley = await startTestParley({ messenger: testMessengerConfig(graph.url) });
    const agent = await AgentSession.signIn(parley);
    const feed = await agent.openSocket();
    await postWebhook(parley.url, webhookPayload([personWrites('9001', 'm_first', 'Do you have a photo of it?')]));
    const { conversationId } = (await feed.next('message')).message;

    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7]);
    const uploaded = (await (await upload(agent, png, 'chair.png', 'image/png')).json()) as UploadedFile;
    const reply = await agent.request(`/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      body: { body: 'Here:', channel: 'messenger', attachmentIds: [uploaded.id] },
    });
    expect(reply.status).toBe(201);
    expect((await graph.nextSend()).body.message).toEqual({ text: 'Here:' });
    const fileSend = await graph.nextSend();
    expect(fileSend.body).toMatchObject({
      recipient: { id: '9001' },
      messaging_type: 'RESPONSE',
      message: { attachment: { type: 'image', payload: { is_reusable: false } } },
    });
    expect(fileSend.file).toEqual({ name: 'chair.png', type: 'image/png', bytes: png });
    const sent = await feed.next('messageUpdated', (f) => f.message.deliveryState === 'sent');
    expect(sent.message.attachments?.[0]?.name).toBe('chair.png');
  });
});
