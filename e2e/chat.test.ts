// The whole path in a real browser: a visitor chats from the demo site, an agent answers in the
// inbox, the visitor sees the reply live, keeps their history on reload, and a fresh browser starts
// a new thread. Also run from a page on a second origin, as real sites embed the widget.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedSnippet } from '../shared/embedSnippet';
import { ADMIN, AgentSession, startTestParley, type TestParley } from '../server/testing';
import { launchChromium } from './browser';

const screenshots = resolve(import.meta.dirname, '..', 'docs', 'screenshots');

let parley: TestParley;
let browser: Browser;
beforeAll(async () => {
  [parley, browser] = await Promise.all([startTestParley(), launchChromium()]);
  mkdirSync(screenshots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await parley?.destroy();
});

const visitorCookie = async (context: BrowserContext) =>
  (await context.cookies()).find((c) => c.name === 'parley_vid');

async function sendFromWidget(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Type your message' }).fill(text);
  await page.getByRole('textbox', { name: 'Type your message' }).press('Enter');
  await page.getByText(text).waitFor();
}

async function signInToInbox(context: BrowserContext): Promise<Page> {
  const inbox = await context.newPage();
  await inbox.goto(`${parley.url}/inbox`);
  await inbox.getByLabel('Email').fill(ADMIN.email);
  await inbox.getByLabel('Password').fill(ADMIN.password);
  await inbox.getByRole('button', { name: 'Sign in' }).click();
  await inbox.getByRole('list', { name: 'Conversations' }).or(inbox.getByText(/^No (open )?conversations/)).first().waitFor();
  return inbox;
}

describe('demo site and inbox', () => {
  it('carries a conversation from the widget to the inbox and back, and remembers it', async () => {
    const visitorContext = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${parley.url}/`);

    // A page view alone creates nothing: no cookie, no socket, no row.
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    expect(await visitorCookie(visitorContext)).toBeUndefined();
    expect(parley.hub.isOnline(1)).toBe(false);

    await sendFromWidget(visitor, 'Hi! Do you roast decaf?');
    await visitor.getByText(/^Sent/).waitFor();
    const cookie = await visitorCookie(visitorContext);
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie?.sameSite).toBe('Lax');
    expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + 360 * 86_400);

    // The agent sees it live, opens it and replies.
    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const inbox = await signInToInbox(agentContext);
    const row = inbox.getByRole('list', { name: 'Conversations' }).getByText('Visitor #1');
    await row.waitFor();
    await row.click();
    const thread = inbox.getByRole('log', { name: 'Messages with Visitor #1' });
    await thread.getByText('Hi! Do you roast decaf?').waitFor();
    await thread.locator('.channel-label', { hasText: 'Web Chat' }).first().waitFor();
    await expect.poll(() => inbox.locator('.presence-dot').count()).toBeGreaterThan(0);
    await inbox.getByRole('textbox', { name: 'Reply' }).fill('We do: a Swiss-water Colombian, roasted every Tuesday.');
    await inbox.getByRole('button', { name: 'Send' }).click();

    await visitor.getByText('We do: a Swiss-water Colombian, roasted every Tuesday.').waitFor();
    // The reply is signed with the agent's name (the header names her too, as available).
    await visitor.getByRole('log').getByText('Ada').waitFor();

    // Live in the inbox too: the visitor writes again without the agent reloading.
    await sendFromWidget(visitor, 'Perfect, thank you!');
    await thread.getByText('Perfect, thank you!').waitFor();
    await visitor.screenshot({ path: resolve(screenshots, 'widget.png') });

    // Reloading the page keeps the whole history, oldest first.
    await visitor.reload();
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const log = visitor.getByRole('log');
    await log.getByText('Perfect, thank you!').waitFor();
    const bubbles = await log.locator('.bubble').allTextContents();
    expect(bubbles.slice(1)).toEqual([
      'Hi! Do you roast decaf?',
      'We do: a Swiss-water Colombian, roasted every Tuesday.',
      'Perfect, thank you!',
    ]);

    // A fresh browser (no cookie) is a new visitor with an empty thread.
    const stranger = await (await browser.newContext()).newPage();
    await stranger.goto(`${parley.url}/`);
    await stranger.getByRole('button', { name: 'Open chat' }).click();
    await stranger.getByRole('textbox', { name: 'Type your message' }).waitFor();
    expect(await stranger.getByRole('log').locator('.bubble').count()).toBe(1); // only the greeting
    await sendFromWidget(stranger, 'New visitor here');
    await inbox.getByRole('list', { name: 'Conversations' }).getByText('Visitor #2').waitFor();
  });

  it('renders hostile text as text in both the widget and the inbox', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><b>bold?</b>';
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${parley.url}/`);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await sendFromWidget(visitor, hostile);
    const inbox = await signInToInbox(await browser.newContext());
    await inbox.getByRole('list', { name: 'Conversations' }).getByText(hostile).first().click();
    await inbox.getByRole('log').getByText(hostile).waitFor();
    expect(await visitor.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await inbox.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});

describe('a site on another origin', () => {
  let site: Server;
  let siteUrl: string;
  beforeAll(async () => {
    // A host page on a different port: cross-origin to Parley, like a real customer site.
    site = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><html><body><h1>Another shop</h1>
${embedSnippet(parley.url)}
<script>Parley('identify', { email: 'grace@example.com', name: 'Grace Hopper' });</script></body></html>`);
    });
    await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((done) => site.close(() => done())));

  it('chats, shows replies with an unread count while closed, and keeps history on reload', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(siteUrl);
    // Calls queued before the script loaded still run.
    await page.evaluate(() => (window as unknown as { Parley: (c: string) => void }).Parley('open'));
    await sendFromWidget(page, 'Hello from another origin');
    await page.getByText(/^Sent/).waitFor();
    expect((await visitorCookie(context))?.domain).toBe('127.0.0.1');

    const agent = await AgentSession.signIn(parley);
    const list = (await (await agent.request('/api/conversations')).json()) as {
      conversations: { id: number; title: string; lastMessagePreview: string }[];
    };
    const conversation = list.conversations.find((c) => c.lastMessagePreview === 'Hello from another origin');
    expect(conversation?.title).toBe('Grace Hopper'); // identify() reached the server

    await page.reload();
    await page.getByRole('button', { name: 'Open chat' }).waitFor();
    await agent.request(`/api/conversations/${conversation?.id}/messages`, {
      method: 'POST',
      body: { body: 'Welcome, Grace!' },
    });
    // The count is part of the launcher's name, so a screen reader hears it on the button itself.
    await page.getByRole('button', { name: 'Open chat, 1 unread reply', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByText('Welcome, Grace!').waitFor();
    await page.getByText('Hello from another origin').waitFor();
    expect(await page.getByRole('button', { name: /unread/ }).count()).toBe(0);
  });
});
