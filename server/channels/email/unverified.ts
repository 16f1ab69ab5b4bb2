// Mail to an address a visitor only typed. Anyone can type anyone's address, so such mail says where
// the address came from, and at most `perDay` emails go to one such address in 24 hours: the chat
// must not become a way to send a stranger a stream of mail with the visitor's words in it.
import type { Stores } from '../../storage';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The one line on top of every email to an unverified address (text; the HTML part escapes it). */
export const unverifiedNotice = (siteName: string): string =>
  `This address was typed into the chat on the ${siteName} website. If that wasn't you, you can ignore this email (replying would link you to that chat).`;

/**
 * Why one more email to this unverified address must not go out now, or null when it may. Every
 * email to the address counts (from any conversation, verified ones too): the cap then holds
 * however many visitors typed it.
 */
export async function unverifiedLimitRefusal(storage: Stores, address: string, perDay: number, now: number): Promise<string | null> {
  if (perDay === 0) return 'Not sent: this server sends no email to addresses visitors typed but never verified';
  const sent = await storage.email.emailsSentToSince(address, now - DAY_MS);
  if (sent < perDay) return null;
  return `Not sent: ${perDay} emails already went to this unverified address in the last 24 hours. Reply by chat, or wait until the visitor verifies it.`;
}
