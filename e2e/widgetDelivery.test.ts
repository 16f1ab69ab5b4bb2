// What a customer's site downloads from Parley, counted in a real browser on another origin: a page
// view that never opens the chat gets the launcher alone (no socket, no cookie); opening it, or a hover
// or focus on the way there, fetches the panel; a returning visitor's page fetches both at once. Also
// a site with a nonce-based CSP, and the launcher under axe with the default and a light colour.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTAL_BUDGET_BROTLI_BYTES } from '../scripts/widgetBudget';
import { embedSnippet } from '../shared/embedSnippet';
import { AgentSession, startTestParley, type TestParley } from '../server/testing';
import { launchChromium } from './browser';

const screenshots = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const NONCE = 'r4nd0mN0nce';

let parley: TestParley;
let browser: Browser;
let site: Server;
let siteUrl: string;

/** The snippet as a site owner pastes it, with data-* and a nonce added to its tags where asked. */
function page(options: { color?: string; nonce?: boolean }): string {
  let snippet = embedSnippet(parley.url);
  if (options.nonce) snippet = snippet.replaceAll('<script', `<script nonce="${NONCE}"`);
  if (options.color) snippet = snippet.replace('<script async', `<script data-color="${options.color}" async`);
  return `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Another shop</title></head><body><main><h1>Another shop</h1><p>Beans.</p></main>\n${snippet}</body></html>`;
}

beforeAll(async () => {
  [parley, browser] = await Promise.all([startTestParley(), launchChromium()]);
  site = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    res.setHeader('content-type', 'text/html');
    // The strictest common policy: scripts only by nonce, and what they load in turn.
    if (url.pathname === '/csp') res.setHeader('content-security-policy', `script-src 'nonce-${NONCE}'`);
    if (url.pathname === '/csp-strict-dynamic') res.setHeader('content-security-policy', `script-src 'nonce-${NONCE}' 'strict-dynamic'`);
    res.end(page({ color: url.searchParams.get('color') ?? undefined, nonce: url.pathname.startsWith('/csp') }));
  });
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (site ? site.close(() => done()) : done()));
  await parley?.destroy();
});

interface Fetched {
  path: string;
  encoding: string | undefined;
  /** Response headers and body as they crossed the wire (the body compressed). */
  bytes: number;
}

/** Every request the page makes to Parley's origin, with its wire size once finished. */
function watchParley(visitor: Page): { fetched: Fetched[]; sockets: string[]; settled: () => Promise<void> } {
  const fetched: Fetched[] = [];
  const sockets: string[] = [];
  const pending: Promise<void>[] = [];
  visitor.on('websocket', (socket) => sockets.push(socket.url()));
  visitor.on('request', (request: Request) => {
    if (!request.url().startsWith(parley.url)) return;
    pending.push(
      (async () => {
        const response = await request.response();
        await response?.finished();
        const sizes = await request.sizes();
        fetched.push({
          path: new URL(request.url()).pathname,
          encoding: await response?.headerValue('content-encoding') ?? undefined,
          bytes: sizes.responseHeadersSize + sizes.responseBodySize,
        });
      })(),
    );
  });
  return { fetched, sockets, settled: async () => void (await Promise.all(pending)) };
}

const launcher = (visitor: Page) => visitor.getByRole('button', { name: /^(Open|Hide) chat/ });

