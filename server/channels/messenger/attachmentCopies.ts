// Meta's attachment addresses expire, so after the webhook has answered each file a message carried
// (image, video, audio, file) is downloaded into the shared file store: https only, bounded in size
// and time. The message's entry then points at our copy, or says why there is none. It never delays
// the webhook and never stores or fans out messages itself (the conversation service does).
import type { Attachment } from '../../../shared/protocol';
import type { Attachments, PreparedFile } from '../../attachments';
import type { Conversations } from '../../conversations';
import type { Storage } from '../../storage';

const COPIED_KINDS = new Set(['image', 'video', 'audio', 'file']);
/** One file's whole download; Meta's CDN answers in well under a second. */
export const MESSENGER_DOWNLOAD_TIMEOUT_MS = 30_000;

/** A file still at the sender's (Meta's) address: not yet copied, and not given up on. */
const awaitsCopy = (a: Attachment) => COPIED_KINDS.has(a.type) && /^https?:/i.test(a.url) && !a.notKept;

export const needsCopy = (attachments: Attachment[] | null | undefined): boolean => (attachments ?? []).some(awaitsCopy);

export async function copyAttachments(
  deps: { storage: Storage; conversations: Conversations; attachments: Attachments; allowHttp: boolean },
  messageId: number,
  list: Attachment[],
): Promise<void> {
  const budget = deps.attachments.budget();
  const copies = new Map<number, PreparedFile>();
  for (const [index, a] of list.entries()) {
    if (!awaitsCopy(a)) continue;
    const remote = { url: a.url, name: a.name ?? null, mimeType: null, kind: a.type };
    copies.set(index, await deps.attachments.keepRemote(remote, index, budget, { timeoutMs: MESSENGER_DOWNLOAD_TIMEOUT_MS, allowHttp: deps.allowHttp }));
  }
  if (copies.size === 0) return;
  await deps.conversations.updateAttachments(messageId, async (tx, current) => {
    const indexes = [...copies.keys()];
    const { attachments: recorded, ids } = await deps.attachments.record([...copies.values()], tx);
    await tx.attachments.linkToMessage(ids, messageId);
    const replaced = new Map(indexes.map((index, i) => [index, recorded[i]!]));
    return current.map((a, index) => replaced.get(index) ?? a);
  });
}
