// Availability in real browsers: two agents and a visitor on the demo site. The widget's header shows
// the available agents' faces and first names; one agent Away keeps the widget online, both Away make it
// ask for an email and the inbox's channel picker choose email. Grace's picture is uploaded in Profile.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, AgentSession, startTestParley, type TestParley } from '../server/testing';
import { launchChromium, signInToInbox } from './browser';

const screenshots = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const GRACE = { email: 'grace@example.com', password: 'grace password', name: 'Grace Hopper' };

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

const signIn = async (who: { email: string; password: string }): Promise<Page> =>
  signInToInbox(await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage(), parley.url, who);

/** A 96 px PNG drawn in the page (a real image for the browser to show), as Profile's file input takes it. */
async function drawnPortrait(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 96;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#0e7490';
    g.fillRect(0, 0, 96, 96);
    g.fillStyle = '#fde68a';
    g.beginPath();
    g.arc(48, 38, 20, 0, Math.PI * 2);
    g.fill();
    g.beginPath();
    g.arc(48, 100, 38, 0, Math.PI * 2);
    g.fill();
    return canvas.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}

/** The widget's email prompt, for a visitor whose address the page already gave. */
const EMAIL_PROMPT = "We'll reply to mia@example.com by email";

const setStatus = (page: Page, status: 'Available' | 'Away') => page.getByRole('combobox', { name: 'Status' }).selectOption({ label: status });

/** The first names under the widget's title ("Ada, Grace"), or null while it shows none. */
const widgetNames = (visitor: Page) =>
  visitor.locator('.header .names').count().then((n) => (n ? visitor.locator('.header .names').textContent() : null));

describe('availability and faces', () => {
  it('shows available agents in the widget, and asks for an email once every agent is Away', async () => {
    const ada = await signIn(ADMIN);
    const grace = await signIn(GRACE);

    // Grace puts a face to her name in Settings › Profile.
    await grace.getByRole('button', { name: 'Settings' }).click();
    await grace.getByRole('link', { name: 'Profile' }).click();
    await grace.getByLabel('Avatar').setInputFiles({ name: 'grace.png', mimeType: 'image/png', buffer: await drawnPortrait(grace) });
    await grace.getByRole('button', { name: 'Remove avatar' }).waitFor();
    await grace.screenshot({ path: resolve(screenshots, 'settings-profile.png') });
    await grace.getByRole('button', { name: 'Back to inbox' }).click();

    const visitor = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    await visitor.goto(`${parley.url}/`);
    await visitor.evaluate(() =>
      (window as unknown as { Parley: (c: string, a?: unknown) => void }).Parley('identify', { name: 'Mia Wong', email: 'mia@example.com' }),
    );
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await expect.poll(() => widgetNames(visitor)).toBe('Ada, Grace');
    const graceFace = visitor.locator('.header .faces img');
    await expect.poll(() => graceFace.getAttribute('src')).toMatch(/\/api\/agents\/2\/avatar\?v=[0-9a-f]{16}$/);
    await expect.poll(() => graceFace.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96);
    await visitor.getByRole('textbox', { name: 'Type your message' }).fill('Is anyone there?');
    await visitor.getByRole('textbox', { name: 'Type your message' }).press('Enter');
    await visitor.getByText(/^Sent/).last().waitFor();
    await visitor.locator('.panel').screenshot({ path: resolve(screenshots, 'widget-faces.png') });

    // Ada steps away: Grace is still there, so the widget stays a live chat.
    await setStatus(ada, 'Away');
    await expect.poll(() => widgetNames(visitor)).toBe('Grace');
    expect(await visitor.getByText(EMAIL_PROMPT).count()).toBe(0);

    // Grace too: nobody is available. The widget offers email, and the inbox replies by email.
    await setStatus(grace, 'Away');
    await visitor.getByText(EMAIL_PROMPT).waitFor();
    expect(await widgetNames(visitor)).toBeNull();
    await ada.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Mia Wong/ }).click();
    await expect.poll(() => ada.getByLabel('Channel').inputValue()).toBe('email');
    await ada.screenshot({ path: resolve(screenshots, 'inbox-away.png') });

    // Back to Available: chat again, for the widget and the picker; and Away is remembered across a reload.
    await setStatus(ada, 'Available');
    await expect.poll(() => widgetNames(visitor)).toBe('Ada');
    await expect.poll(() => ada.getByLabel('Channel').inputValue()).toBe('chat');
    await grace.reload();
    await grace.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await grace.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('away');
    expect(await widgetNames(visitor)).toBe('Ada');

    // On a phone the Status select still fits in the top bar.
    await grace.setViewportSize({ width: 390, height: 800 });
    const box = await grace.getByRole('combobox', { name: 'Status' }).boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    await grace.screenshot({ path: resolve(screenshots, 'inbox-phone-status.png') });
  }, 90_000); // three browsers on a shared 2-core machine
});
