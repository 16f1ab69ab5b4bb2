// The widget's file uploads against a real Parley server. The browser's XMLHttpRequest is stood in
// for by one over fetch that can lose the server's answer, as a dropped network does.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { startTestParley, visitorSocketUrl, type TestParley } from '../server/testing';
import { ChatConnection } from './connection';
import type { VisitorTokenStore } from './visitorCookie';

let parley: TestParley;
let connection: ChatConnection | undefined;
afterEach(async () => {
  connection?.stop();
  await parley.destroy();
});

/** How the stand-in network behaves for the next request. */
const network = { loseAnswers: 0, requests: 0 };

class FetchXHR {
  status = 0;
  responseText = '';
  upload: { onprogress: ((e: { loaded: number; total: number }) => void) | null } = { onprogress: null };
  onloadend: (() => void) | null = null;
  #url = '';
  #headers: Record<string, string> = {};
  #answerHeaders = new Headers();
  open(_method: string, url: string) {
    this.#url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.#headers[name] = value;
  }
  getResponseHeader(name: string) {
    return this.#answerHeaders.get(name);
  }
  send(body: Blob) {
    network.requests++;
    void fetch(this.#url, { method: 'POST', headers: { ...this.#headers, origin: 'https://shop.example' }, body }).then(async (res) => {
      const text = await res.text();
      if (network.loseAnswers > 0) network.loseAnswers--;
      else {
        this.status = res.status;
        this.responseText = text;
        this.#answerHeaders = res.headers;
      }
      this.onloadend?.();
    });
  }
}

function memoryTokens(): VisitorTokenStore & { value?: string } {
  const store: VisitorTokenStore & { value?: string } = {
    read: () => store.value,
    write: (token) => void (store.value = token),
    clear: () => void (store.value = undefined),
  };
  return store;
}

const count = (table: string) => (parley.database.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2])], 'screen.png', { type: 'image/png' });

describe('widget uploads', () => {
  it('send a first file, store the token it brought, and keep the thread on the socket', async () => {
    parley = await startTestParley();
    const tokens = memoryTokens();
    connection = new ChatConnection({
      socketUrl: visitorSocketUrl(parley),
      tokens,
      onChange: () => {},
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      XHRImpl: FetchXHR as unknown as typeof XMLHttpRequest,
    });
    connection.start();
    connection.listen();
    connection.attach(png());
    expect(connection.messages).toMatchObject([{ state: 'sending', upload: { name: 'screen.png' } }]);
    await vi.waitFor(() => expect(connection!.messages).toMatchObject([{ state: 'sent', attachments: [{ name: 'screen.png', type: 'image' }] }]));
    expect(tokens.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The socket now speaks for the new visitor: a typed message joins the same conversation.
    connection.send('That is the error I get');
    await vi.waitFor(() => expect(connection!.messages.every((m) => m.state === 'sent')).toBe(true));
    expect(count('visitors')).toBe(1);
    expect(count('conversations')).toBe(1);
  });

  it('send a file whose answer was lost again, stored once', async () => {
    parley = await startTestParley();
    network.loseAnswers = 1;
    network.requests = 0;
    connection = new ChatConnection({
      socketUrl: visitorSocketUrl(parley),
      tokens: memoryTokens(),
      onChange: () => {},
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      XHRImpl: FetchXHR as unknown as typeof XMLHttpRequest,
    });
    connection.attach(png());
    await vi.waitFor(() => expect(connection!.messages).toMatchObject([{ state: 'sent' }]), { timeout: 10_000 });
    expect(network.requests).toBe(2);
    expect(count('messages')).toBe(1);
    expect(count('attachments')).toBe(1);
    expect(count('visitors')).toBe(1);
  });
});
