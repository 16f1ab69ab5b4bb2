// How far an outgoing email or Messenger message has got, beside its channel label: "Queued", "Sent",
// "Delivered", "Read", or "Failed: <why>" / "Bounced: <why>" in the error colour, so a reply that never
// arrived gets noticed.
import type { DeliveryState } from '../../shared/protocol';

const LABELS: Record<DeliveryState, string> = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Failed',
  bounced: 'Bounced',
  complained: 'Marked as spam',
};

export const deliveryText = (state: DeliveryState, error?: string | null): string =>
  (state === 'failed' || state === 'bounced') && error ? `${LABELS[state]}: ${error}` : LABELS[state];

export function DeliveryBadge({ state, error }: { state: DeliveryState; error?: string | null }) {
  return <span class={`delivery-state ${state}`}>{deliveryText(state, error)}</span>;
}
