// Settings → Widget in real browsers: an admin changes the widget in the inbox and a visitor's page,
// already open, changes with it (no reload); outside business hours the widget says so and asks
// for an email. Screenshots of the page and the widget go to docs/screenshots/ to look at.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DARK_TEXT } from '../shared/widgetLook';
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

async function openWidgetSettings(): Promise<Page> {
  // Tall enough that the whole Widget page fits in its screenshot.
  const context = await browser.newContext({ viewport: { width: 1280, height: 1700 } });
  const inbox = await signInToInbox(await context.newPage(), parley.url, ADMIN);
  await inbox.getByRole('button', { name: 'Settings' }).click();
  await inbox.getByRole('navigation', { name: 'Settings pages' }).getByRole('link', { name: 'Widget' }).click();
  await inbox.getByLabel('Title', { exact: true }).waitFor();
  return inbox;
}

async function openVisitorPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const visitor = await context.newPage();
  await visitor.goto(`${parley.url}/`);
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  return visitor;
}

/** Serious and critical WCAG 2.1 A/AA violations on the page as it is now, as "rule: target" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** The widget's own elements, inside its shadow root (Playwright's CSS pierces it). */
const widgetHeader = (page: Page) => page.locator('[data-parley] .header');

/** Each test drives two browsers and runs axe (seconds on a busy 2-core machine): more than the default 20 s. */
const BROWSER_TEST_MS = 60_000;

describe('Settings → Widget', () => {
  it("changes an open widget's title and colour without a reload", async () => {
    const visitor = await openVisitorPage();
    await visitor.getByRole('dialog', { name: 'Chat with us' }).waitFor();

    const inbox = await openWidgetSettings();
    await inbox.getByLabel('Title', { exact: true }).fill('Talk to the roastery');
    await inbox.getByLabel('Color').fill('#facc15');
    await inbox.getByText('Text on it: dark').waitFor();
    await inbox.getByLabel('Position').selectOption('left');
    await inbox.getByRole('button', { name: 'Save' }).click();
    await inbox.getByRole('status').filter({ hasText: 'Widget settings saved' }).waitFor();
    await inbox.screenshot({ path: resolve(screenshots, 'settings-widget.png'), animations: 'disabled' });

    // The visitor's page never reloaded: the panel keeps its name change and its new colours.
    await visitor.getByRole('dialog', { name: 'Talk to the roastery' }).waitFor();
    const header = widgetHeader(visitor);
    await expect.poll(() => header.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(250, 204, 21)');
    expect(await header.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(17, 24, 39)');
    // And it moved to the left edge, launcher and panel.
    const launcher = visitor.getByRole('button', { name: 'Hide chat' });
    await expect.poll(async () => (await launcher.boundingBox())?.x).toBeLessThan(100);
    expect((await header.boundingBox())?.x).toBeLessThan(100);
    expect(DARK_TEXT).toBe('#111827');
    await visitor.screenshot({ path: resolve(screenshots, 'widget-settings-applied.png'), animations: 'disabled' });

    // A colour no text is readable on is refused, next to the field, naming the contrast.
    await inbox.getByLabel('Color').fill('#7a7a7a');
    await inbox.getByRole('button', { name: 'Save' }).click();
    await inbox.getByText(/Text on #7a7a7a reaches only 4\.\d\d:1 contrast/).waitFor();
    expect(await inbox.getByLabel('Color').getAttribute('aria-invalid')).toBe('true');
    await inbox.getByLabel('Use business hours').check();
    expect(await axeViolations(inbox)).toEqual([]);
    await visitor.getByRole('dialog', { name: 'Talk to the roastery' }).waitFor();
    await inbox.context().close();
    await visitor.context().close();
  }, BROWSER_TEST_MS);

  it('outside business hours shows the away text and asks for an email', async () => {
    const inbox = await openWidgetSettings();
    await inbox.getByLabel('Use business hours').check();
    // Closed every day: whenever the test runs, it is outside business hours.
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) await inbox.getByLabel(`Closed on ${day}`).check();
    await inbox.getByRole('button', { name: 'Save' }).click();
    await inbox.getByRole('status').filter({ hasText: 'Widget settings saved' }).waitFor();
    // On a phone the page stays usable: every weekday row wraps within the screen.
    await inbox.setViewportSize({ width: 390, height: 1700 });
    expect(await inbox.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await inbox.screenshot({ path: resolve(screenshots, 'settings-widget-phone.png'), animations: 'disabled' });
    expect(await axeViolations(inbox)).toEqual([]);
    await inbox.setViewportSize({ width: 1280, height: 1700 });

    const visitor = await openVisitorPage();
    await visitor.getByText("We're away — leave your email and we'll reply").waitFor();
    await visitor.getByRole('textbox', { name: 'Email' }).waitFor();
    await visitor.screenshot({ path: resolve(screenshots, 'widget-outside-hours.png'), animations: 'disabled' });

    // Opening again reaches the open widget: the away text goes.
    await inbox.getByLabel('Use business hours').uncheck();
    await inbox.getByRole('button', { name: 'Save' }).click();
    await inbox.getByRole('status').filter({ hasText: 'Widget settings saved' }).waitFor();
    await expect.poll(() => visitor.getByText("We're away — leave your email and we'll reply").count()).toBe(0);
    await inbox.context().close();
    await visitor.context().close();
  }, BROWSER_TEST_MS);

  it('asks before deactivating an agent, and Escape leaves them active', async () => {
    const inbox = await openWidgetSettings();
    const nav = inbox.getByRole('navigation', { name: 'Settings pages' });
    await nav.getByRole('link', { name: 'Agents' }).click();
    await inbox.getByLabel('Name', { exact: true }).fill('Linus');
    await inbox.getByLabel('Email', { exact: true }).fill('linus@example.com');
    await inbox.getByLabel('Password', { exact: true }).fill('a long password');
    await inbox.getByRole('button', { name: 'Add agent' }).click();
    const row = inbox.getByRole('row').filter({ hasText: 'linus@example.com' });
    await row.getByRole('button', { name: 'Deactivate' }).click();

    const dialog = inbox.getByRole('alertdialog', { name: 'Deactivate Linus?' });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await inbox.screenshot({ path: resolve(screenshots, 'settings-agents-deactivate.png'), animations: 'disabled' });
    expect(await axeViolations(inbox)).toEqual([]);
    await inbox.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await row.getByRole('button', { name: 'Deactivate' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await row.getByText('Active', { exact: true }).waitFor();
    await inbox.context().close();
  }, BROWSER_TEST_MS);
});
