// Messenger event kinds Parley does not act on (referral, optin, account_linking, handovers, standby,
// game plays, anything new): logged once per kind so an operator can see them, never an error. It must
// never flood the log: kinds are sanitised, and only the first few distinct kinds are remembered.
/** Keys every event has; the kind is the first other key. */
const ENVELOPE_KEYS = new Set(['sender', 'recipient', 'timestamp']);
const MAX_KIND_LENGTH = 40;
/** After this many distinct kinds, new ones are logged no more (one line says so). */
export const MAX_LOGGED_KINDS = 32;

/** The kind of a raw event: "referral", "optin", "policy_enforcement", …; "unknown" for anything that is not a plain word. */
export function eventKind(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'unknown';
  const key = Object.keys(raw).find((k) => !ENVELOPE_KEYS.has(k));
  return key && key.length <= MAX_KIND_LENGTH && /^[a-z_-]+$/.test(key) ? key : 'unknown';
}

export type IgnoredEventLog = (kind: string) => void;

/** Logs the first event of each kind it is told about, and nothing after. */
export function ignoredEventLog(log: (line: string) => void = (line) => console.warn(line)): IgnoredEventLog {
  const seen = new Set<string>();
  let full = false;
  return (kind) => {
    if (seen.has(kind) || full) return;
    if (seen.size >= MAX_LOGGED_KINDS) {
      full = true;
      log('[parley] messenger: more kinds of events are ignored; no more are logged');
      return;
    }
    seen.add(kind);
    log(`[parley] messenger: ignoring "${kind}" events (Parley does not act on them; logged once)`);
  };
}
