// How the mail reader tells machines from people, on real mail from python3-flufl.bounce's corpus
// (server/testing/corpus/automail/) and on the headers RFC 3834 and practice define.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { automaticMail, headerRecordLookup } from './automaticMail';
import { readRawEmail } from './parse';

const corpus = (name: string) => readFileSync(resolve(import.meta.dirname, '../../../testing/corpus/automail', name));

const classify = (headers: Record<string, string>, subject = 'Hello', fromAddress = 'ann@example.org') =>
  automaticMail({ header: headerRecordLookup(headers), fromAddress, subject, ownMessageId: '<a@b>', inReplyTo: [], references: [], parts: null });

describe('automatic mail', () => {
  it('reads a delivery status notification: the failed recipient, the reason in words, and the email it returns', async () => {
    const email = await readRawEmail(corpus('dsn-user-unknown.eml'));
    expect(email.automatic).toEqual({
      kind: 'bounce',
      failed: true,
      recipient: 'userx@example.com.dk',
      reason: 'Mailbox does not exist (550 5.1.1)',
      returnedMessageIds: ['<5f0c1e2d3a4b5c6d7e8f9a0b.parley@in.example.test>'],
    });
  });

  it('tells a delay notice from a bounce', async () => {
    expect((await readRawEmail(corpus('dsn-delayed.eml'))).automatic).toMatchObject({ kind: 'bounce', failed: false });
  });

  it('finds the returned email in non-standard notices, attached or copied into the text', async () => {
    for (const name of ['nonstandard-returned-message.eml', 'text-copy-bounce.eml']) {
      const { automatic } = await readRawEmail(corpus(name));
      expect(automatic, name).toMatchObject({ kind: 'bounce', failed: true });
      // The returned email's own id comes first; a returned digest may quote more ids below it.
      expect(automatic?.kind === 'bounce' && automatic.returnedMessageIds[0], name).toBe('<5f0c1e2d3a4b5c6d7e8f9a0b.parley@in.example.test>');
    }
  });

  it('recognises an auto-reply', async () => {
    expect((await readRawEmail(corpus('auto-reply.eml'))).automatic).toMatchObject({ kind: 'autoReply' });
  });

  it('takes every RFC 3834 and customary marker, and nothing else', () => {
    expect(classify({ 'Auto-Submitted': 'auto-replied' })?.kind).toBe('autoReply');
    expect(classify({ 'Auto-Submitted': 'auto-generated' })?.kind).toBe('autoReply');
    expect(classify({ 'Auto-Submitted': 'no' })).toBeNull();
    expect(classify({ 'X-Autoreply': 'yes' })?.kind).toBe('autoReply');
    expect(classify({ 'X-Autorespond': 'Out of office' })?.kind).toBe('autoReply');
    expect(classify({ Precedence: 'auto_reply' })?.kind).toBe('autoReply');
    expect(classify({}, 'Automatic reply: Your order')?.kind).toBe('autoReply');
    expect(classify({ Precedence: 'bulk' })?.kind).toBe('bulk');
    expect(classify({ 'List-Id': '<users.lists.example.org>' })?.kind).toBe('bulk');
    // Outlook asks others not to auto-reply; saying so does not make it one.
    expect(classify({ 'X-Auto-Response-Suppress': 'All' })).toBeNull();
    expect(classify({}, 'Re: Undeliverable: invoice')).toBeNull();
    expect(classify({}, 'Hello', 'mailer-daemon@mx.example.net')?.kind).toBe('bounce');
  });
});
