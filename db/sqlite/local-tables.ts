/** Kysely types of the client-only tables (not synced). */
import type { ColumnType } from 'kysely';
import type { SyncedTables } from '../../shared/domain/tables';

export interface OutboxTable {
  mutation_id: number;
  name: string;
  args: string;
  created_at: string;
  /** 1 when undo images exist (0: made before migration 3, applied in place until acknowledged). */
  undoable: ColumnType<number, number | undefined, number>;
  /** Set when the last local replay was refused by the local rules (the mutation stays pending). */
  local_code: ColumnType<string | null, string | null | undefined, string | null>;
  local_message: ColumnType<string | null, string | null | undefined, string | null>;
  /** The rejected mutation this one resubmits (edit-and-resubmit). */
  resubmits: ColumnType<number | null, number | null | undefined, number | null>;
}

/** Before/after images of the rows a pending mutation wrote (migration 3). */
export interface UndoLogTable {
  mutation_id: number;
  idx: number;
  entity: string;
  row_id: string;
  /** JSON of the full row before the mutation; null when it inserted the row. */
  before: string | null;
  /** JSON of the full row after the mutation. */
  after: string;
}

export type RejectionStatus = 'open' | 'discarded' | 'resubmitted';

/** A mutation the server refused: the analyst's inbox (migration 3). */
export interface RejectionTable {
  mutation_id: number;
  name: string;
  /** JSON of the arguments as pushed. */
  args: string;
  created_at: string;
  rejected_at: string;
  server_seq: number;
  code: string;
  message: string;
  /** JSON array of Problem. */
  problems: string;
  /** JSON object. */
  details: string;
  status: ColumnType<RejectionStatus, RejectionStatus | undefined, RejectionStatus>;
  resolved_at: string | null;
  resubmitted_as: number | null;
}

/** Versions the server stamped for this client's own applied mutations (migration 3). */
export interface OwnWriteTable {
  entity: string;
  row_id: string;
  version: number;
}

export interface SyncMetaTable {
  key: string;
  value: string;
}

export interface LocalTables extends SyncedTables {
  outbox: OutboxTable;
  sync_meta: SyncMetaTable;
  undo_log: UndoLogTable;
  rejection: RejectionTable;
  own_write: OwnWriteTable;
}
