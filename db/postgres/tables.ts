/**
 * Kysely table types of the server's PostgreSQL database: the synced tables
 * (the same as the client's, so the shared mutators run on both) plus the
 * server-only tables of accounts, sync bookkeeping and the audit trail.
 *
 * Conventions: instants are ISO-8601 UTC TEXT (as in the synced tables, so a
 * value reads back byte for byte and hashes the same); BIGINT columns read as
 * JS numbers (range-checked, see ./connect); JSONB columns are written as JSON
 * text and read back parsed.
 */
import type { ColumnType } from 'kysely';
import type { SyncedTables } from '../../shared/domain/tables';
import type { Role } from '../../shared/domain/roles';

/** A JSONB column: insert JSON text (never a JS array, which pg would send as a PostgreSQL array), read parsed JSON. */
export type JsonbColumn<T = unknown> = ColumnType<T, string, string>;
/** A JSONB column that may be NULL. */
export type NullableJsonbColumn<T = unknown> = ColumnType<T | null, string | null, string | null>;

export interface UsersTable {
  id: string;
  /** Lower-case login name, unique. */
  username: string;
  /** scrypt$N$r$p$salt$hash (see server/auth/passwords). */
  password_hash: string;
  role: Role;
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface RefreshTokenTable {
  id: string;
  /** Tokens minted from one login share a family; reuse of a rotated token revokes the family. */
  family_id: string;
  user_id: string;
  /** SHA-256 (hex) of the opaque token; the token itself is never stored. */
  token_hash: string;
  created_at: string;
  expires_at: string;
  /** Set when the token was exchanged for a new one. */
  rotated_at: string | null;
  revoked_at: string | null;
}

/**
 * The single row (id = 1) every writing transaction updates first. Its row
 * lock serialises writers, so change-log sequence numbers become visible in
 * commit order and the audit chain cannot fork.
 */
export interface ChangeCounterTable {
  id: number;
  /** Last change sequence handed out. */
  seq: number;
  /** The change log holds every change with seq > min_seq (older ones were pruned). */
  min_seq: number;
  /** Bumped whenever a business_rules revision is written (rules cache key). */
  rules_revision: number;
  /** Seq and hash of the last audit entry: the anchored tail of the hash chain. */
  audit_seq: number;
  audit_hash: string;
}

export interface ChangeLogTable {
  seq: number;
  /** Position of the change within its seq (one mutation may write several rows). */
  idx: number;
  entity: string;
  id: string;
  op: 'insert' | 'update' | 'delete';
  /** The full row after the change, as JSON text (spliced into pull responses as is). */
  row: string;
  /** Client whose mutation wrote it (null for server-side writes such as rules revisions). */
  client_id: string | null;
  mutation_id: number | null;
}

export interface ClientStateTable {
  client_id: string;
  user_id: string;
  last_mutation_id: number;
  created_at: string;
  updated_at: string;
}

export interface MutationResultTable {
  client_id: string;
  mutation_id: number;
  /** Change sequence of the transaction that decided it (pull delivers results by it). */
  seq: number;
  name: string;
  status: 'applied' | 'rejected';
  code: string | null;
  message: string | null;
  /** Rejection: {problems, details}. */
  details: NullableJsonbColumn;
  /** Applied: {versions}. */
  result: NullableJsonbColumn;
  created_at: string;
}

export interface AuditLogTable {
  seq: number;
  prev_hash: string;
  hash: string;
  at: string;
  user_id: string;
  client_id: string | null;
  mutation_id: number | null;
  mutation: string;
  status: 'applied' | 'rejected';
  code: string | null;
  message: string | null;
  entity: string | null;
  entity_id: string | null;
  /** Change sequence of the transaction that wrote the entry. */
  change_seq: number;
  before: NullableJsonbColumn;
  after: NullableJsonbColumn;
  details: NullableJsonbColumn;
}

export interface ServerSecretTable {
  name: string;
  value: string;
  created_at: string;
}

export interface SchemaMigrationTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface ServerTables extends SyncedTables {
  users: UsersTable;
  refresh_token: RefreshTokenTable;
  change_counter: ChangeCounterTable;
  change_log: ChangeLogTable;
  client_state: ClientStateTable;
  mutation_result: MutationResultTable;
  audit_log: AuditLogTable;
  server_secret: ServerSecretTable;
  schema_migration: SchemaMigrationTable;
}
