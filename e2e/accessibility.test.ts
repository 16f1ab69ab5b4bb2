// The inbox against axe-core (WCAG 2.1 A and AA) in Chromium, in light and dark colour schemes: every
// view an agent reaches, from sign-in to each Settings page and the phone layout, with a thread that
// holds every kind of message. Any serious or critical violation fails, named by view, rule and element.
// Also: a keyboard-only walk through the main flow, where the focus must never fall back to <body>.
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../server/testing/fakeGraph';
import { FakeResend, emailThroughFake } from '../server/testing/fakeResend';
import { personWrites, postWebhook, testMessengerConfig, webhookPayload } from '../server/testing/messengerEvents';
import { INBOUND_SECRET_HEADER } from '../server/channels/email/webhooks';
import { ADMIN, AgentSession, startTestParley, type TestParley } from '../server/testing';
import { launchChromium, signInToInbox } from './browser';

const screenshots = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const INBOUND_SECRET = 'a11y-inbound-secret-0123456789';
const PSID = '5550001';
const DESKTOP = { width: 1400, height: 860 };
const PHONE = { width: 390, height: 844 };
const SCHEMES = ['light', 'dark'] as const;

let parley: TestParley;
let blank: TestParley; // no agent yet: shows the first-admin setup
let browser: Browser;
let graph: FakeGraph;
let resend: FakeResend;

/** A multipart email with a text part and a PDF attachment, as a mail server pipes it in. */
const emailWithAttachment = [
  'From: Nora Berg <nora@example.no>',
  'To: support@example.test',
  'Subject: Invoice question',
  'Date: Wed, 25 Nov 2026 09:12:44 -0500',
  'Message-ID: <invoice-1@mail.example.no>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello, the attached invoice lists the wrong address.',
  '--b1',
  'Content-Type: application/pdf; name="invoice-1042.pdf"',
  'Content-Disposition: attachment; filename="invoice-1042.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('%PDF-1.4 test').toString('base64'),
  '--b1--',
  '',
].join('\r\n');

/** An out-of-office answer to our reply: shown as one automatic line in the thread. */
const autoReply = (inReplyTo: string) =>
  [
    'From: Nora Berg <nora@example.no>',
    'To: support@example.test',
    'Subject: Automatic reply: Invoice question',
    'Date: Wed, 25 Nov 2026 10:00:00 -0500',
    'Message-ID: <auto-1@mail.example.no>',
    `In-Reply-To: ${inReplyTo}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'I am out of the office until Monday.',
    '',
  ].join('\r\n');

async function postEmail(raw: string) {
  const res = await fetch(`${parley.url}/webhooks/email/raw`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', [INBOUND_SECRET_HEADER]: INBOUND_SECRET },
    body: raw,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { conversationId: number };
}

async function messengerSends(...events: unknown[]) {
  expect((await postWebhook(parley.url, webhookPayload(events))).status).toBe(200);
}

beforeAll(async () => {
  [graph, resend] = await Promise.all([FakeGraph.start(), FakeResend.start()]);
  graph.profiles.set(PSID, { first_name: 'Sam', last_name: 'Lee' });
  [parley, blank, browser] = await Promise.all([
    startTestParley({
      siteName: 'Acme',
      messenger: testMessengerConfig(graph.url),
      email: emailThroughFake(resend, { inboundSecret: INBOUND_SECRET, webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
    }),
    startTestParley({ admin: null }),
    launchChromium(),
  ]);
  mkdirSync(screenshots, { recursive: true });
  const ada = await AgentSession.signIn(parley);
  await ada.request('/api/agents', { method: 'POST', body: { email: 'grace@example.com', password: 'grace password', name: 'Grace Hopper' } });
  await ada.request('/api/saved-responses', {
    method: 'POST',
    body: { title: 'Shipping times', category: 'Orders', body: 'Hi {{contact.first_name | there}}, orders ship within 2 days.' },
  });

  // An email with an attachment, our reply (delivery state), and the out-of-office it provoked.
  const { conversationId } = await postEmail(emailWithAttachment);
  const reply = await ada.request(`/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    body: { body: 'Thanks Nora, we will send a corrected invoice.', channel: 'email' },
  });
  expect(reply.status).toBe(201);
  const [sent] = await resend.waitForSent(1);
  await postEmail(autoReply(sent?.headers['Message-ID'] ?? ''));

  // A Messenger message, edited, with a reaction.
  await messengerSends(personWrites(PSID, 'm_a11y_1', 'Is the blue kettle back in stock?'));
  await messengerSends({
    sender: { id: PSID },
    recipient: { id: '104857600000001' },
    timestamp: Date.now() + 1000,
    message_edit: { mid: 'm_a11y_1', text: 'Is the blue kettle back in stock? Size L', num_edit: 1 },
  });
  await messengerSends({
    sender: { id: PSID },
    recipient: { id: '104857600000001' },
    timestamp: Date.now() + 2000,
    reaction: { reaction: 'love', emoji: '\u2764\ufe0f', action: 'react', mid: 'm_a11y_1' },
  });
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([parley?.destroy(), blank?.destroy(), graph?.close(), resend?.close()]);
});

