/**
 * Business-rules revisions on the server. A revision is a synced row
 * (business_rules), written through the change log so every client pulls
 * it, and audited. The first revision is seeded at start-up from the
 * deployment's environment (DESIGN §3) or the defaults.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ServerTables } from '../../db/postgres/tables';
import type { BusinessRulesRow } from '../../shared/domain/entities';
import type { SyncedTables } from '../../shared/domain/tables';
import { newId } from '../../shared/ids';
import { loadRules } from '../../shared/mutators/queries';
import type { BusinessRules } from '../../shared/rules/business-rules';
import { appendAudit } from '../audit/chain';
import { writeChanges } from '../sync/changes';
import type { Counter } from '../sync/counter';

/** The rules in force, re-read only when the counter's rules_revision moved. */
export class RulesCache {
  private revision = -1;
  private rules: BusinessRules | null = null;

  async get(trx: Transaction<ServerTables> | Kysely<ServerTables>, revision: number): Promise<BusinessRules> {
    if (this.rules === null || revision !== this.revision) {
      this.rules = await loadRules(trx as unknown as Kysely<SyncedTables>);
      this.revision = revision;
    }
    return this.rules;
  }
}

export interface RulesRevision {
  revision: number;
  version: number;
  rules: BusinessRules;
}

/**
 * Writes a new rules revision in `trx`, which must hold the change counter
 * (`counter` = the nextSeq() result: its seq becomes the row's version).
 */
export async function writeRulesRevision(
  trx: Transaction<ServerTables>,
  counter: Counter,
  rules: BusinessRules,
  by: { userId: string; now: string; reason: string },
): Promise<RulesRevision> {
  const previous = await trx.selectFrom('business_rules').selectAll().orderBy('revision', 'desc').limit(1).executeTakeFirst();
  const revision = (previous?.revision ?? 0) + 1;
  const row: BusinessRulesRow = {
    id: newId(),
    revision,
    body: JSON.stringify(rules),
    version: counter.seq,
    updated_at: by.now,
    updated_by: by.userId,
    deleted_at: null,
  };
  await trx.insertInto('business_rules').values(row).execute();
  await writeChanges(trx, counter.seq, [{ entity: 'business_rules', id: row.id, op: 'insert', before: null, after: row }], null, null);
  await trx.updateTable('change_counter').set({ rules_revision: revision }).where('id', '=', 1).execute();
  await appendAudit(trx, counter, counter.seq, {
    at: by.now,
    userId: by.userId,
    clientId: null,
    mutationId: null,
    mutation: 'putBusinessRules',
    status: 'applied',
    code: null,
    message: by.reason,
    entity: 'business_rules',
    entityId: row.id,
    before: previous ? { ...previous, body: JSON.parse(previous.body) as unknown } : null,
    after: { ...row, body: rules },
    details: { revision },
  });
  return { revision, version: counter.seq, rules };
}
