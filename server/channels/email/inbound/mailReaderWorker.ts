// The mail reader's worker thread (started by mailReader.ts): reads one email at a time with
// parse.ts and answers with the result or the kind of failure. It holds no database and no
// sockets; the server may terminate it at any moment, so it keeps no state worth losing.
import { parentPort } from 'node:worker_threads';
import { lowerThisThreadsPriority } from '../../../db/backgroundThread';
import { installCharsetDecoders, readUndeclaredTextAs } from './charsetDecoders';
import { HtmlTooComplexError } from './htmlToText';
import { EmailOverLimitError, MalformedEmailError, readEmailHeaders, readRawEmail, readResendEmail, type InboundEmail } from './parse';
import type { ReadJob, ReaderAnswer } from './mailReader';

const read = (job: ReadJob): Promise<InboundEmail> => {
  if (job.kind !== 'resend') readUndeclaredTextAs(job.bytes);
  switch (job.kind) {
    case 'raw':
      return readRawEmail(job.bytes);
    case 'headers':
      return readEmailHeaders(job.bytes);
    case 'resend':
      return readResendEmail(job.bytes, job.emailId, job.bounceParts);
  }
};

async function answer(id: number, job: ReadJob): Promise<ReaderAnswer> {
  try {
    return { id, ok: true, email: await read(job) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof MalformedEmailError) return { id, ok: false, failure: 'malformed', message };
    if (err instanceof EmailOverLimitError) return { id, ok: false, failure: 'overLimit', message };
    if (err instanceof HtmlTooComplexError) return { id, ok: false, failure: 'unreadable', message };
    return { id, ok: false, failure: 'unreadable', message: `Reading failed: ${message}` };
  }
}

/** An email's files go back to the event loop moved, not copied: each has a buffer of its own. */
function transferable(reply: ReaderAnswer): ArrayBuffer[] {
  if (!reply.ok) return [];
  const buffers = new Set<ArrayBuffer>();
  for (const file of reply.email.files ?? []) {
    const { buffer, byteOffset, byteLength } = file.bytes;
    if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) buffers.add(buffer);
  }
  return [...buffers];
}

// Nice 19, like the database's background threads (server/db/backgroundThread.ts): where this thread
// shares a core with the event loop, Linux gives the chat traffic the CPU first.
lowerThisThreadsPriority();
// Before postal-mime loads: it keeps a decoder made at import (charsetDecoders.ts says why and what).
installCharsetDecoders();

const port = parentPort!;
port.on('message', ({ id, job }: { id: number; job: ReadJob }) => {
  // The bytes arrive shared with the event loop (boundedBody.ts); decoders want a buffer of their
  // own, and copying here costs the worker's time, not the chat's.
  void answer(id, { ...job, bytes: new Uint8Array(job.bytes) }).then((reply) => port.postMessage(reply, transferable(reply)));
});
// Load the libraries before the first email, so its time budget is spent on the email.
void Promise.all([import('postal-mime'), import('./htmlToText')]).then(() => port.postMessage('ready'));
