// Headless Debian Chromium for the end-to-end tests, with the flags this closed-network machine needs.
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

/**
 * How long one browser step (a click, a waitFor) may take: under the 20 s test timeout, so a step that
 * hangs fails naming its locator instead of as an anonymous test timeout.
 */
const STEP_TIMEOUT_MS = 15_000;

export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    return context;
  };
  return browser;
}

/** Signs in to the inbox at `serverUrl` in `page` and waits until the inbox shows. */
export async function signInToInbox(page: Page, serverUrl: string, who: { email: string; password: string }): Promise<Page> {
  await page.goto(`${serverUrl}/inbox`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}
