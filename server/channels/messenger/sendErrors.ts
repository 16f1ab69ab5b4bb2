// Turns a failed Send API call into words an agent can act on, and says whether trying again soon
// can help. The reason is shown on the failed message in the inbox, so it must never be vague.
import type { GraphFailure } from './graphClient';

const OUTSIDE_WINDOW_SUBCODE = 2018278;
/** Meta's rate limits: 4 for the app, 613 for calls to this API. */
const RATE_LIMIT_CODES = new Set([4, 613]);
const TEMPORARILY_UNAVAILABLE = 2;
const MAX_META_MESSAGE_LENGTH = 300;

export interface SendProblem {
  reason: string;
  /** True when the same call may succeed after a short wait. */
  retry: boolean;
}

export function describeSendFailure(failure: GraphFailure): SendProblem {
  if (failure.kind === 'network') return { reason: `Could not reach the Graph API: ${failure.message}`, retry: false };
  const { code, subcode } = failure;
  if (code === 10 && subcode === OUTSIDE_WINDOW_SUBCODE) {
    return { reason: "Outside Messenger's 24-hour window: reply with the HUMAN_AGENT tag (up to 7 days)", retry: false };
  }
  if (code === 551) return { reason: "This person isn't available on Messenger right now", retry: false };
  if (code === 190) return { reason: 'The Messenger page token has expired; update MESSENGER_PAGE_TOKEN', retry: false };
  if (RATE_LIMIT_CODES.has(code)) return { reason: "Messenger's rate limit was reached; try again in a few minutes", retry: true };
  if (code === TEMPORARILY_UNAVAILABLE) return { reason: 'Messenger is temporarily unavailable; try again in a few minutes', retry: true };
  const detail = failure.message.slice(0, MAX_META_MESSAGE_LENGTH) || `error #${code}`;
  return { reason: `Messenger refused the message: ${detail}`, retry: false };
}
