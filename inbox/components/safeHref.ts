// Turns an address from a visitor, a webhook or a browser into something safe to link to: http(s) only,
// so a javascript: or data: address stays text on the screen.

/** The address to link to, or null when it must stay text (javascript:, data:, garbage). */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