describe('what a page view downloads', () => {
  it('gets the launcher alone, brotli, under 6 KB with headers: no panel, no socket, no cookie', async () => {
    const context = await browser.newContext();
    const visitor = await context.newPage();
    const watch = watchParley(visitor);
    await visitor.goto(`${siteUrl}/`);
    await launcher(visitor).waitFor();
    // Long enough for anything the launcher would fetch after load to have started.
    await visitor.waitForTimeout(1000);
    await watch.settled();
    expect(watch.fetched.map((f) => f.path)).toEqual(['/widget.js']);
    expect(watch.fetched[0]?.encoding).toBe('br');
    expect(watch.fetched[0]?.bytes).toBeLessThan(6 * 1024);
    expect(watch.sockets).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('fetches the panel when the visitor opens the chat, and only then opens a socket', async () => {
    const context = await browser.newContext();
    const visitor = await context.newPage();
    const watch = watchParley(visitor);
    await visitor.goto(`${siteUrl}/`);
    await launcher(visitor).click();
    await visitor.getByRole('textbox', { name: 'Type your message' }).waitFor();
    await watch.settled();
    const paths = watch.fetched.map((f) => f.path);
    expect(paths[0]).toBe('/widget.js');
    expect(paths.slice(1)).toEqual([expect.stringMatching(/^\/widget\/panel-[\w-]+\.js$/)]);
    const total = watch.fetched.reduce((sum, f) => sum + f.bytes, 0);
    expect(total).toBeLessThan(TOTAL_BUDGET_BROTLI_BYTES + 1024); // the brotli budget plus two responses' headers
    // The open panel listens for whether agents are online; still nothing stored, no cookie.
    await expect.poll(() => watch.sockets.length).toBe(1);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('prefetches the panel when the launcher is focused from the keyboard, before any click', async () => {
    const context = await browser.newContext();
    const visitor = await context.newPage();
    const watch = watchParley(visitor);
    await visitor.goto(`${siteUrl}/`);
    await launcher(visitor).waitFor();
    await launcher(visitor).focus();
    await expect.poll(() => watch.fetched.some((f) => f.path.startsWith('/widget/panel-'))).toBe(true);
    expect(watch.sockets).toEqual([]); // fetched and ready, but the chat is not open
    await visitor.keyboard.press('Enter');
    await visitor.getByRole('textbox', { name: 'Type your message' }).waitFor();
    await context.close();
  });

  it("fetches both at once on a returning visitor's page, and shows a reply's count on the launcher", async () => {
    const context = await browser.newContext();
    const visitor = await context.newPage();
    await visitor.goto(`${siteUrl}/`);
    await launcher(visitor).click();
    const box = visitor.getByRole('textbox', { name: 'Type your message' });
    await box.fill('Do you ship to Norway?');
    await box.press('Enter');
    await visitor.getByText(/^Sent/).waitFor();
    await launcher(visitor).click(); // closed: replies now count as unread

    const agent = await AgentSession.signIn(parley);
    const list = (await (await agent.request('/api/conversations')).json()) as { conversations: { id: number; lastMessagePreview: string }[] };
    const conversation = list.conversations.find((c) => c.lastMessagePreview === 'Do you ship to Norway?');
    await agent.request(`/api/conversations/${conversation?.id}/messages`, { method: 'POST', body: { body: 'We do, in 3 days.' } });
    await agent.request(`/api/conversations/${conversation?.id}/messages`, { method: 'POST', body: { body: 'Free over 40 €.' } });

    const returning = await context.newPage();
    const watch = watchParley(returning);
    await returning.goto(`${siteUrl}/`);
    // Nobody touched the launcher: the panel came anyway, with the socket and the unread replies.
    await returning.getByRole('button', { name: 'Open chat, 2 unread replies', exact: true }).waitFor();
    await watch.settled();
    expect(watch.fetched.map((f) => f.path)).toEqual(['/widget.js', expect.stringMatching(/^\/widget\/panel-/)]);
    expect(watch.sockets).toHaveLength(1);
    await returning.screenshot({ path: resolve(screenshots, 'widget-launcher-unread.png'), clip: { x: 1180, y: 620, width: 100, height: 100 } });
    await context.close();
  });
});

describe('sites with a strict Content Security Policy', () => {
  for (const path of ['/csp', '/csp-strict-dynamic']) {
    it(`opens the chat where scripts run only by nonce (${path})`, async () => {
      const context = await browser.newContext();
      const visitor = await context.newPage();
      const refused: string[] = [];
      visitor.on('console', (message) => {
        if (message.text().includes('Content Security Policy')) refused.push(message.text());
      });
      await visitor.goto(`${siteUrl}${path}`);
      await launcher(visitor).click();
      await visitor.getByRole('textbox', { name: 'Type your message' }).waitFor();
      expect(refused).toEqual([]);
      await context.close();
    });
  }
});

describe('the launcher for everyone', () => {
  /** Serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
  async function axeViolations(visitor: Page): Promise<string[]> {
    const { violations } = await new AxeBuilder({ page: visitor }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  }

  it('steps aside on a phone while the panel covers the screen, and comes back with focus when it closes', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true });
    const visitor = await context.newPage();
    await visitor.goto(`${siteUrl}/`);
    await launcher(visitor).click();
    await visitor.getByRole('textbox', { name: 'Type your message' }).waitFor();
    await expect.poll(() => launcher(visitor).isVisible()).toBe(false);
    await visitor.getByRole('button', { name: 'Close chat' }).click();
    await launcher(visitor).waitFor();
    expect(await launcher(visitor).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await context.close();
  });

  for (const color of [null, '#fde047']) {
    it(`meets axe with ${color ?? 'the default colour'}, and its icon reaches 4.5:1; focus comes back to it`, async () => {
      const context = await browser.newContext({ viewport: { width: 900, height: 600 }, reducedMotion: 'reduce' });
      const visitor = await context.newPage();
      await visitor.goto(`${siteUrl}/${color ? `?color=${encodeURIComponent(color)}` : ''}`);
      await launcher(visitor).waitFor();
      expect(await axeViolations(visitor)).toEqual([]);

      // The icon takes the colour the contrast rule picked for text on the site's colour.
      const colours = await visitor.locator('[data-parley] button.launcher').evaluate((el) => {
        const style = getComputedStyle(el);
        return { background: style.backgroundColor, icon: getComputedStyle(el.querySelector('svg') as Element).stroke };
      });
      expect(colours).toEqual(
        color ? { background: 'rgb(253, 224, 71)', icon: 'rgb(17, 24, 39)' } : { background: 'rgb(79, 70, 229)', icon: 'rgb(255, 255, 255)' },
      );

      // Keyboard only: Tab reaches it, Enter opens, the panel's Close chat closes, focus is back on it.
      await visitor.keyboard.press('Tab');
      expect(await launcher(visitor).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      await visitor.keyboard.press('Enter');
      await visitor.getByRole('textbox', { name: 'Type your message' }).waitFor();
      await visitor.getByRole('button', { name: 'Close chat' }).click();
      await visitor.getByRole('button', { name: 'Open chat' }).waitFor();
      expect(await launcher(visitor).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      if (color) await visitor.screenshot({ path: resolve(screenshots, 'widget-launcher-light.png') });
      await context.close();
    });
  }
});