/** A visitor on the demo site, known by name, who writes `text`. */
async function visitorWrites(name: string, email: string, text: string): Promise<Page> {
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${parley.url}/`);
  await visitor.evaluate(
    (who) => (window as unknown as { Parley: (c: string, a?: unknown) => void }).Parley('identify', who),
    { name, email },
  );
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  await writesAgain(visitor, text);
  return visitor;
}

async function writesAgain(visitor: Page, text: string) {
  const box = visitor.getByRole('textbox', { name: 'Type your message' });
  await box.fill(text);
  await box.press('Enter');
  await visitor.getByRole('log').getByText(text).waitFor();
}

interface Finding {
  view: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** The serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
async function audit(page: Page, view: string): Promise<Finding[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      view,
      rule: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 3).join(' ') ?? ''}`),
    }));
}

const report = (findings: Finding[]) =>
  findings.map((f) => `[${f.view}] ${f.rule} (${f.impact}): ${f.help}\n    ${f.targets.join('\n    ')}`).join('\n');

const row = (page: Page, title: RegExp) => page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: title });

async function newInbox(scheme: (typeof SCHEMES)[number], viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, colorScheme: scheme, reducedMotion: 'reduce' });
  const page = await signInToInbox(await context.newPage(), parley.url, ADMIN);
  return { context, page };
}

describe('axe-core over every inbox view', () => {
  beforeAll(async () => {
    await visitorWrites('Mia Wong', 'mia@example.com', 'Hi, when will my order ship?');
  });

  for (const scheme of SCHEMES) {
    it(`finds no serious or critical violations (${scheme})`, { timeout: 240_000 }, async () => {
      const findings: Finding[] = [];
      const anonymous = await browser.newContext({ viewport: DESKTOP, colorScheme: scheme });

      const signIn = await anonymous.newPage();
      await signIn.goto(`${parley.url}/inbox`);
      await signIn.getByRole('button', { name: 'Sign in' }).waitFor();
      findings.push(...(await audit(signIn, 'sign-in')));
      if (scheme === 'dark') await signIn.screenshot({ path: resolve(screenshots, 'sign-in-dark.png') });

      const setup = await anonymous.newPage();
      await setup.goto(`${blank.url}/inbox`);
      await setup.getByRole('button', { name: 'Create admin' }).waitFor();
      findings.push(...(await audit(setup, 'setup')));
      await anonymous.close();

      const { context, page } = await newInbox(scheme);
      await row(page, /Mia Wong/).waitFor();
      findings.push(...(await audit(page, 'conversation list')));
      await page.screenshot({ path: resolve(screenshots, `inbox-list-${scheme}.png`) });

      await row(page, /Nora Berg|nora@example\.no/).click();
      const log = page.getByRole('log');
      await log.getByText('Hello, the attached invoice').waitFor();
      await log.getByText(/out of the office|Automatic/).first().waitFor();
      await log.getByRole('button', { name: 'Show original' }).first().click();
      await log.getByRole('region', { name: 'Original email' }).getByText(/wrong address/).waitFor();
      findings.push(...(await audit(page, 'email thread')));
      if (scheme === 'dark') await page.screenshot({ path: resolve(screenshots, 'inbox-email-dark.png') });

      await row(page, /Sam Lee/).click();
      await log.getByText('Size L').waitFor();
      await log.getByText('Edited').first().waitFor();
      findings.push(...(await audit(page, 'Messenger thread')));

      await row(page, /Mia Wong/).click();
      await log.getByText('Hi, when will my order ship?').waitFor();
      findings.push(...(await audit(page, 'chat thread')));
      await page.getByRole('button', { name: 'Saved responses' }).click();
      await page.getByRole('dialog', { name: 'Saved responses' }).getByText('Shipping times').waitFor();
      findings.push(...(await audit(page, 'saved-response picker')));
      await page.screenshot({ path: resolve(screenshots, scheme === 'dark' ? 'inbox-dark.png' : 'inbox-light.png') });
      await page.keyboard.press('Escape');

      await page.getByRole('searchbox', { name: 'Search conversations' }).fill('kettle');
      await page.getByText(/kettle/).first().waitFor();
      findings.push(...(await audit(page, 'search results')));
      await page.getByRole('searchbox', { name: 'Search conversations' }).fill('');

      findings.push(...(await auditSettings(page)));
      await context.close();

      const phone = await newInbox(scheme, PHONE);
      await row(phone.page, /Mia Wong/).waitFor();
      findings.push(...(await audit(phone.page, 'phone: list')));
      await row(phone.page, /Mia Wong/).click();
      await phone.page.getByRole('log').getByText('Hi, when will my order ship?').waitFor();
      findings.push(...(await audit(phone.page, 'phone: thread')));
      await openSettings(phone.page, /Agents/);
      await phone.page.getByRole('table').getByText('(you)').waitFor();
      await phone.page.getByRole('table').scrollIntoViewIfNeeded();
      findings.push(...(await audit(phone.page, 'phone: settings')));
      await phone.page.screenshot({ path: resolve(screenshots, `inbox-phone-agents-${scheme}.png`) });
      await phone.context.close();

      expect(report(findings)).toBe('');
    });
  }
});

