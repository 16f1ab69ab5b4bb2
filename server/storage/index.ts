// The storage seam: everything Parley keeps, as the services, routes and channels use it. Nothing
// above this folder holds a database handle; sqlite/ is the implementation the server runs
// (openSqliteStorage). A store whose methods return promises can be implemented on PostgreSQL too
// (pg/: notes, savedResponses and settings so far), and its *.test.ts runs the same cases on both engines.
// The others are still synchronous, as better-sqlite3 is; each turns asynchronous when its PostgreSQL
// twin is written.
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

export interface Storage {
  agents: AgentStore;
  attachments: AttachmentStore;
  conversations: ConversationStore;
  email: EmailStore;
  messenger: MessengerStore;
  notes: NoteStore;
  savedResponses: SavedResponseStore;
  search: SearchStore;
  settings: SettingsStore;

  /** Runs `work` in one transaction: every store call inside it commits or rolls back together. */
  transaction<T>(work: () => T): T;
  /**
   * Group commit: `store` writes one item, `add` resolves once it is on disk; everything that arrived
   * while the last batch was written goes in the next one. `afterDurable` runs per batch, before any
   * `add` resolves (fan-out goes there).
   */
  durableBatches<In, Out>(steps: { store(item: In): Out; afterDurable?(items: In[], results: (Out | Error)[]): void }): BatchWriter<In, Out>;
  /** `work` in one transaction, resolved once on disk without blocking the event loop (large writes). */
  commitDurably<T>(work: () => T): Promise<T>;
  /** For health checks: 'ok' when a write commits now (it writes a probe), else why not, quickly. */
  probeWrite(now: number): string;
}

/** A storage engine as the server runs it: the store, its background threads, and how to close it. */
export interface OpenStorage {
  storage: Storage;
  /** Each background thread the engine runs, by name, and whether it still runs (GET /healthz). */
  workers: Record<string, () => boolean>;
  /** Stops the background threads and closes the store; call once nothing writes any more. */
  close(): Promise<void>;
}
