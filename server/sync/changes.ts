/** Writing the change log: every RowChange of a transaction becomes one row (seq, idx), in one INSERT. */
import type { Transaction } from 'kysely';
import type { ServerTables } from '../../db/postgres/tables';
import type { RowChange } from '../../shared/mutators/context';
import type { RowVersion } from '../../shared/sync/protocol';

/** Rows per INSERT statement (keeps the parameter count far below PostgreSQL's 65,535). */
const CHUNK = 1000;

export async function writeChanges(
  trx: Transaction<ServerTables>,
  seq: number,
  changes: readonly RowChange[],
  clientId: string | null,
  mutationId: number | null,
): Promise<void> {
  for (let start = 0; start < changes.length; start += CHUNK) {
    const values = changes.slice(start, start + CHUNK).map((c, i) => ({
      seq,
      idx: start + i,
      entity: c.entity,
      id: c.id,
      op: c.op,
      row: JSON.stringify(c.after),
      client_id: clientId,
      mutation_id: mutationId,
    }));
    await trx.insertInto('change_log').values(values).execute();
  }
}

/** The new version of every row a mutation wrote (each row once). */
export function versionsOf(changes: readonly RowChange[], seq: number): RowVersion[] {
  const seen = new Set<string>();
  const out: RowVersion[] = [];
  for (const c of changes) {
    const key = `${c.entity}\u0000${c.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ entity: c.entity, id: c.id, version: seq });
  }
  return out;
}
