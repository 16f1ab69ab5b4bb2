// Signed identify in a real browser: a site's page calls Parley('identify', {email, name, userHash})
// with the hash its backend computed, and the inbox shows that visitor as the verified contact;
// the same call without the hash leaves the address unverified.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedSnippet } from '../shared/embedSnippet';
import type { ConversationPage } from '../shared/protocol';
import { userHashOf } from '../server/channels/chat/signedIdentity';
import { AgentSession, startTestParley, waitUntil, type TestParley } from '../server/testing';
import { launchChromium } from './browser';

const SECRET = 'the-site-backend-secret-0123456789';

let parley: TestParley;
let browser: Browser;
let site: Server;
let siteUrl: string;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startTestParley({ identitySecret: SECRET }), launchChromium()]);
  // The host page: ?hash=1 signs the address as the site's backend would; without it, no userHash.
  site = createServer((req, res) => {
    const signed = req.url?.includes('hash=1');
    const identity = { email: 'grace@example.com', name: 'Grace Hopper', ...(signed && { userHash: userHashOf(SECRET, 'grace@example.com') }) };
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><html><body><h1>Shop</h1>
${embedSnippet(parley.url)}
<script>Parley('identify', ${JSON.stringify(identity)});</script></body></html>`);
  });
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise<void>((done) => site.close(() => done()));
  await browser?.close();
  await parley?.destroy();
});

async function chatFrom(url: string, text: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('textbox', { name: 'Type your message' }).fill(text);
  await page.getByRole('textbox', { name: 'Type your message' }).press('Enter');
  await page.getByText(/^Sent/).waitFor();
  await context.close();
}

describe('Parley("identify") from a site', () => {
  it('verifies the address the site signed, and only that one', async () => {
    await chatFrom(`${siteUrl}?hash=1`, 'Signed in and asking');
    await chatFrom(siteUrl, 'Not signed, asking');
    const agent = await AgentSession.signIn(parley);
    const page = await waitUntil(
      () => agent.request('/api/conversations').then((r) => r.json() as Promise<ConversationPage>),
      (p) => p.conversations.filter((c) => c.email === 'grace@example.com').length === 2,
    );
    const by = (preview: string) => page.conversations.find((c) => c.lastMessagePreview === preview);
    expect(by('Signed in and asking')).toMatchObject({ title: 'Grace Hopper', emailVerified: true });
    expect(by('Not signed, asking')).toMatchObject({ email: 'grace@example.com', emailVerified: false });
  });
});
