// Attachments kept, end to end on a real server: real mail from shipped corpora (server/testing/
// corpus/attachments) posted to both email doors; each file shown on its message with name, size
// and type, downloadable only by signed-in agents with safe headers; caps leave a "not kept" entry.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import PostalMime from 'postal-mime';
import { afterEach, describe, expect, it } from 'vitest';
import type { Attachment, ChatMessage, ConversationDetail } from '../../shared/protocol';
import { INBOUND_SECRET_HEADER } from '../channels/email/webhooks';
import { defaultEmailConfig } from '../config';
import { FakeResend, postResendEvent } from '../testing/fakeResend';
import { AgentSession, startTestParley, type TestParley } from '../testing';
import type { AttachmentLimits } from '.';

const INBOUND_SECRET = 'inbound-secret-for-tests-0123456789';
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const corpus = (name: string) => readFileSync(resolve(import.meta.dirname, '../testing/corpus/attachments', name));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let parley: TestParley | undefined;
let resend: FakeResend | undefined;
afterEach(async () => {
  await parley?.destroy();
  await resend?.close();
  parley = resend = undefined;
});

async function start(attachments?: AttachmentLimits) {
  resend = await FakeResend.start();
  parley = await startTestParley({
    email: {
      ...defaultEmailConfig,
      inboundSecret: INBOUND_SECRET,
      resendApiKey: 're_test',
      resendBaseUrl: resend.url,
      resendWebhookSecret: WEBHOOK_SECRET,
    },
    attachments,
  });
  return { parley, agent: await AgentSession.signIn(parley) };
}

async function mailed(agent: AgentSession, raw: Uint8Array): Promise<ChatMessage> {
  const res = await fetch(`${parley!.url}/webhooks/email/raw`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', [INBOUND_SECRET_HEADER]: INBOUND_SECRET },
    body: raw,
  });
  expect(res.status).toBe(200);
  const { conversationId } = (await res.json()) as { conversationId: number };
  const thread = (await (await agent.request(`/api/conversations/${conversationId}`)).json()) as ConversationDetail;
  return thread.messages.at(-1)!;
}

const download = (agent: AgentSession, a: Attachment) => agent.request(a.url);

