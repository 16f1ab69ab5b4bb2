// Messenger's reply rules, applied before a reply is stored: a normal reply within 24 hours of the
// person's last message, a HUMAN_AGENT-tagged one within 7 days, nothing after. The clock is the
// server's (settable in tests); the window itself is computed by shared/channels.ts.
import { messengerWindow } from '../../../shared/channels';

/** Why this reply cannot be sent now, or null when Messenger allows it. */
export function windowRefusal(lastInboundAt: number | null, tag: 'HUMAN_AGENT' | undefined, now: number): string | null {
  const window = messengerWindow(lastInboundAt, now);
  if (window.state === 'standard') return null;
  if (window.state === 'humanAgent') {
    if (tag === 'HUMAN_AGENT') return null;
    return (
      "Messenger's 24-hour window has closed: this person last wrote more than 24 hours ago. " +
      'Send the reply with the HUMAN_AGENT tag instead (allowed up to 7 days after their last message).'
    );
  }
  if (lastInboundAt === null) return 'This person has not written to the page on Messenger, so Messenger does not allow a reply.';
  return 'This person last wrote more than 7 days ago: Messenger does not allow any reply until they write again.';
}
