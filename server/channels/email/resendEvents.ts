// Resend's delivery events about emails we sent (`email.delivered`, `email.bounced`,
// `email.complained`), in the shapes Resend's webhook docs show, turned into delivery news for the
// email Resend knows by `data.email_id`. Reads only what the signed event says; never trusts more.
import { z } from 'zod';
import type { DeliveryNews } from './deliveryNews';

const text = (max: number) => z.string().max(100_000).transform((s) => s.slice(0, max)).optional().catch(undefined);

const deliveryEvent = z.object({
  type: z.enum(['email.delivered', 'email.bounced', 'email.complained']),
  data: z
    .object({
      email_id: z.string().min(1).max(200),
      bounce: z.object({ message: text(500), type: text(50), subType: text(50) }).loose().optional().catch(undefined),
    })
    .loose(),
});

export interface ResendDeliveryEvent {
  emailId: string;
  news: DeliveryNews;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

function bounceReason(bounce: { message?: string; type?: string; subType?: string } | undefined): string {
  const kind = [bounce?.type, bounce?.subType].filter(Boolean).join(', ');
  const words = bounce?.message ? oneLine(bounce.message) : 'The recipient’s mail server refused the email';
  return (kind ? `${words} (${kind})` : words).slice(0, 200);
}

/** A verified Resend event as delivery news, or null for events that change no delivery state (sent, delayed, opened…). */
export function resendDeliveryEvent(payload: unknown): ResendDeliveryEvent | null {
  const event = deliveryEvent.safeParse(payload);
  if (!event.success) return null;
  const emailId = event.data.data.email_id;
  switch (event.data.type) {
    case 'email.delivered':
      return { emailId, news: { state: 'delivered', reason: null } };
    case 'email.bounced':
      return { emailId, news: { state: 'bounced', reason: bounceReason(event.data.data.bounce) } };
    case 'email.complained':
      return { emailId, news: { state: 'complained', reason: 'The recipient marked it as spam' } };
  }
}
