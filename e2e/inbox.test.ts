// Two agents working the same inbox in two browser contexts, with a visitor on the demo site:
// read state, complete and reopen, and a saved response with a personalization tag, all live.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, AgentSession, startTestParley, type TestParley } from '../server/testing';
import { launchChromium, signInToInbox } from './browser';

const screenshots = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const GRACE = { email: 'grace@example.com', password: 'grace password', name: 'Grace' };

let parley: TestParley;
let browser: Browser;
beforeAll(async () => {
  [parley, browser] = await Promise.all([startTestParley(), launchChromium()]);
  mkdirSync(screenshots, { recursive: true });
  const ada = await AgentSession.signIn(parley);
  await ada.request('/api/agents', { method: 'POST', body: GRACE });
  await ada.request('/api/saved-responses', {
    method: 'POST',
    body: { title: 'Shipping times', category: 'Orders', body: 'Hi {{contact.first_name | there}}, {{agent.name}} here: orders ship within 2 days.' },
  });
});
afterAll(async () => {
  await browser?.close();
  await parley?.destroy();
});

const signIn = async (context: BrowserContext, who: { email: string; password: string }): Promise<Page> =>
  signInToInbox(await context.newPage(), parley.url, who);

async function visitorWrites(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Type your message' });
  await box.fill(text);
  await box.press('Enter');
  await page.getByRole('log').getByText(text).waitFor();
}

const row = (page: Page, title: string) => page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(title) });

describe('two agents, one inbox', () => {
  it('shares read and complete state live, and fills a saved response for the visitor', async () => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${parley.url}/`);
    await visitor.evaluate(() =>
      (window as unknown as { Parley: (c: string, a?: unknown) => void }).Parley('identify', { name: 'Mia Wong', email: 'mia@example.com' }),
    );
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await visitorWrites(visitor, 'Hi, when will my order ship?');

    const ada = await signIn(await browser.newContext({ viewport: { width: 1400, height: 860 } }), ADMIN);
    const grace = await signIn(await browser.newContext({ viewport: { width: 1400, height: 860 } }), GRACE);

    // Unread for both, with a count on the row, the number in the top bar and the tab title.
    for (const page of [ada, grace]) {
      await row(page, 'Mia Wong').getByRole('img', { name: '1 unread' }).waitFor();
      await page.getByRole('banner').getByText('1 unread conversation', { exact: true }).waitFor();
      await expect.poll(() => page.title()).toBe('(1) Parley Inbox');
    }

    // Ada opens it: Grace sees it turn read.
    await row(ada, 'Mia Wong').click();
    await ada.getByRole('log').getByText('Hi, when will my order ship?').waitFor();
    await expect.poll(() => row(grace, 'Mia Wong').getByRole('img', { name: '1 unread' }).count()).toBe(0);
    await expect.poll(() => grace.title()).toBe('Parley Inbox');

    // Ada completes it: it leaves Grace's Open list. The visitor writes again: Open for both.
    await ada.getByRole('button', { name: 'Complete', exact: true }).click();
    await expect.poll(() => row(grace, 'Mia Wong').count()).toBe(0);
    await visitorWrites(visitor, 'One more question, actually');
    await row(grace, 'Mia Wong').waitFor();
    await ada.getByRole('button', { name: 'Complete', exact: true }).waitFor(); // not "Reopen" any more

    // Grace answers with a saved response; the tags are filled in for the visitor.
    await row(grace, 'Mia Wong').click();
    await grace.getByRole('button', { name: 'Saved responses' }).click();
    await grace.getByRole('dialog', { name: 'Saved responses' }).getByText('Shipping times').click();
    await expectValue(grace.getByRole('textbox', { name: 'Reply' })).toHaveValue(/\{\{contact\.first_name \| there\}\}/);
    await ada.locator('.collision-notice').getByText('Grace is').first().waitFor();
    await grace.getByRole('button', { name: 'Send', exact: true }).click();
    await visitor.getByText('Hi Mia, Grace here: orders ship within 2 days.').waitFor();

    await ada.screenshot({ path: resolve(screenshots, 'inbox.png') });
  });
});

// Playwright's web-first assertion for input values, kept local to avoid a test-runner dependency.
function expectValue(locator: ReturnType<Page['getByRole']>) {
  return {
    async toHaveValue(pattern: RegExp) {
      await expect.poll(() => locator.inputValue()).toMatch(pattern);
    },
  };
}
