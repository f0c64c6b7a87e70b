/**
 * The change counter: one row every writing transaction locks first.
 * `nextSeq` hands out the transaction's change sequence; because the row lock
 * is held to commit, sequences become visible in commit order and a reader by
 * cursor never skips a row (DESIGN §5). It also carries the audit chain's
 * tail and the rules revision, so one round trip gives a writer all three.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ChangeCounterTable, ServerTables } from '../../db/postgres/tables';

export type Counter = Omit<ChangeCounterTable, 'id'>;

/** Takes the next change sequence (and the writer lock) in this transaction. */
export async function nextSeq(trx: Transaction<ServerTables>): Promise<Counter> {
  return trx
    .updateTable('change_counter')
    .set({ seq: sql<number>`seq + 1` })
    .where('id', '=', 1)
    .returning(['seq', 'min_seq', 'rules_revision', 'audit_seq', 'audit_hash'])
    .executeTakeFirstOrThrow();
}

/** Takes the writer lock without using a sequence number. */
export async function lockCounter(trx: Transaction<ServerTables>): Promise<Counter> {
  return trx
    .selectFrom('change_counter')
    .select(['seq', 'min_seq', 'rules_revision', 'audit_seq', 'audit_hash'])
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** The last committed state, without locking (readers). */
export async function readCounter(db: Kysely<ServerTables>): Promise<Counter> {
  return db
    .selectFrom('change_counter')
    .select(['seq', 'min_seq', 'rules_revision', 'audit_seq', 'audit_hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
}
