// Two agents sharing the work in two browser contexts, with a visitor on the demo site in a third:
// assignment and the "Assigned to" filter live for both, and a private note that reaches the other
// agent but never the visitor's widget nor an email.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationPage, OutboxPage } from '../shared/protocol';
import { ADMIN, AgentSession, startTestParley, waitUntil, type TestParley } from '../server/testing';
import { launchChromium, signInToInbox } from './browser';

const screenshots = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const GRACE = { email: 'grace@example.com', password: 'grace password', name: 'Grace Hopper' };
const SECRET = 'Offer her the loyalty discount';

let parley: TestParley;
let browser: Browser;
let adaApi: AgentSession;
beforeAll(async () => {
  [parley, browser] = await Promise.all([startTestParley(), launchChromium()]);
  mkdirSync(screenshots, { recursive: true });
  adaApi = await AgentSession.signIn(parley);
  await adaApi.request('/api/agents', { method: 'POST', body: GRACE });
});
afterAll(async () => {
  await browser?.close();
  await parley?.destroy();
});

const signIn = async (context: BrowserContext, who: { email: string; password: string }): Promise<Page> =>
  signInToInbox(await context.newPage(), parley.url, who);
const wide = () => browser.newContext({ viewport: { width: 1400, height: 860 } });
const row = (page: Page, title: string) => page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(title) });

/** Serious and critical axe-core findings (WCAG 2.1 A/AA) within what this feature added to the page. */
async function seriousViolations(page: Page, selectors: string[]): Promise<string[]> {
  let axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  for (const selector of selectors) axe = axe.include(selector);
  const { violations } = await axe.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('two agents sharing the work', () => {
  it('assign live, filter by "Assigned to", and keep private notes among agents', async () => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${parley.url}/`);
    await visitor.evaluate(() =>
      (window as unknown as { Parley: (c: string, a?: unknown) => void }).Parley('identify', { name: 'Mia Wong', email: 'mia@example.com' }),
    );
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const box = visitor.getByRole('textbox', { name: 'Type your message' });
    await box.fill('My parcel never arrived');
    await box.press('Enter');
    await visitor.getByRole('log').getByText('My parcel never arrived').waitFor();

    const ada = await signIn(await wide(), ADMIN);
    const grace = await signIn(await wide(), GRACE);

    // Ada looks at the unassigned conversations; Grace at her own (none yet).
    await ada.getByRole('combobox', { name: 'Assigned to' }).selectOption({ label: 'Unassigned' });
    await grace.getByRole('combobox', { name: 'Assigned to' }).selectOption({ label: 'Me' });
    await row(ada, 'Mia Wong').waitFor();
    await expect.poll(() => row(grace, 'Mia Wong').count()).toBe(0);

    // Ada gives it to Grace: it joins Grace's "Me" list and leaves Ada's "Unassigned", live for both.
    await row(ada, 'Mia Wong').click();
    await ada.getByRole('combobox', { name: 'Assignee' }).selectOption({ label: 'Grace Hopper' });
    await row(grace, 'Mia Wong').getByText('Grace Hopper').waitFor();
    await expect.poll(() => row(ada, 'Mia Wong').count()).toBe(0);

    // Ada leaves a private note: Grace sees it live, with its author.
    await ada.getByRole('tab', { name: 'Private note' }).click();
    await ada.getByRole('textbox', { name: 'Private note' }).fill(`@Grace ${SECRET}`);
    await ada.getByRole('button', { name: 'Add note' }).click();
    await ada.getByRole('log').getByText('Note by Ada').waitFor();
    expect(await seriousViolations(ada, ['.note', '.reply-panel', '.assigned-filter', '.assignee', '.row-assignee'])).toEqual([]);
    await row(grace, 'Mia Wong').click();
    const graceLog = grace.getByRole('log');
    await graceLog.getByText(`@Grace ${SECRET}`).waitFor();
    await graceLog.getByText('Note by Ada').waitFor();
    await expect.poll(() => grace.getByRole('combobox', { name: 'Assignee' }).inputValue()).not.toBe('');

    // Grace replies; the visitor gets the reply and never the note.
    await grace.getByRole('tab', { name: 'Reply' }).click();
    await grace.getByRole('textbox', { name: 'Reply' }).fill('Sorry about that, Mia: a new one is on its way.');
    await grace.getByRole('button', { name: 'Send', exact: true }).click();
    await visitor.getByText('Sorry about that, Mia: a new one is on its way.').waitFor();
    await ada.screenshot({ path: resolve(screenshots, 'teamwork.png') });
    await grace.screenshot({ path: resolve(screenshots, 'teamwork-assigned.png') });
    expect(await visitor.content()).not.toContain(SECRET);
    await visitor.reload();
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await visitor.getByText('Sorry about that, Mia: a new one is on its way.').waitFor();
    expect(await visitor.content()).not.toContain(SECRET);

    // Nor does an email: the transcript mailed to the visitor has the chat, not the note.
    const [mia] = ((await (await adaApi.request('/api/conversations?status=all')).json()) as ConversationPage).conversations;
    expect((await adaApi.request(`/api/conversations/${mia!.id}/transcript`, { method: 'POST', body: {} })).status).toBe(201);
    const outbox = await waitUntil(
      async () => (await (await adaApi.request('/api/outbox')).json()) as OutboxPage,
      (page) => page.emails.some((e) => e.kind === 'transcript'),
    );
    expect(JSON.stringify(outbox)).toContain('My parcel never arrived');
    expect(JSON.stringify(outbox)).not.toContain(SECRET);

    // On a phone the header keeps the Assignee select usable beside Complete.
    const phone = await signIn(await browser.newContext({ viewport: { width: 390, height: 844 } }), GRACE);
    await row(phone, 'Mia Wong').click();
    await phone.getByRole('combobox', { name: 'Assignee' }).waitFor();
    await phone.getByRole('tab', { name: 'Private note' }).waitFor();
    await phone.screenshot({ path: resolve(screenshots, 'teamwork-phone.png') });
  }, 60_000); // three browsers and a dozen live round trips: over the default 20 s on a busy 2-core machine
});
