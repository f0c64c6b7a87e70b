/**
 * A mutation transaction's bookkeeping — change-log rows, the stored result,
 * the audit entry and the chain's tail — written in ONE statement of
 * data-modifying CTEs. Writers are serialised by the change-counter lock,
 * so every round trip saved inside it is throughput gained.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { ServerTables } from '../../db/postgres/tables';
import type { RowChange } from '../../shared/mutators/context';
import { writeChanges } from './changes';

/** Change-log rows inlined in the combined statement; beyond this they get their own INSERTs. */
const INLINE_CHANGES = 500;

export function changeLogInsert(seq: number, changes: readonly RowChange[], clientId: string | null, mutationId: number | null): RawBuilder<unknown> | null {
  if (changes.length === 0) return null;
  const rows = changes.map(
    (c, idx) => sql`(${seq}, ${idx}, ${c.entity}, ${c.id}, ${c.op}, ${JSON.stringify(c.after)}, ${clientId}, ${mutationId})`,
  );
  return sql`insert into change_log (seq, idx, entity, id, op, row, client_id, mutation_id) values ${sql.join(rows)}`;
}

export interface MutationResultValues {
  clientId: string;
  mutationId: number;
  seq: number;
  name: string;
  status: 'applied' | 'rejected';
  code: string | null;
  message: string | null;
  details: string | null;
  result: string | null;
  createdAt: string;
}

export function mutationResultInsert(v: MutationResultValues): RawBuilder<unknown> {
  return sql`insert into mutation_result (client_id, mutation_id, seq, name, status, code, message, details, result, created_at)
    values (${v.clientId}, ${v.mutationId}, ${v.seq}, ${v.name}, ${v.status}, ${v.code}, ${v.message}, ${v.details}::jsonb, ${v.result}::jsonb, ${v.createdAt})`;
}

/** Runs the statements as one: `with w0 as (…), w1 as (…) select 1`. */
export async function runTogether(trx: Transaction<ServerTables>, statements: readonly (RawBuilder<unknown> | null)[]): Promise<void> {
  const parts = statements.filter((s): s is RawBuilder<unknown> => s !== null);
  if (parts.length === 0) return;
  const ctes = parts.map((p, i) => sql`${sql.raw(`w${i}`)} as (${p})`);
  await sql`with ${sql.join(ctes)} select 1`.execute(trx);
}

/** Change-log statement for the combined write, or (for very large mutations) written now in chunks. */
export async function changeLogPart(
  trx: Transaction<ServerTables>,
  seq: number,
  changes: readonly RowChange[],
  clientId: string | null,
  mutationId: number | null,
): Promise<RawBuilder<unknown> | null> {
  if (changes.length <= INLINE_CHANGES) return changeLogInsert(seq, changes, clientId, mutationId);
  await writeChanges(trx, seq, changes, clientId, mutationId);
  return null;
}
