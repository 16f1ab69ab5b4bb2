// The storage seam: everything Parley keeps, as the services, routes and channels use it. Nothing
// above this folder holds a database handle. Every store answers with promises, so one service code
// runs on either engine: sqlite/ (the embedded default, openSqliteStorage) and pg/ (PostgreSQL,
// openPostgresStorage). A store's *.test.ts runs the same cases on both (testing/engines.ts).
import type { BatchWriter } from '../db/groupCommit';
import type { AgentStore } from './agents';
import type { AttachmentStore } from './attachments';
import type { ConversationStore } from './conversations';
import type { EmailStore } from './email';
import type { MessengerStore } from './messenger';
import type { NoteStore } from './notes';
import type { SavedResponseStore } from './savedResponses';
import type { SearchStore } from './search';
import type { SettingsStore } from './settings';

export type { AgentProfile, AgentStore, NewAgent, NewSession, StoredAvatar } from './agents';
export type { AttachmentRow, AttachmentStore, NewAttachmentRow } from './attachments';
export type {
  ConversationRow,
  ConversationStore,
  DeliveryChange,
  IsOnline,
  ListQuery,
  NewMessage,
  StoredMessage,
  Visit,
  VisitorIdentity,
  VisitorRow,
} from './conversations';
export type { EmailStore, InboundEmailOriginal, NewInboundEmailRow, NewOutboxRow, OutboxRow } from './email';
export type { DeliveryReport, MessengerStore } from './messenger';
export type { NewNote, NoteStore } from './notes';
export type { SavedResponseFields, SavedResponseStore } from './savedResponses';
export type { ContactMatch, MessageHit, SearchStore } from './search';
export type { SettingsStore } from './settings';
export type { BatchWriter };
export { isDuplicateKey } from './duplicateKey';

/** Every store, as the code above this folder reaches them: outside a transaction, or inside one (`tx`). */
export interface Stores {
  agents: AgentStore;
  attachments: AttachmentStore;
  conversations: ConversationStore;
  email: EmailStore;
  messenger: MessengerStore;
  notes: NoteStore;
  savedResponses: SavedResponseStore;
  search: SearchStore;
  settings: SettingsStore;
}

/**
 * Transactions hand `work` the stores bound to them (`tx`): what it does through `tx` commits or rolls
 * back together. Inside `work`, use only `tx`: a call through the outer stores waits for the
 * transaction to end (SQLite) or runs beside it (PostgreSQL), so it would wait for itself.
 */
export interface Storage extends Stores {
  /** Runs `work` in one transaction, committed (durably) before this resolves. */
  transaction<T>(work: (tx: Stores) => Promise<T>): Promise<T>;
  /**
   * Group commit: `store` writes items and returns one result each, in order; `add` resolves once its
   * item is on disk. Everything that arrived while the last batch was written goes in the next one, in
   * one transaction and one call of `store` (so it can write the batch in a few statements); if that
   * fails, each item is stored alone (a call with one item), so only the item at fault fails.
   * `afterDurable` runs per batch, before any `add` resolves (fan-out goes there); when it returns a
   * promise, the batch's `add`s resolve once it settles (acknowledged means announced).
   */
  durableBatches<In, Out>(steps: {
    store(tx: Stores, items: In[]): Promise<Out[]>;
    afterDurable?(items: In[], results: (Out | Error)[]): unknown;
  }): BatchWriter<In, Out>;
  /** Like `transaction`, for large writes: on SQLite the fsync runs off the event loop. */
  commitDurably<T>(work: (tx: Stores) => Promise<T>): Promise<T>;
  /** For health checks: 'ok' when a write commits now (it writes a probe), else why not, quickly. */
  probeWrite(now: number): Promise<string>;
}

/** A storage engine as the server runs it: the store, its background threads, and how to close it. */
export interface OpenStorage {
  storage: Storage;
  /** Each background thread the engine runs, by name, and whether it still runs (GET /healthz). */
  workers: Record<string, () => boolean>;
  /** Stops the background threads and closes the store; call once nothing writes any more. */
  close(): Promise<void>;
}
