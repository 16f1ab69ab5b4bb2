// The widget in Chromium against axe-core (WCAG 2.1 A and AA, inside its shadow root) with the default
// colour, a pale site colour (#fde047) and the dark scheme: closed, open and with the email form; any
// serious or critical violation fails. Also the keyboard: Escape and focus return however the panel
// closes, the phone-width panel as a modal (Tab stays in, the page does not scroll), links in replies
// opening a new tab, and the email form keeping the last message's status in view.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../shared/protocol';
import { ADMIN, AgentSession, startTestParley, type AgentClient, type TestParley } from '../server/testing';
import { launchChromium, signInToInbox } from './browser';

const screenshots = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const DESKTOP = { width: 1200, height: 800 };
const PHONE = { width: 390, height: 844 };
/** Browsers, a server and axe runs on a busy 2-core machine: more than the default 20 s. */
const BROWSER_TEST_MS = 60_000;

let parley: TestParley;
let browser: Browser;
let agent: AgentSession;
/** A customer's site on its own origin, tall enough to scroll; `?color=` becomes the script tag's data-color. */
let site: Server;
let siteUrl: string;
beforeAll(async () => {
  [parley, browser] = await Promise.all([startTestParley(), launchChromium()]);
  agent = await AgentSession.signIn(parley);
  mkdirSync(screenshots, { recursive: true });
  site = createServer((req, res) => {
    const color = new URL(req.url ?? '/', 'http://site').searchParams.get('color');
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>Shop</title></head>
<body style="margin:0;font:18px Georgia,serif">
<main><h1>Lumen Coffee</h1>${'<p>Small-batch beans, roasted on Tuesdays.</p>'.repeat(60)}</main>
<script>window.Parley = window.Parley || function () { (Parley.q = Parley.q || []).push(arguments); };</script>
<script async src="${parley.url}/widget.js"${color ? ` data-color="${color}"` : ''}></script>
</body></html>`);
  });
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise<void>((done) => site?.close(() => done()));
  await browser?.close();
  await parley?.destroy();
});

async function visitorPage(options: { color?: string; viewport?: typeof DESKTOP; colorScheme?: BrowserContextOptions['colorScheme'] } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  await page.goto(options.color ? `${siteUrl}?color=${encodeURIComponent(options.color)}` : siteUrl);
  await page.getByRole('button', { name: 'Open chat' }).waitFor();
  return page;
}

/** Serious and critical WCAG 2.1 A/AA violations inside the widget (axe walks its open shadow root), as "rule: target". */
async function widgetViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .include('[data-parley]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`));
}

/** The aria-label or text of the element focused inside the widget, or "<body>" when focus fell out. */
const focusedInWidget = (page: Page) =>
  page.evaluate(() => {
    const host = document.querySelector('[data-parley]');
    if (document.activeElement !== host) return document.activeElement === document.body ? '<body>' : `page ${document.activeElement?.tagName}`;
    const inner = host?.shadowRoot?.activeElement;
    return inner?.getAttribute('aria-label') ?? inner?.textContent ?? 'nothing';
  });

const panel = (page: Page) => page.getByRole('dialog', { name: 'Chat with us' });

async function openPanel(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('textbox', { name: 'Type your message' }).waitFor();
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Type your message' }).fill(text);
  await page.getByRole('textbox', { name: 'Type your message' }).press('Enter');
  await page.getByRole('log').getByText(text).waitFor();
}

/** The newest conversation (the test's own visitor just wrote in it). */
async function newestConversation(): Promise<ConversationSummary> {
  const res = await agent.request('/api/conversations');
  const { conversations } = (await res.json()) as { conversations: ConversationSummary[] };
  return conversations[0]!;
}

async function reply(body: string): Promise<void> {
  const res = await agent.request(`/api/conversations/${(await newestConversation()).id}/messages`, { method: 'POST', body: { body } });
  expect(res.status).toBe(201);
}

/** Keeps an agent online (an open agent socket) for the duration of `run`. */
async function withAgentOnline<T>(run: () => Promise<T>): Promise<T> {
  const socket: AgentClient = await agent.openSocket();
  try {
    return await run();
  } finally {
    socket.close();
    await socket.closed;
  }
}

describe('widget accessibility (axe-core inside the shadow root)', () => {
  for (const color of [undefined, '#fde047']) {
    const named = color ?? 'the default colour';
    it(`has no serious or critical violations with ${named}: closed, open, and with the email form`, async () => {
      const page = await visitorPage({ color });
      expect(await widgetViolations(page), 'closed').toEqual([]);

      // Nobody online: the panel asks for an email straight away.
      await openPanel(page);
      await page.getByRole('textbox', { name: 'Email' }).waitFor();
      expect(await widgetViolations(page), 'email form').toEqual([]);
      await send(page, 'Do you ship to Norway?');
      await page.getByText(/^Sent/).waitFor();
      if (color) await panel(page).screenshot({ path: resolve(screenshots, 'widget-yellow.png'), animations: 'disabled' });

      await withAgentOnline(async () => {
        await page.getByRole('textbox', { name: 'Email' }).waitFor({ state: 'detached' });
        await reply('Yes: see https://lumen.example/shipping for the rates.');
        await page.getByRole('link', { name: 'https://lumen.example/shipping' }).waitFor();
        expect(await widgetViolations(page), 'open, with a reply').toEqual([]);
        // The page has its own banner; the panel's header is not a second one.
        expect(await page.locator('[data-parley]').getByRole('banner').count()).toBe(0);
      });
      await page.context().close();
    }, BROWSER_TEST_MS);
  }

  it('has no serious or critical violations in the dark colour scheme, and shows it', async () => {
    const page = await visitorPage({ colorScheme: 'dark' });
    await openPanel(page);
    await send(page, 'Is the Guji still in stock?');
    await withAgentOnline(async () => {
      await reply('It is! Order at https://lumen.example/guji before Friday.');
      await page.getByRole('link', { name: 'https://lumen.example/guji' }).waitFor();
      const background = await page.locator('[data-parley] .panel').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).toBe('rgb(31, 41, 55)');
      expect(await widgetViolations(page)).toEqual([]);
      await page.screenshot({ path: resolve(screenshots, 'widget-dark.png'), animations: 'disabled' });
    });
    await page.context().close();
  }, BROWSER_TEST_MS);
});

