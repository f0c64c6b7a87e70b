/**
 * The audit trail: one entry per applied or rejected financial mutation (and
 * per administrative change), written in the same transaction as the change
 * it records, and hash-chained:
 *
 *   hash(n) = SHA-256( hash(n-1) ‖ canonical JSON of entry n without its hashes )
 *
 * The chain's tail (seq and hash) is anchored in the change_counter row,
 * which every writer locks first, so concurrent transactions cannot fork the
 * chain and deleting the newest entries is detected as well.
 */
import { createHash } from 'node:crypto';
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { ServerTables } from '../../db/postgres/tables';
import { canonicalJson } from './canonical';

/** What the caller says about an entry; seq, hashes and change_seq are filled in here. */
export interface AuditInput {
  at: string;
  userId: string;
  clientId: string | null;
  mutationId: number | null;
  mutation: string;
  status: 'applied' | 'rejected';
  code: string | null;
  message: string | null;
  entity: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
}

/** The chain's tail as read (under lock) from change_counter. */
export interface AuditHead {
  audit_seq: number;
  audit_hash: string;
}

/** The hashed content of an entry: every stored column except prev_hash and hash. */
export interface AuditHashed {
  seq: number;
  at: string;
  user_id: string;
  client_id: string | null;
  mutation_id: number | null;
  mutation: string;
  status: string;
  code: string | null;
  message: string | null;
  entity: string | null;
  entity_id: string | null;
  change_seq: number;
  before: unknown;
  after: unknown;
  details: unknown;
}

export function auditHash(prevHash: string, entry: AuditHashed): string {
  const content: AuditHashed = {
    seq: entry.seq,
    at: entry.at,
    user_id: entry.user_id,
    client_id: entry.client_id,
    mutation_id: entry.mutation_id,
    mutation: entry.mutation,
    status: entry.status,
    code: entry.code,
    message: entry.message,
    entity: entry.entity,
    entity_id: entry.entity_id,
    change_seq: entry.change_seq,
    before: entry.before ?? null,
    after: entry.after ?? null,
    details: entry.details ?? null,
  };
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

/** Replaces NUL characters in strings and keys (PostgreSQL's jsonb refuses them). */
function withoutNul(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '\ufffd') : value;
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => withoutNul(v, depth + 1));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll('\u0000', '\ufffd'), withoutNul(v, depth + 1)]));
}

/** JSON as PostgreSQL will store and return it (undefined dropped, NUL characters replaced). */
function jsonText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(withoutNul(value));
}

/**
 * The statements that append one entry after `head` (which the caller read
 * under the change_counter lock in this transaction) and move the anchored
 * tail — for the caller to run, alone or with its other writes in one
 * round trip (see sync/finish). Returns them with the new head.
 */
export function auditStatements(head: AuditHead, changeSeq: number, input: AuditInput): { insert: RawBuilder<unknown>; tail: RawBuilder<unknown>; head: AuditHead } {
  const before = jsonText(input.before);
  const after = jsonText(input.after);
  const details = jsonText(input.details);
  const entry: AuditHashed = {
    seq: head.audit_seq + 1,
    at: input.at,
    user_id: input.userId,
    client_id: input.clientId,
    mutation_id: input.mutationId,
    mutation: input.mutation,
    status: input.status,
    code: input.code,
    message: input.message,
    entity: input.entity,
    entity_id: input.entityId,
    change_seq: changeSeq,
    // Hash what will be read back, not the JS objects we happen to hold.
    before: before === null ? null : JSON.parse(before),
    after: after === null ? null : JSON.parse(after),
    details: details === null ? null : JSON.parse(details),
  };
  const hash = auditHash(head.audit_hash, entry);
  return {
    tail: sql`update change_counter set audit_seq = ${entry.seq}, audit_hash = ${hash} where id = 1`,
    insert: sql`insert into audit_log (seq, prev_hash, hash, at, user_id, client_id, mutation_id, mutation, status, code, message,
                           entity, entity_id, change_seq, before, after, details)
    values (${entry.seq}, ${head.audit_hash}, ${hash}, ${entry.at}, ${entry.user_id}, ${entry.client_id}, ${entry.mutation_id},
            ${entry.mutation}, ${entry.status}, ${entry.code}, ${entry.message}, ${entry.entity}, ${entry.entity_id},
            ${changeSeq}, ${before}::jsonb, ${after}::jsonb, ${details}::jsonb)`,
    head: { audit_seq: entry.seq, audit_hash: hash },
  };
}

/** Appends one entry after `head` in one round trip; returns the new head. */
export async function appendAudit(trx: Transaction<ServerTables>, head: AuditHead, changeSeq: number, input: AuditInput): Promise<AuditHead> {
  const s = auditStatements(head, changeSeq, input);
  await sql`with tail as (${s.tail}) ${s.insert}`.execute(trx);
  return s.head;
}
