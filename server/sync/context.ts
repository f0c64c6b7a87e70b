/**
 * The server's MutationContext: the shared mutators run in a PostgreSQL
 * transaction, stamp the change sequence as the version, and get the
 * server's rules for stale edits and row locks.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ServerTables } from '../../db/postgres/tables';
import { ENTITY_NAMES, type EntityName } from '../../shared/domain/entities';
import type { SyncedTables } from '../../shared/domain/tables';
import { MeridianError } from '../../shared/errors';
import type { Actor, MutationContext } from '../../shared/mutators/context';
import type { BusinessRules } from '../../shared/rules/business-rules';

export interface ServerContextInput {
  actor: Actor;
  now: string;
  rules: BusinessRules;
  /** Change sequence of this transaction. */
  seq: number;
  /** The change log holds every change after this seq. */
  minSeq: number;
  /** Client whose mutation this is (edits of its own earlier changes are never stale). */
  clientId: string | null;
}

const label = (entity: EntityName) => entity.replace(/_/g, ' ');

export function serverMutationContext(trx: Transaction<ServerTables>, input: ServerContextInput): MutationContext {
  return {
    db: trx as unknown as Kysely<SyncedTables>,
    actor: input.actor,
    now: input.now,
    rules: input.rules,
    version: input.seq,
    changes: [],
    /**
     * Stale iff another writer (another client, or the server itself) changed
     * the row after the version the edit was based on. A client's chain of
     * offline edits to one row, all based on the version it last pulled, is
     * not a conflict with itself.
     */
    async checkVersion(entity, row, expected) {
      if (row.version <= expected) return;
      const stale = () =>
        new MeridianError(
          'STALE_VERSION',
          `This ${label(entity)} was changed by someone else (now version ${row.version}) after the version ${expected} your edit was based on; review the current values and submit again.`,
          { entity, id: row.id, expectedVersion: expected, currentVersion: row.version },
        );
      // The history before minSeq was pruned: the edit cannot be shown to be current.
      if (expected < input.minSeq) throw stale();
      let q = trx.selectFrom('change_log').select('seq').where('entity', '=', entity).where('id', '=', row.id).where('seq', '>', expected);
      const clientId = input.clientId;
      if (clientId !== null) q = q.where((eb) => eb.or([eb('client_id', 'is', null), eb('client_id', '!=', clientId)]));
      const other = await q.limit(1).executeTakeFirst();
      if (other) throw stale();
    },
    async lockRow(entity, id) {
      if (!ENTITY_NAMES.includes(entity)) throw new Error(`lockRow: unknown entity ${String(entity)}`);
      await sql`select 1 from ${sql.table(entity)} where id = ${id} for update`.execute(trx);
    },
  };
}
