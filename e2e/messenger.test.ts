// A Messenger conversation in the browser: a person writes to the page, the agent sees it arrive live
// under the sender's name, answers on Messenger, the (fake) Send API receives the reply, and what
// happens to it afterwards (read, refused) shows on the message.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph, GRAPH_ERRORS } from '../server/testing/fakeGraph';
import { personSends, personWrites, postWebhook, seen, testMessengerConfig, webhookPayload } from '../server/testing/messengerEvents';
import { ADMIN, startTestParley, type TestParley } from '../server/testing';
import { launchChromium, signInToInbox } from './browser';

let graph: FakeGraph;
let parley: TestParley;
let browser: Browser;
beforeAll(async () => {
  graph = await FakeGraph.start();
  graph.profiles.set('5550001', { first_name: 'Mia', last_name: 'Wong' });
  [parley, browser] = await Promise.all([startTestParley({ messenger: testMessengerConfig(graph.url) }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await parley?.destroy();
  await graph?.close();
});

async function signIn(): Promise<Page> {
  return signInToInbox(await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage(), parley.url, ADMIN);
}

const row = (page: Page, title: string) => page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(title) });

describe('Messenger in the inbox', () => {
  it('shows a Messenger message live and sends the reply through the Send API', async () => {
    const agent = await signIn();

    const res = await postWebhook(parley.url, webhookPayload([personWrites('5550001', 'm_e2e_1', 'Hi! Is the blue kettle back in stock?')]));
    expect(res.status).toBe(200);

    // Live, no reload: the row appears, then takes the name from the Messenger profile.
    await row(agent, 'Mia Wong').click();
    const thread = agent.getByRole('log');
    await thread.getByText('Hi! Is the blue kettle back in stock?').waitFor();
    await thread.getByText('Messenger').first().waitFor();

    // Messenger is the only way to answer, and the one chosen.
    const channel = agent.getByRole('combobox', { name: 'Channel' });
    await expect.poll(() => channel.evaluate((select: HTMLSelectElement) => [...select.options].map((o) => o.text))).toEqual(['Messenger']);
    await expect.poll(() => channel.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text)).toBe('Messenger');

    await agent.getByRole('textbox', { name: 'Reply' }).fill('Yes, {{contact.first_name}}: it is back since Monday.');
    await agent.getByRole('button', { name: 'Send', exact: true }).click();

    const send = await graph.nextSend(() => true, 10_000);
    expect(send.body).toMatchObject({
      recipient: { id: '5550001' },
      messaging_type: 'RESPONSE',
      message: { text: 'Yes, Mia: it is back since Monday.' },
    });
    await thread.getByText('Yes, Mia: it is back since Monday.').waitFor();
    await thread.getByText('Sent', { exact: true }).waitFor();

    // Mia opens Messenger: the reply turns "Read", live.
    await postWebhook(parley.url, webhookPayload([seen('5550001', Date.now())]));
    await thread.getByText('Read', { exact: true }).waitFor();

    // She sends her receipt; it shows as a link by its file name.
    const receipt = { type: 'file', payload: { url: 'https://cdn.fbsbx.com/v/t59/77_n.pdf/receipt-1042.pdf?_nc=1' } };
    await postWebhook(parley.url, webhookPayload([personSends('5550001', 'm_e2e_2', [receipt])]));
    await thread.getByRole('link', { name: 'receipt-1042.pdf' }).waitFor();

    // Meta refuses the next reply: the agent sees why, on the message.
    graph.refuseSends(GRAPH_ERRORS.unavailable());
    await agent.getByRole('textbox', { name: 'Reply' }).fill('Thanks, got it!');
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    await thread.getByText("Failed: This person isn't available on Messenger right now").waitFor();
  });
});
