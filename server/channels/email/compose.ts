// Writes the emails Parley sends: the agent's words on top, the conversation so far below, as an
// HTML part and a plain-text part. Every piece of user text is escaped: nothing a visitor or agent
// typed can become markup in somebody's mail client.
import type { ChatMessage } from '../../../shared/protocol';

export interface ComposedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface EmailContent {
  siteName: string;
  /** What the email is for, shown above the thread: the reply(s), or a transcript note. */
  top: ChatMessage[];
  /** A line before `top` ("You have replies you haven't seen yet"), optional. */
  intro?: string;
  /** The whole thread the visitor may see, oldest first (it includes `top`). */
  thread: ChatMessage[];
  visitorName: string | null;
  /** A line above everything else: where an unverified address came from (unverified.ts). */
  notice?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const stamp = (ms: number) => `${when.format(ms)} UTC`;

function authorOf(message: ChatMessage, content: EmailContent): string {
  if (message.author === 'agent') return message.authorName ?? content.siteName;
  return content.visitorName ?? 'You';
}

export const subjectFor = (siteName: string): string => `Your conversation with ${siteName}`;

export function composeEmail(content: EmailContent): ComposedEmail {
  const topIds = new Set(content.top.map((m) => m.id));
  const earlier = content.thread.filter((m) => !topIds.has(m.id));

  const text = [
    ...(content.notice ? [content.notice, ''] : []),
    ...(content.intro ? [content.intro, ''] : []),
    ...content.top.flatMap((m) => [`${authorOf(m, content)}:`, m.body, '']),
    '— Reply to this email to answer. —',
    '',
    ...(earlier.length
      ? ['Our conversation so far:', '', ...earlier.flatMap((m) => [`${authorOf(m, content)}, ${stamp(m.createdAt)}:`, m.body, ''])]
      : []),
  ].join('\n');

  const paragraph = (body: string) =>
    `<p style="margin:0 0 12px;white-space:pre-wrap">${escapeHtml(body)}</p>`;
  const threadEntry = (m: ChatMessage) =>
    `<tr><td style="padding:6px 0;border-top:1px solid #e5e7eb"><div style="color:#6b7280;font-size:12px">${escapeHtml(
      `${authorOf(m, content)} · ${stamp(m.createdAt)}`,
    )}</div><div style="white-space:pre-wrap">${escapeHtml(m.body)}</div></td></tr>`;
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px;color:#111827">
${content.notice ? `<p style="margin:0 0 12px;color:#6b7280;font-size:12px">${escapeHtml(content.notice)}</p>` : ''}${content.intro ? paragraph(content.intro) : ''}${content.top
    .map((m) => `<p style="margin:0 0 4px;color:#6b7280;font-size:12px">${escapeHtml(authorOf(m, content))}</p>${paragraph(m.body)}`)
    .join('')}
<p style="color:#6b7280;font-size:12px">Reply to this email to answer.</p>
${
  earlier.length
    ? `<h3 style="font-size:13px;margin:24px 0 4px">Our conversation so far</h3><table role="presentation" style="width:100%;border-collapse:collapse">${earlier
        .map(threadEntry)
        .join('')}</table>`
    : ''
}
</body></html>`;

  return { subject: subjectFor(content.siteName), html, text };
}