/** Settings' own navigation (links, buttons or tabs), if Settings is split into pages. */
const settingsPages = (page: Page) =>
  page.locator('main.settings').locator('nav, [role="navigation"], [role="tablist"]').first().locator('a, button, [role="tab"]');

/** Opens Settings, and the page named `name` when Settings has pages. */
async function openSettings(page: Page, name?: RegExp): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  if (name && (await settingsPages(page).count()) > 0) await settingsPages(page).filter({ hasText: name }).first().click();
}

/**
 * Every Settings page. The pages are read from Settings' own navigation when it has one, so pages
 * added later are audited without touching this test; a Settings without navigation is one page.
 */
async function auditSettings(page: Page): Promise<Finding[]> {
  await openSettings(page);
  const entries = settingsPages(page);
  if ((await entries.count()) === 0) {
    await page.getByRole('heading', { name: 'Saved responses' }).waitFor();
    return audit(page, 'settings');
  }
  const findings: Finding[] = [];
  const names = await entries.allInnerTexts();
  for (const [i, name] of names.entries()) {
    await entries.nth(i).click();
    await page.waitForLoadState('networkidle').catch(() => {});
    findings.push(...(await audit(page, `settings: ${name.trim()}`)));
  }
  return findings;
}

/** What has the focus, in words: its label or text; 'BODY' when the focus was lost. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'BODY';
    return (el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).trim().replace(/\s+/g, ' ');
  });

/** Presses `key` until the focused element's words match `want`, failing if the focus ever lands on <body>. */
async function pressUntil(page: Page, key: string, want: RegExp, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    expect(now, `focus lost to <body> after pressing ${key}`).not.toBe('BODY');
    if (want.test(now)) return;
  }
  throw new Error(`${key} never reached ${want}; the focus is on "${await focused(page)}"`);
}

describe('keyboard only', () => {
  it('opens a conversation from the list, replies, completes it, and never drops the focus to <body>', { timeout: 120_000 }, async () => {
    await visitorWrites('Kim Park', 'kim@example.com', 'Can I change my delivery address?');
    const lee = await visitorWrites('Lee Chan', 'lee@example.com', 'A question about returns');
    const { context, page } = await newInbox('light');
    await row(page, /Kim Park/).waitFor();
    await row(page, /Lee Chan/).waitFor();
    expect(await focused(page)).toBe('Search conversations'); // where signing in left it

    // Into the list (Lee wrote last: the top row, Kim's below), then j/k, which work only here, to
    // Kim's row, and Enter to open it: the reply box takes the focus.
    await pressUntil(page, 'Tab', /Lee Chan/);
    const walk = async (key: string, to: RegExp) => {
      await page.keyboard.press(key);
      await expect.poll(() => focused(page)).toMatch(to);
    };
    await walk('j', /Kim Park/);
    await walk('k', /Lee Chan/);
    await walk('j', /Kim Park/);
    await page.keyboard.press('Enter');
    await page.getByRole('log').getByText('Can I change my delivery address?').waitFor();
    await expect.poll(() => focused(page)).toBe('Reply');

    // Another visitor writes meanwhile: the live region says so, the focus stays put.
    await writesAgain(lee, 'Hello from another tab');
    await expect.poll(() => page.locator('[aria-live="polite"]').first().textContent()).toBe('New message from Lee Chan');
    expect(await focused(page)).toBe('Reply');

    await page.keyboard.type('Yes: reply with the new address and we will update it.');
    await page.keyboard.press('Control+Enter');
    await page.getByRole('log').getByText('Yes: reply with the new address').waitFor();
    expect(await focused(page)).toBe('Reply');

    // On a phone, Back from the thread lands on the conversation's row; Enter opens it again.
    await page.setViewportSize(PHONE);
    await pressUntil(page, 'Shift+Tab', /Back to conversations/);
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toMatch(/Kim Park/);
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('Reply');
    await page.setViewportSize(DESKTOP);

    // Back up to Complete; the focus stays on the button as it turns into Reopen.
    await pressUntil(page, 'Shift+Tab', /^Complete$/);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    expect(await focused(page)).toBe('Reopen');

    // Settings and back: the focus returns to the Settings button.
    await pressUntil(page, 'Shift+Tab', /^Settings$/);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Back to inbox' }).waitFor();
    await pressUntil(page, 'Tab', /Back to inbox/);
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('Settings');
    await context.close();
  });
});
