// Desktop notifications in Chromium, with two agents and two visitors: the browser's permission granted
// to the inbox's origin, and every `new Notification(...)` recorded by a script that replaces the
// constructor before the page loads (nothing reaches the machine's real notification centre).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, AgentSession, startTestParley, type TestParley } from '../server/testing';
import { launchChromium, signInToInbox } from './browser';

const screenshots = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const GRACE = { email: 'grace@example.com', password: 'grace password', name: 'Grace' };

interface Recorded {
  title: string;
  body: string | undefined;
  tag: string | undefined;
}

/** Runs in the page before its scripts: records notifications instead of showing them. */
function recordNotifications() {
  const Original = window.Notification;
  const shown: { title: string; body?: string; tag?: string; instance: { onclick: (() => void) | null } }[] = [];
  class RecordedNotification {
    onclick: (() => void) | null = null;
    constructor(title: string, options: NotificationOptions = {}) {
      shown.push({ title, body: options.body, tag: options.tag, instance: this });
    }
    close() {}
    static get permission() {
      return Original.permission;
    }
    static requestPermission() {
      return Original.requestPermission();
    }
  }
  Object.assign(window, { Notification: RecordedNotification, shownNotifications: shown });
}

const shownIn = (page: Page): Promise<Recorded[]> =>
  page.evaluate(() =>
    (window as unknown as { shownNotifications: Recorded[] }).shownNotifications.map(({ title, body, tag }) => ({ title, body, tag })),
  );

let parley: TestParley;
let browser: Browser;
beforeAll(async () => {
  [parley, browser] = await Promise.all([startTestParley(), launchChromium()]);
  mkdirSync(screenshots, { recursive: true });
  const ada = await AgentSession.signIn(parley);
  await ada.request('/api/agents', { method: 'POST', body: GRACE });
});
afterAll(async () => {
  await browser?.close();
  await parley?.destroy();
});

async function agentContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  await context.grantPermissions(['notifications'], { origin: parley.url });
  await context.addInitScript(recordNotifications);
  return context;
}

/** A visitor on the demo site, known by name, who has written once. */
async function visitor(name: string, first: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${parley.url}/`);
  await page.evaluate((n) => (window as unknown as { Parley: (c: string, a?: unknown) => void }).Parley('identify', { name: n }), name);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await writes(page, first);
  return page;
}

async function writes(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Type your message' });
  await box.fill(text);
  await box.press('Enter');
  await page.getByRole('log').getByText(text.split('\n')[0]!).waitFor();
}

const row = (page: Page, title: string) => page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(title) });

describe('desktop notifications', () => {
  it('raise one notification, in one tab, for a visitor message in a conversation the agent does not have open', async () => {
    const adaContext = await agentContext();
    const ada = await signInToInbox(await adaContext.newPage(), parley.url, ADMIN);
    const grace = await signInToInbox(await (await agentContext()).newPage(), parley.url, GRACE);

    // Ada turns desktop notifications on; the browser already allows them for this origin.
    await ada.getByRole('button', { name: 'Notifications' }).click();
    const desktop = ada.getByRole('checkbox', { name: 'Desktop notifications' });
    await desktop.click();
    await expect.poll(() => desktop.isChecked()).toBe(true);
    await ada.getByRole('combobox', { name: 'Notify me about' }).waitFor();
    await ada.screenshot({ path: resolve(screenshots, 'notifications.png') });
    const audit = await new AxeBuilder({ page: ada }).include('.notifications').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await ada.setViewportSize({ width: 390, height: 780 });
    await ada.screenshot({ path: resolve(screenshots, 'notifications-phone.png') });
    await ada.setViewportSize({ width: 1400, height: 860 });
    await ada.keyboard.press('Escape');
    await expect.poll(() => ada.evaluate(() => document.activeElement?.textContent)).toBe('Notifications');

    // A second inbox tab of Ada's: the two must not both notify.
    const adaAgain = await adaContext.newPage();
    await adaAgain.goto(`${parley.url}/inbox`);
    await adaAgain.getByRole('button', { name: 'Sign out' }).waitFor();

    const everyTab = async () => [...(await shownIn(ada)), ...(await shownIn(adaAgain))];
    const mia = await visitor('Mia Wong', 'Hi, when will my order ship?');
    await expect.poll(async () => (await everyTab()).length).toBe(1); // a new conversation
    await row(ada, 'Mia Wong').click();
    await ada.getByRole('log').getByText('Hi, when will my order ship?').waitFor();
    await ada.bringToFront();
    await expect.poll(() => ada.evaluate(() => document.visibilityState === 'visible' && document.hasFocus())).toBe(true);

    // A visitor's name arrives just after their first message; from then on it is the title.
    const sam = await visitor('Sam Reed', 'Hello');
    await row(ada, 'Sam Reed').waitFor();
    await writes(sam, 'Do you ship to Norway?\nAnd to Iceland?');
    await expect.poll(async () => (await everyTab()).length).toBe(3);
    expect((await everyTab()).at(-1)).toEqual({ title: 'Sam Reed', body: 'Do you ship to Norway?', tag: expect.stringMatching(/^conversation:\d+$/) });

    // Mia writes in the conversation Ada has open and on screen: nothing. Sam writes again: one more.
    await writes(mia, 'Order #1042');
    await ada.getByRole('log').getByText('Order #1042').waitFor();
    await writes(sam, 'Thanks!');
    await expect.poll(async () => (await everyTab()).map((n) => n.body)).toEqual([
      'Hi, when will my order ship?',
      'Hello',
      'Do you ship to Norway?',
      'Thanks!',
    ]);

    // Grace never turned them on.
    await row(grace, 'Sam Reed').waitFor();
    expect(await shownIn(grace)).toEqual([]);

    // Clicking the notification opens its conversation.
    const leader = (await shownIn(ada)).length > 0 ? ada : adaAgain;
    await leader.evaluate(() =>
      (window as unknown as { shownNotifications: { instance: { onclick: () => void } }[] }).shownNotifications.at(-1)!.instance.onclick(),
    );
    await leader.getByRole('heading', { name: 'Sam Reed', level: 2 }).waitFor();
  }, 90_000);
});
