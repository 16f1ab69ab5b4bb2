// Files both ways in a real browser: a visitor attaches a screenshot in the widget and the agent sees
// it in the inbox; the agent attaches a PDF to a reply and the visitor sees it and downloads it.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** Picks `file` through the page's own file chooser, as a person clicking "Attach a file" would. */
async function attach(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach a file' }).click();
  await (await chooser).setFiles(file);
}

const GUIDE = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('files both ways', () => {
  it('carries a visitor’s screenshot to the agent and the agent’s PDF back', async () => {
    const visitor = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    await visitor.goto(`${parley.url}/`);
    // A real picture to send: a corner of the demo page itself.
    const picture = await visitor.screenshot({ clip: { x: 0, y: 0, width: 240, height: 150 } });
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await attach(visitor, { name: 'checkout-error.png', mimeType: 'image/png', buffer: picture });
    // Shown from the server's copy once stored: a thumbnail named by the file, and "Sent".
    const thumbnail = visitor.getByRole('log').getByRole('img', { name: 'checkout-error.png' });
    await thumbnail.waitFor();
    await visitor.getByRole('log').getByText(/^Sent/).waitFor();
    expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(240);

    const inbox = await signInToInbox(await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage(), parley.url, ADMIN);
    await inbox.getByRole('list', { name: 'Conversations' }).getByText('Visitor #1').click();
    const thread = inbox.getByRole('log', { name: 'Messages with Visitor #1' });
    const seen = thread.getByRole('img', { name: 'checkout-error.png' });
    await seen.waitFor();
    await expect.poll(() => seen.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(240);

    await inbox.getByRole('textbox', { name: 'Reply' }).fill('Thanks! Here is the guide for that step.');
    await attach(inbox, { name: 'checkout-guide.pdf', mimeType: 'application/pdf', buffer: GUIDE });
    await inbox.getByRole('list', { name: 'Attached files' }).getByText('checkout-guide.pdf').waitFor();
    await expect.poll(() => inbox.getByRole('progressbar').count()).toBe(0);
    await inbox.screenshot({ path: resolve(screenshots, 'inbox-files.png') });
    await inbox.getByRole('button', { name: 'Send' }).click();
    await thread.getByText('Thanks! Here is the guide for that step.').waitFor();

    const file = visitor.getByRole('button', { name: `checkout-guide.pdf · ${GUIDE.byteLength} B` });
    await file.waitFor();
    await visitor.screenshot({ path: resolve(screenshots, 'widget-files.png') });
    const download = visitor.waitForEvent('download');
    await file.click();
    expect((await download).suggestedFilename()).toBe('checkout-guide.pdf');
  }, 60_000);

  it('tells the visitor in words when a type is not allowed', async () => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${parley.url}/`);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await attach(visitor, { name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ\x90\x00') });
    await visitor.getByRole('alert').getByText('setup.exe: That type of file is not allowed here').waitFor();
  });
});
