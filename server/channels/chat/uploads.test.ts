// The widget's uploads and downloads against a real server: files become chat messages, only the
// visitor's own conversation's files come back, and every cap, type rule and rate holds.
import { afterEach, describe, expect, it } from 'vitest';
import { WIDGET_ATTACHMENTS_PATH, WIDGET_UPLOAD_PATH } from '../../../shared/limits';
import type { ApiError, WidgetUploadResult } from '../../../shared/protocol';
import { defaultVisitorLimits, type ParleyConfig } from '../../config';
import { AgentSession, connectVisitor, returningVisitorToken, startTestParley, type TestParley } from '../../testing';

let parley: TestParley;
afterEach(async () => {
  await parley.destroy();
});

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]);
const EXE = Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]);
const CLAIM = 'a-claim-secret-of-enough-length-1234';

async function start(overrides: Partial<ParleyConfig> = {}) {
  parley = await startTestParley(overrides);
}

function upload(
  bytes: Uint8Array,
  options: { name?: string; type?: string; clientId?: string; token?: string; claim?: string; origin?: string } = {},
) {
  const query = new URLSearchParams({ clientId: options.clientId ?? `file-${Math.random().toString(36).slice(2, 12)}`, name: options.name ?? 'photo.png' });
  return fetch(`${parley.url}${WIDGET_UPLOAD_PATH}?${query}`, {
    method: 'POST',
    headers: {
      'content-type': options.type ?? 'image/png',
      origin: options.origin ?? 'https://shop.example',
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...(options.claim && { 'x-parley-claim': options.claim }),
    },
    body: bytes,
  });
}

const download = (url: string, token: string) =>
  fetch(`${parley.url}${url.replace('/api/attachments/', WIDGET_ATTACHMENTS_PATH)}`, {
    headers: { authorization: `Bearer ${token}`, origin: 'https://shop.example' },
  });

const count = (table: string) => (parley.database.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('widget uploads', () => {
  it('turn a first file into the visitor, their message and a token, and the agent sees it live', async () => {
    await start();
    const agent = await AgentSession.signIn(parley);
    const inbox = await agent.openSocket();
    const res = await upload(PNG, { name: 'screen shot.png', claim: CLAIM });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const { message, token } = (await res.json()) as WidgetUploadResult;
    expect(token).toBeTruthy();
    expect(message.attachments).toEqual([
      { type: 'image', name: 'screen shot.png', mimeType: 'image/png', size: PNG.byteLength, url: expect.stringMatching(/^\/api\/attachments\/\d+$/) },
    ]);
    const live = await inbox.next('message');
    expect(live.message.id).toBe(message.id);
    expect(live.conversation.lastMessagePreview).toBe('screen shot.png');

    const file = await download(message.attachments![0]!.url, token!);
    expect(file.status).toBe(200);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toContain('sandbox');
    expect(file.headers.get('content-disposition')).toMatch(/^inline/);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
  });

  it('reach the visitor’s other tabs like a typed message', async () => {
    await start();
    const token = await returningVisitorToken(parley);
    const { client: otherTab } = await connectVisitor(parley, { token });
    const res = await upload(PNG, { token });
    const { message } = (await res.json()) as WidgetUploadResult;
    expect((await otherTab.next('message')).message.id).toBe(message.id);
    // A page loaded later shows it from the history, file and all.
    const { welcome } = await connectVisitor(parley, { token });
    expect(welcome.history.at(-1)?.attachments).toEqual(message.attachments);
  });

  it('store a file resent with the same clientId once (picked offline, sent on reconnect)', async () => {
    await start();
    const token = await returningVisitorToken(parley);
    const first = (await (await upload(PNG, { token, clientId: 'offline-file-1' })).json()) as WidgetUploadResult;
    const again = (await (await upload(PNG, { token, clientId: 'offline-file-1' })).json()) as WidgetUploadResult;
    expect(again.message.id).toBe(first.message.id);
    expect(count('attachments')).toBe(1);
    expect(count('messages')).toBe(2); // the "hi" and the file
  });

  it('claim the same new visitor when the answer with the token was lost', async () => {
    await start();
    const first = (await (await upload(PNG, { claim: CLAIM, clientId: 'lost-answer-1' })).json()) as WidgetUploadResult;
    const retried = (await (await upload(PNG, { claim: CLAIM, clientId: 'lost-answer-1' })).json()) as WidgetUploadResult;
    expect(retried.token).toBe(first.token);
    expect(retried.message.id).toBe(first.message.id);
    expect(count('visitors')).toBe(1);
  });

  it('refuse a file over the per-file cap, in words, and keep nothing', async () => {
    await start({ attachments: { maxFileBytes: 1024, maxMessageBytes: 4096 } });
    const big = new Uint8Array(2048);
    big.set(PNG);
    const res = await upload(big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as ApiError).error).toBe('That file is too big: the limit is 1 KB');
    expect(count('visitors')).toBe(0);
    expect(count('messages')).toBe(0);
  });

  it('refuse a program renamed to .png, and types the site owner did not allow', async () => {
    await start({ uploadTypes: ['image/png'] });
    const renamed = await upload(EXE, { name: 'invoice.png', type: 'image/png' });
    expect(renamed.status).toBe(415);
    expect(((await renamed.json()) as ApiError).error).toBe('That file is not really a .png file');
    const undeclared = await upload(EXE, { name: 'invoice.png', type: 'application/octet-stream' });
    expect(undeclared.status).toBe(415);
    const pdf = await upload(new TextEncoder().encode('%PDF-1.7\n'), { name: 'a.pdf', type: 'application/pdf' });
    expect(pdf.status).toBe(415);
    expect(((await pdf.json()) as ApiError).error).toBe('That type of file is not allowed here');
    const html = await upload(new TextEncoder().encode('<script>alert(1)</script>'), { name: 'a.html', type: 'text/html' });
    expect(html.status).toBe(415);
    expect(count('visitors')).toBe(0);
  });

  it('refuse another visitor’s file, and anyone without a token', async () => {
    await start();
    const owner = await returningVisitorToken(parley);
    const stranger = await returningVisitorToken(parley);
    const { message } = (await (await upload(PNG, { token: owner })).json()) as WidgetUploadResult;
    const url = message.attachments![0]!.url;
    expect((await download(url, stranger)).status).toBe(404);
    expect((await fetch(`${parley.url}${url.replace('/api/attachments/', WIDGET_ATTACHMENTS_PATH)}`)).status).toBe(401);
    expect((await download(url, owner)).status).toBe(200);
  });

  it('refuse sites off the allow-list, like the visitor socket', async () => {
    await start({ allowedOrigins: ['https://shop.example'] });
    expect((await upload(PNG, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await upload(PNG)).status).toBe(200);
  });

  it('answer a preflight for the allowed site', async () => {
    await start();
    const res = await fetch(`${parley.url}${WIDGET_UPLOAD_PATH}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('hold uploads per address to their rate, with Retry-After', async () => {
    await start({ limits: { ...defaultVisitorLimits, uploadsPerIpPerHour: 2 } });
    const token = await returningVisitorToken(parley);
    expect((await upload(PNG, { token })).status).toBe(200);
    expect((await upload(PNG, { token })).status).toBe(200);
    const third = await upload(PNG, { token });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