describe('email attachments', () => {
  it('keeps an attached image: shown with name, size and type, downloaded as the same bytes', async () => {
    const { agent } = await start();
    const message = await mailed(agent, corpus('gif-attachment.eml'));
    expect(message.body).toContain('This is the dingus fish.');
    expect(message.attachments).toEqual([
      { type: 'image', name: 'dingusfish.gif', mimeType: 'image/gif', size: 3512, url: expect.stringMatching(/^\/api\/attachments\/\d+$/) },
    ]);
    const original = (await PostalMime.parse(corpus('gif-attachment.eml'))).attachments[0]!.content as ArrayBuffer;
    const res = await download(agent, message.attachments![0]!);
    expect(res.status).toBe(200);
    expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256(new Uint8Array(original)));
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="dingusfish.gif"; filename*=UTF-8''dingusfish.gif`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
  });

  it('serves a type outside the allowlist as a download of application/octet-stream', async () => {
    const { agent } = await start();
    const message = await mailed(agent, corpus('riscos-attachment.eml'));
    const [clock] = message.attachments!;
    expect(clock).toMatchObject({ type: 'file', name: 'clock.bmp', mimeType: 'application/riscos', size: 630 });
    const res = await download(agent, clock!);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="clock.bmp"/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('shows inline images (multipart/related, Content-ID) as attachments', async () => {
    const { agent } = await start();
    const promo = await mailed(agent, corpus('inline-related-image.eml'));
    expect(promo.attachments).toEqual([expect.objectContaining({ type: 'image', name: 'nodejs.png', mimeType: 'image/png', size: 20269 })]);
    const wibbles = await mailed(agent, corpus('content-id-images.eml'));
    expect(wibbles.attachments?.map((a) => [a.name, a.size])).toEqual([
      ['wibble.JPG', 272],
      ['wibble2.JPG', 317],
    ]);
  });

  it('shows a forwarded message as an attachment with its subject and readable text', async () => {
    const { agent } = await start();
    const message = await mailed(agent, corpus('groupwise-forward.eml'));
    expect(message.attachments).toEqual([
      expect.objectContaining({
        type: 'message',
        name: 'GroupwiseForwardingTest',
        mimeType: 'message/rfc822',
        text: 'Testing email forwarding with Groupwise 1.2.2010',
      }),
    ]);
    const res = await download(agent, message.attachments![0]!);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="GroupwiseForwardingTest.eml"/);
    expect(await res.text()).toContain('Subject: GroupwiseForwardingTest');
  });

  it('stores the same bytes once, however many emails carry them', async () => {
    const { agent } = await start();
    const raw = corpus('thunderbird-jpeg.eml');
    const first = await mailed(agent, raw);
    const second = await mailed(agent, Buffer.from(raw.toString('latin1').replace('Subject: Multi-part boundary', 'Subject: Again\r\nMessage-ID: <again@example.com>'), 'latin1'));
    expect(second.id).not.toBe(first.id);
    expect(second.attachments![0]!.url).not.toBe(first.attachments![0]!.url);
    const folder = join(parley!.dir, 'attachments');
    const stored = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(stored).toHaveLength(1);
    expect(stored[0]!.name).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps no file over the per-file cap, and says which and why', async () => {
    const { agent } = await start({ maxFileBytes: 3000, maxMessageBytes: 25 * 1024 * 1024 });
    const message = await mailed(agent, corpus('gif-attachment.eml'));
    expect(message.attachments).toEqual([
      { type: 'image', name: 'dingusfish.gif', mimeType: 'image/gif', size: 3512, url: '', notKept: 'larger than 3 KB, the limit per file' },
    ]);
  });

  it('keeps files up to the per-message cap and lists the rest as not kept', async () => {
    const { agent } = await start({ maxFileBytes: 1000, maxMessageBytes: 400 });
    const message = await mailed(agent, corpus('content-id-images.eml'));
    const [first, second] = message.attachments!;
    expect(first!.url).toMatch(/^\/api\/attachments\/\d+$/);
    expect(first!.notKept).toBeUndefined();
    expect(second).toMatchObject({ name: 'wibble2.JPG', url: '', notKept: expect.stringContaining('limit per message') });
  });

  it('fetches the attachments Resend holds for a received email', async () => {
    const { agent } = await start();
    const png = corpus('python.png');
    resend!.received.set('rcv_att', {
      id: 'rcv_att',
      from: 'Vera Lind <vera@example.com>',
      to: ['support@example.test'],
      subject: 'Screenshot',
      text: 'See the attached screenshot.',
      html: null,
      message_id: '<screenshot-1@example.com>',
      headers: {},
    });
    resend!.receivedAttachments.set('rcv_att', [{ id: 'att_1', filename: 'screenshot.png', content_type: 'image/png', bytes: png }]);
    const res = await postResendEvent(parley!.url, WEBHOOK_SECRET, 'rcv_att');
    expect(res.status).toBe(200);
    const { conversationId } = (await res.json()) as { conversationId: number };
    const message = ((await (await agent.request(`/api/conversations/${conversationId}`)).json()) as ConversationDetail).messages.at(-1)!;
    expect(message.attachments).toEqual([expect.objectContaining({ type: 'image', name: 'screenshot.png', mimeType: 'image/png', size: png.length })]);
    const file = await download(agent, message.attachments![0]!);
    expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(sha256(png));
  });
});

describe('downloads', () => {
  it('are for signed-in agents only', async () => {
    const { agent } = await start();
    const message = await mailed(agent, corpus('gif-attachment.eml'));
    const url = `${parley!.url}${message.attachments![0]!.url}`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { cookie: 'parley_session=forged' } })).status).toBe(401);
    expect((await agent.request('/api/attachments/999999')).status).toBe(404);
    expect((await agent.request('/api/attachments/..%2F..%2Fparley.db')).status).toBe(404);
  });
});