describe('widget keyboard use', () => {
  it('closes on Escape and with its buttons, and focus always returns to the launcher', async () => {
    const page = await visitorPage();
    await page.getByRole('button', { name: 'Open chat' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Type your message' }).waitFor();
    expect(await focusedInWidget(page)).toBe('Type your message');

    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'detached' });
    expect(await focusedInWidget(page)).toBe('Open chat');

    await page.keyboard.press('Enter');
    await panel(page).getByRole('button', { name: 'Close chat' }).click();
    await panel(page).waitFor({ state: 'detached' });
    expect(await focusedInWidget(page)).toBe('Open chat');

    // The page's own Parley('close') while the visitor types: focus does not fall to <body> either.
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Type your message' }).waitFor();
    await page.evaluate(() => (window as unknown as { Parley: (command: string) => void }).Parley('close'));
    await panel(page).waitFor({ state: 'detached' });
    expect(await focusedInWidget(page)).toBe('Open chat');
    await page.context().close();
  }, BROWSER_TEST_MS);

  it('on a phone is a modal over the whole visible screen: Tab stays inside and the page does not scroll', async () => {
    const page = await visitorPage({ viewport: PHONE });
    await openPanel(page);
    const dialog = panel(page);
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    // Measured once its opening animation (a slide of 8 px) is over.
    await dialog.evaluate((el) => Promise.all(el.getAnimations().map((animation) => animation.finished)));
    const box = await dialog.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: PHONE.width });
    expect(box?.height).toBe(await page.evaluate(() => window.visualViewport?.height));

    await page.keyboard.type('Hello');
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press(i % 4 === 3 ? 'Shift+Tab' : 'Tab');
      expect(await focusedInWidget(page), `after ${i + 1} presses`).not.toMatch(/^(<body>|page )/);
    }

    // Wheel and keys over the panel do not move the page behind it.
    await page.mouse.move(200, 40);
    await page.mouse.wheel(0, 800);
    await page.keyboard.press('End');
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await page.screenshot({ path: resolve(screenshots, 'widget-phone.png'), animations: 'disabled' });

    // Closed, the page scrolls again.
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'detached' });
    expect(await focusedInWidget(page)).toBe('Open chat');
    await page.mouse.wheel(0, 800);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await page.context().close();
  }, BROWSER_TEST_MS);
});

describe('the widget thread', () => {
  it('opens a link in an agent reply in a new tab, with no way back to the page', async () => {
    const page = await visitorPage();
    await openPanel(page);
    await send(page, 'Where are your opening hours?');
    await reply(`Here: ${parley.url}/healthz. See you soon!`);
    const link = page.getByRole('link', { name: `${parley.url}/healthz` });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow ugc');
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe(`${parley.url}/healthz`);
    expect(await tab.evaluate(() => window.opener)).toBeNull();
    expect(page.url()).toBe(siteUrl);

    // The agent's inbox shows the visitor's link and its own the same way.
    await send(page, 'Found it, also see mailto:orders@lumen.example');
    const inbox = await signInToInbox(await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage(), parley.url, ADMIN);
    const { title } = await newestConversation();
    await inbox.getByRole('list', { name: 'Conversations' }).getByText(title, { exact: true }).click();
    const thread = inbox.getByRole('log', { name: `Messages with ${title}` });
    const links = thread.getByRole('link');
    await expect.poll(() => links.count()).toBe(2);
    expect(await links.evaluateAll((all) => all.map((a) => [a.getAttribute('href'), a.getAttribute('target')]))).toEqual([
      [`${parley.url}/healthz`, '_blank'],
      ['mailto:orders@lumen.example', '_blank'],
    ]);
    await inbox.screenshot({ path: resolve(screenshots, 'inbox-links.png') });
    await inbox.context().close();
    await page.context().close();
  }, BROWSER_TEST_MS);

  it('keeps the last message’s status in view when the email form appears, and the reply-time line gives way', async () => {
    const page = await visitorPage();
    await withAgentOnline(async () => {
      await openPanel(page);
      await page.getByText('We usually reply within a few minutes').waitFor();
      for (let i = 1; i <= 6; i++) await send(page, `Question ${i}: which grind suits a moka pot?`);
      await expect.poll(() => page.getByText(/^Sent/).count()).toBe(6);
    });
    // The agent left: the form asks for an email below the log, which got shorter.
    await page.getByRole('textbox', { name: 'Email' }).waitFor();
    expect(await page.getByText('We usually reply within a few minutes').count()).toBe(0);
    await page.getByText("We're away right now").waitFor();
    const log = await page.getByRole('log').boundingBox();
    const lastStatus = await page.getByText(/^Sent/).last().boundingBox();
    expect(lastStatus!.y + lastStatus!.height).toBeLessThanOrEqual(log!.y + log!.height);
    await page.context().close();
  }, BROWSER_TEST_MS);
});
