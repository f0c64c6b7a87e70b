/** Stored mutation results ⇄ wire results. */
import type { Selectable } from 'kysely';
import type { MutationResultTable } from '../../db/postgres/tables';
import type { ErrorCode, Problem } from '../../shared/errors';
import type { MutationResult, RowVersion } from '../../shared/sync/protocol';

export function toWireResult(row: Selectable<MutationResultTable>): MutationResult {
  if (row.status === 'applied') {
    const result = (row.result ?? {}) as { versions?: RowVersion[] };
    return { id: row.mutation_id, name: row.name, status: 'applied', seq: row.seq, versions: result.versions ?? [] };
  }
  const details = (row.details ?? {}) as { problems?: Problem[]; details?: Record<string, unknown> };
  return {
    id: row.mutation_id,
    name: row.name,
    status: 'rejected',
    seq: row.seq,
    code: (row.code ?? 'INTERNAL') as ErrorCode,
    message: row.message ?? '',
    problems: details.problems ?? [],
    details: details.details ?? {},
  };
}
