// Emails are sent once however many workers share the outbox: each claims a row with a lease before
// sending it, and a row a dead worker held goes out once its lease is over. The workers run on one
// real SQLite file and send through the real `resend` SDK to a fake Resend that counts idempotency keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../storage';
import { openSqliteStorage, type OpenSqliteStorage } from '../../storage/sqlite';
import { FakeResend } from '../../testing/fakeResend';
import { waitUntil } from '../../testing';
import { OutboxWorker } from './outbox';
import { lazyResendClient } from './resendClient';
import { resendTransport } from './transport';

let folder: string;
let opened: OpenSqliteStorage;
let storage: Storage;
let fake: FakeResend;
const workers: OutboxWorker[] = [];

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'parley-claims-'));
  opened = openSqliteStorage(join(folder, 'parley.db'), { indexSearch: false });
  storage = opened.storage;
  fake = await FakeResend.start();
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  await opened.close();
  await fake.close();
  rmSync(folder, { recursive: true, force: true });
});

function startWorker(options: { now?: () => number; leaseMs?: number } = {}): OutboxWorker {
  const worker = new OutboxWorker(storage, resendTransport(lazyResendClient('re_test', fake.url)), {
    from: 'Acme Support <support@example.test>',
    now: options.now ?? Date.now,
    pollMs: 10,
    retry: { baseDelayMs: 10, maxDelayMs: 100, maxAttempts: 8 },
    leaseMs: options.leaseMs,
    onReport: () => {},
  });
  workers.push(worker);
  worker.start();
  return worker;
}

/** `count` replies' emails queued in one conversation, as the reply transactions queue them. */
async function queueEmails(count: number, now = Date.now()): Promise<void> {
  const { visitor } = await storage.conversations.createVisitor(now);
  const conversation = await storage.conversations.createConversation(visitor.id, now);
  for (let i = 0; i < count; i++) {
    await storage.email.queueEmail({
      conversationId: conversation.id,
      kind: 'reply',
      toAddress: 'vera@example.com',
      subject: `Reply ${i}`,
      html: `<p>Reply ${i}</p>`,
      text: `Reply ${i}`,
      messageIdHeader: `<reply-${i}@example.test>`,
      replyTo: 'reply+token@in.example.test',
      nextAttemptAt: now,
    });
  }
}

const statuses = async () => (await storage.email.outboxNewestFirst({ limit: 1000 })).map((row) => row.status);

describe('outbox workers sharing one outbox', () => {
  it('send each of 50 emails exactly once with three workers running', async () => {
    await queueEmails(50);
    startWorker();
    startWorker();
    startWorker();
    await fake.waitForSent(50);
    await waitUntil(async () => statuses(), (all) => all.every((status) => status === 'sent'));
    const keys = fake.attempts.map((attempt) => attempt.idempotencyKey);
    // Not merely deduplicated by Resend: no email was even attempted twice.
    expect(keys).toHaveLength(50);
    expect(new Set(keys).size).toBe(50);
    expect(fake.sent.map((email) => email.subject).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `Reply ${i}`).sort());
  });

  it('leave an email a dead worker claimed until its lease is over, then send it once', async () => {
    let clock = 1_000_000;
    await queueEmails(1, clock);
    // A process claimed it and died before sending (or before recording that it had).
    const claimed = await storage.email.claimDueEmail(clock, 60_000);
    expect(claimed?.subject).toBe('Reply 0');
    expect(await storage.email.claimDueEmail(clock, 60_000)).toBeNull();

    startWorker({ now: () => clock });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.attempts).toHaveLength(0);

    clock += 60_000;
    await fake.waitForSent(1);
    await waitUntil(async () => statuses(), (all) => all[0] === 'sent');
    expect(fake.sent.map((email) => email.subject)).toEqual(['Reply 0']);
  });

  it('send an email a dead worker handed to Resend only once, by its idempotency key', async () => {
    let clock = 1_000_000;
    await queueEmails(1, clock);
    // The dead process's send reached Resend; it died before marking the row sent.
    const claimed = (await storage.email.claimDueEmail(clock, 60_000))!;
    await resendTransport(lazyResendClient('re_test', fake.url)).send({
      from: 'Acme Support <support@example.test>',
      to: claimed.toAddress,
      replyTo: claimed.replyTo,
      subject: claimed.subject,
      html: claimed.html,
      text: claimed.text,
      headers: { 'Message-ID': claimed.messageIdHeader },
      idempotencyKey: `parley-email-${claimed.id}-${claimed.messageIdHeader}`,
    });
    clock += 60_000;
    startWorker({ now: () => clock });
    await waitUntil(async () => statuses(), (all) => all[0] === 'sent');
    expect(fake.attempts).toHaveLength(2);
    expect(fake.sent).toHaveLength(1);
  });
});

describe('a send that never answers', () => {
  it('counts as a failed attempt before the lease is over, and the retry goes out with the same key', async () => {
    await queueEmails(1);
    fake.hangNext(1);
    startWorker({ leaseMs: 400 });
    await fake.waitForSent(1);
    await waitUntil(async () => (await storage.email.outboxNewestFirst({ limit: 1 }))[0]!, (row) => row.status === 'sent');
    const row = (await storage.email.outboxNewestFirst({ limit: 1 }))[0]!;
    expect(row.attempts).toBe(2);
    expect(fake.attempts.map((attempt) => attempt.status)).toEqual([0, 200]);
    expect(new Set(fake.attempts.map((attempt) => attempt.idempotencyKey)).size).toBe(1);
  });
});

describe('follow-ups seen due by several processes', () => {
  it('are taken by one of them, and a timer restarted meanwhile is left running', async () => {
    const now = 1_000_000;
    const { visitor } = await storage.conversations.createVisitor(now);
    const first = await storage.conversations.createConversation(visitor.id, now);
    const second = await storage.conversations.createConversation((await storage.conversations.createVisitor(now)).visitor.id, now);
    await storage.email.scheduleFollowup(first.id, now - 1);
    await storage.email.scheduleFollowup(second.id, now - 1);
    expect((await storage.email.dueFollowups(now)).sort()).toEqual([first.id, second.id].sort());

    expect(await storage.email.takeDueFollowup(first.id, now)).toBe(true);
    expect(await storage.email.takeDueFollowup(first.id, now)).toBe(false);
    // A new reply restarted the second one's timer after the list was read: not due, not taken.
    await storage.email.scheduleFollowup(second.id, now + 60_000);
    expect(await storage.email.takeDueFollowup(second.id, now)).toBe(false);
    expect(await storage.email.followupPending(second.id)).toBe(true);
  });
});
