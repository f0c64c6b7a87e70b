/** Kysely types of the client-only tables (not synced). */
import type { SyncedTables } from '../../shared/domain/tables';

export interface OutboxTable {
  mutation_id: number;
  name: string;
  args: string;
  created_at: string;
}

export interface LocalTables extends SyncedTables {
  outbox: OutboxTable;
}
