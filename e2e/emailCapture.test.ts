// The widget's email form in a real browser: with nobody in the inbox a visitor is told "We'll reply
// by email" and can leave an address; with an agent online the form waits until a message has gone
// unanswered for PARLEY_EMAIL_PROMPT_DELAY_MS. Either way the address reaches the conversation's contact.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDetail, ConversationPage } from '../shared/protocol';
import { defaultEmailConfig } from '../server/config';
import { AgentSession, startTestParley, type TestParley } from '../server/testing';
import { launchChromium } from './browser';

/** Where the screenshots of the form go, to look at by eye (not part of any assertion). */
const SCREENSHOT_DIR = process.env.PARLEY_SCREENSHOTS ?? '/tmp';

let browser: Browser;
let parley: TestParley;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await parley?.destroy();
});

async function openWidget(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
  await page.goto(`${parley.url}/`);
  await page.getByRole('button', { name: 'Open chat' }).click();
  return page;
}

async function sendFromWidget(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Type your message' }).fill(text);
  await page.getByRole('textbox', { name: 'Type your message' }).press('Enter');
  await page.getByText(/^Sent/).last().waitFor();
}

/** The contact email of the conversation whose last message is `preview`, as an agent sees it. */
async function contactEmailOf(preview: string): Promise<string | null | undefined> {
  const agent = await AgentSession.signIn(parley);
  const list = (await (await agent.request('/api/conversations')).json()) as ConversationPage;
  const conversation = list.conversations.find((c) => c.lastMessagePreview === preview);
  if (!conversation) return undefined;
  const detail = (await (await agent.request(`/api/conversations/${conversation.id}`)).json()) as ConversationDetail;
  return detail.contact.email;
}

describe('email capture in the widget', () => {
  it('offers "We\'ll reply by email" while no agent is online, and links the saved address to the conversation', async () => {
    parley = await startTestParley();
    const page = await openWidget();
    await page.getByText("We'll reply by email").waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/parley-email-form.png` });

    await page.getByRole('textbox', { name: 'Email' }).fill('Grace@Example.com');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText("We'll reply to grace@example.com by email").waitFor();
    expect(await page.getByRole('textbox', { name: 'Email' }).count()).toBe(0);

    // The server keeps the address until the first message creates the visitor, then confirms it.
    await sendFromWidget(page, 'Do you deliver on Sundays?');
    await page.getByText("We'll reply to grace@example.com by email").waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/parley-email-saved.png` });
    expect(await contactEmailOf('Do you deliver on Sundays?')).toBe('grace@example.com');

    // After a reload the widget still knows, and does not ask again.
    await page.reload();
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByText("We'll reply to grace@example.com by email").waitFor();
    expect(await page.getByRole('textbox', { name: 'Email' }).count()).toBe(0);
  });

  it('asks for an email only once a message has waited unanswered, while an agent is online', async () => {
    parley = await startTestParley({ email: { ...defaultEmailConfig, promptDelayMs: 1500 } });
    const inbox = await (await AgentSession.signIn(parley)).openSocket(); // an agent has the inbox open
    const page = await openWidget();
    await sendFromWidget(page, 'Anyone there?');
    expect(await page.getByRole('textbox', { name: 'Email' }).count()).toBe(0);

    await page.getByText('No reply yet? Leave your email').waitFor();
    await page.getByRole('textbox', { name: 'Email' }).fill('lin@example.com');
    await page.getByRole('textbox', { name: 'Email' }).press('Enter');
    await page.getByText("We'll reply to lin@example.com by email").waitFor();
    expect(await contactEmailOf('Anyone there?')).toBe('lin@example.com');
    inbox.close();
  });

  it('shows the server’s reason when it refuses an address the browser let through', async () => {
    parley = await startTestParley();
    const page = await openWidget();
    await sendFromWidget(page, 'Hello?');
    await page.getByRole('textbox', { name: 'Email' }).fill('ada@localhost');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').getByText('Invalid email address').waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/parley-email-refused.png` });
    expect(await contactEmailOf('Hello?')).toBeNull();
  });
});
