// What inbox search reads from storage: messages by the words they contain, contacts by name or
// address. How words become a query is the engine's business (sqlite/search.ts: FTS5).

export interface ContactMatch {
  /** Their most recent conversation. */
  conversationId: number;
  name: string | null;
  email: string | null;
}

export interface MessageHit {
  conversationId: number;
  messageId: number;
  body: string;
}

export interface SearchStore {
  /**
   * Contacts, and web visitors who only typed an address, whose name or email contains `text`
   * (character for character: no wildcards), those who spoke last first.
   */
  contacts(text: string, limit: number): Promise<ContactMatch[]>;
  /** Messages with every one of `words`, the last perhaps unfinished: newest first, ids below `beforeId`. */
  messages(words: string[], beforeId: number, limit: number): Promise<MessageHit[]>;
  /** Resolves once every message stored so far can be found (an index may trail the writes a little). */
  caughtUp(): Promise<void>;
}
