// A visitor who types faster than the message limit allows, in a real browser: every message is
// delivered exactly once, in the order typed, and none ever shows "Not sent".
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVisitorLimits } from '../server/config';
import { startTestParley, waitUntil, type TestParley } from '../server/testing';
import { launchChromium } from './browser';

let parley: TestParley;
let browser: Browser;
beforeAll(async () => {
  // Two at once, then one every 200 ms: a quick typist is over it at once.
  const limits = { ...defaultVisitorLimits, messageBurst: 2, messagesPerMinute: 300 };
  [parley, browser] = await Promise.all([startTestParley({ limits }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await parley?.destroy();
});

const storedBodies = () =>
  (parley.database.sqlite.prepare('select body from messages order by id').all() as { body: string }[]).map((r) => r.body);

describe('message limit in the widget', () => {
  it('delivers a flood of typed messages exactly once each, in order, without a Retry', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${parley.url}/`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const box = page.getByRole('textbox', { name: 'Type your message' });
    const typed = Array.from({ length: 8 }, (_, i) => `message ${i + 1}`);
    for (const text of typed) {
      await box.fill(text);
      await box.press('Enter');
    }
    await waitUntil(storedBodies, (bodies) => bodies.length >= typed.length, 15_000);
    await page.getByText(/^Sent/).nth(typed.length - 1).waitFor();
    expect(storedBodies()).toEqual(typed);
    expect(await page.getByText('Sending…').count()).toBe(0);
    expect(await page.getByText('Not sent.').count()).toBe(0);
  });
});
