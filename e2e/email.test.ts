// Email, end to end in Chromium: the visitor leaves their email in the widget and closes the tab; the
// agent's composer switches to Email by itself; the reply reaches the (fake) Resend API with the
// thread; the visitor's emailed answer shows up in the inbox thread, live.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEmailConfig } from '../server/config';
import { FakeResend } from '../server/testing/fakeResend';
import { ADMIN, startTestParley, type TestParley } from '../server/testing';
import { INBOUND_SECRET_HEADER } from '../server/channels/email/webhooks';
import { launchChromium, signInToInbox } from './browser';

const INBOUND_SECRET = 'e2e-inbound-secret-0123456789';

let parley: TestParley;
let browser: Browser;
let resend: FakeResend;
beforeAll(async () => {
  resend = await FakeResend.start();
  [parley, browser] = await Promise.all([
    startTestParley({
      siteName: 'Acme',
      email: {
        ...defaultEmailConfig,
        pollMs: 50,
        resendApiKey: 're_test',
        resendBaseUrl: resend.url,
        inboundSecret: INBOUND_SECRET,
        inboundDomain: 'in.example.test',
      },
    }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await parley?.destroy();
  await resend?.close();
});

describe('a conversation that continues by email', () => {
  it('switches the composer to Email when the visitor leaves, sends the reply, threads the answer back', async () => {
    // No agent is online: the widget offers to reply by email.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${parley.url}/`);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const box = visitor.getByRole('textbox', { name: 'Type your message' });
    await box.fill('Do you ship to Norway?');
    await box.press('Enter');
    await visitor.getByText("We'll reply by email").waitFor();
    await visitor.getByLabel('Email', { exact: true }).fill('nora@example.no');
    await visitor.getByRole('button', { name: 'Save' }).click();
    await visitor.getByText(/nora@example\.no/).waitFor();

    const agent = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
    await signInToInbox(agent, parley.url, ADMIN);
    await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /nora@example\.no/ }).click();
    await agent.getByRole('log').getByText('Do you ship to Norway?').waitFor();
    const channel = agent.getByRole('combobox', { name: 'Channel' });
    await expect.poll(() => channel.inputValue()).toBe('chat'); // the visitor is still on the page

    await visitor.context().close(); // the visitor closes the tab
    await expect.poll(() => channel.inputValue(), { timeout: 10_000 }).toBe('email');

    await agent.getByRole('textbox', { name: 'Reply' }).fill('Yes, we ship to Norway within 5 days.');
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    const [email] = await resend.waitForSent(1, 10_000);
    expect(email!.to).toEqual(['nora@example.no']);
    expect(email!.text).toContain('Yes, we ship to Norway within 5 days.');
    expect(email!.text).toContain('Do you ship to Norway?');
    await agent.getByRole('log').getByText('Sent', { exact: true }).waitFor();

    // Nora answers from her mail client; her mail server posts it to Parley.
    const raw = [
      'From: Nora <nora@example.no>',
      `To: ${String(email!.reply_to)}`,
      'Subject: Re: Your conversation with Acme',
      'Message-ID: <nora-answer-1@example.no>',
      `In-Reply-To: ${email!.headers['Message-ID']}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Great, ordering now!',
      '',
      `On Wed, 25 Nov 2026 at 14:03, Acme <support@localhost> wrote:`,
      '> Yes, we ship to Norway within 5 days.',
      '',
    ].join('\r\n');
    const res = await fetch(`${parley.url}/webhooks/email/raw`, {
      method: 'POST',
      headers: { [INBOUND_SECRET_HEADER]: INBOUND_SECRET, 'content-type': 'message/rfc822' },
      body: raw,
    });
    expect(res.status).toBe(200);
    await agent.getByRole('log').getByText('Great, ordering now!', { exact: true }).waitFor();
    await expect.poll(() => agent.getByRole('log').getByText('Yes, we ship to Norway within 5 days.').count()).toBe(1);
  });
});
