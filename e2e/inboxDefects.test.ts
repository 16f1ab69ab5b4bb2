// Defects found by hand in Chromium, checked there again: the contact panel following a visitor who
// identifies while their conversation is open, an email kept on a server without a provider never
// called "Sent", and an empty Open list that points at Complete instead of saying hello.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ADMIN, startTestParley, type TestParley } from '../server/testing';
import { launchChromium, signInToInbox } from './browser';

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

const identify = (page: Page, who: { name: string; email: string }) =>
  page.evaluate((w) => (window as unknown as { Parley: (c: string, a?: unknown) => void }).Parley('identify', w), who);

describe('the inbox, by hand', () => {
  it('follows a visitor who identifies, labels kept emails, and points an empty Open list at Complete', async () => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${parley.url}/`);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const box = visitor.getByRole('textbox', { name: 'Type your message' });
    await box.fill('Hi, is anyone there?');
    await box.press('Enter');
    await visitor.getByText(/^Sent/).waitFor();

    const agent = await signInToInbox(await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage(), parley.url, ADMIN);
    await agent.getByRole('list', { name: 'Conversations' }).getByRole('button').first().click();
    const panel = agent.getByRole('complementary', { name: 'Contact details' });
    await panel.getByText('Anonymous visitor').waitFor();

    // The visitor signs in on the site while the agent looks at them: the panel follows, no reload.
    await identify(visitor, { name: 'Mia Wong', email: 'mia@example.com' });
    await panel.getByRole('heading', { name: 'Mia Wong' }).waitFor();
    await panel.getByText('mia@example.com').waitFor();

    // Without an email provider, "Send chat thread" only keeps the email here: the Outbox says so.
    await visitor.close();
    await agent.getByRole('combobox', { name: 'Channel' }).selectOption('email');
    await agent.getByRole('button', { name: 'Send chat thread' }).click();
    await agent.getByRole('button', { name: 'Settings' }).click();
    await agent.getByRole('navigation', { name: 'Settings pages' }).getByRole('link', { name: 'Outbox' }).click();
    const outbox = agent.getByRole('list', { name: 'Outbox' });
    await outbox.getByText('Kept here (not sent)').waitFor();
    await outbox.screenshot({ path: resolve(screenshots, 'outbox-kept.png') });
    await agent.getByRole('button', { name: 'Back to inbox' }).click();

    // Completed, the Open list is empty but not new: it offers Complete.
    await agent.getByRole('button', { name: 'Complete', exact: true }).click();
    await agent.getByText('No open conversations.').waitFor();
    await agent.locator('.list-column').screenshot({ path: resolve(screenshots, 'no-open-conversations.png') });
    await agent.getByRole('button', { name: 'Show completed conversations' }).click();
    await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Mia Wong/ }).waitFor();
  }, 60_000);
});
