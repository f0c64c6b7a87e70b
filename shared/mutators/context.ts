/**
 * What a mutator gets to work with. The host (client SQLite or server
 * PostgreSQL) builds the context; the mutator itself is the same code.
 */
import type { Kysely } from 'kysely';
import type { SyncedTables } from '../domain/tables';
import type { EntityName } from '../domain/entities';
import type { Role } from '../domain/roles';
import type { BusinessRules } from '../rules/business-rules';

export interface Actor {
  userId: string;
  role: Role;
}

export type ChangeOp = 'insert' | 'update' | 'delete';

/** One row written by a mutation, with its before and after images. */
export interface RowChange {
  entity: EntityName;
  id: string;
  op: ChangeOp;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
}

export interface MutationContext {
  /** The open transaction. */
  db: Kysely<SyncedTables>;
  actor: Actor;
  /** Instant stamped into updated_at (ISO-8601 UTC). */
  now: string;
  /** Rules in force for this mutation. */
  rules: BusinessRules;
  /**
   * Version to stamp on written rows: the server's change sequence, or null
   * on a client, where optimistic writes keep the version they had (0 for new
   * rows) until the server's copy arrives.
   */
  version: number | null;
  /** Rows written so far, in order. The host reads them after the mutator returns. */
  changes: RowChange[];
  /**
   * Refuses an edit based on a stale version (STALE_VERSION). The default
   * compares with the row's version; the server checks that no other client
   * wrote the row after `expected`.
   */
  checkVersion(entity: EntityName, row: { id: string; version: number }, expected: number): Promise<void>;
  /** Serialises writers on a row (SELECT … FOR UPDATE on PostgreSQL, nothing on SQLite). */
  lockRow(entity: EntityName, id: string): Promise<void>;
}
