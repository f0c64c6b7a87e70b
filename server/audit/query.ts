/** GET /v1/audit: entries by entity, record and time, in chain order, paged by seq. */
import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, ServerTables } from '../../db/postgres/tables';
import type { AuditEntry, AuditPage } from '../../shared/sync/api';

export function toAuditEntry(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: r.seq,
    prevHash: r.prev_hash,
    hash: r.hash,
    at: r.at,
    userId: r.user_id,
    clientId: r.client_id,
    mutationId: r.mutation_id,
    mutation: r.mutation,
    status: r.status,
    code: r.code,
    message: r.message,
    entity: r.entity,
    entityId: r.entity_id,
    changeSeq: r.change_seq,
    before: r.before,
    after: r.after,
    details: r.details,
  };
}

export interface AuditFilter {
  entity?: string | undefined;
  id?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  after?: number | undefined;
  limit: number;
}

export async function queryAudit(db: Kysely<ServerTables>, f: AuditFilter): Promise<AuditPage> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('seq').limit(f.limit + 1);
  if (f.entity !== undefined) q = q.where('entity', '=', f.entity);
  if (f.id !== undefined) q = q.where('entity_id', '=', f.id);
  // Instants are ISO-8601 UTC text, which sorts in time order; a bare date means its midnight UTC.
  if (f.from !== undefined) q = q.where('at', '>=', f.from);
  if (f.to !== undefined) q = q.where('at', '<', f.to);
  if (f.after !== undefined) q = q.where('seq', '>', f.after);
  const rows = await q.execute();
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return { entries: page.map(toAuditEntry), nextAfter: more ? page[page.length - 1]!.seq : null };
}
