/**
 * Verifies the audit chain: entries 1..tail in order, each linked to the
 * previous hash and hashing to its stored hash, and the last one equal to
 * the tail anchored in change_counter (so deleting the newest entries shows
 * too). Streams through the log by keyset pages.
 */
import type { Kysely } from 'kysely';
import { AUDIT_GENESIS_HASH } from '../../db/postgres/migrations';
import type { ServerTables } from '../../db/postgres/tables';
import type { AuditVerify } from '../../shared/sync/api';
import { readCounter } from '../sync/counter';
import { auditHash } from './chain';

const PAGE = 2000;

export async function verifyAuditChain(db: Kysely<ServerTables>): Promise<AuditVerify> {
  // The anchored tail first: every entry up to it has committed (writers hold the counter lock to commit).
  const head = await readCounter(db);
  let prev = AUDIT_GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expected)
      .where('seq', '<=', head.audit_seq)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      if (r.seq !== expected || r.prev_hash !== prev || auditHash(r.prev_hash, r) !== r.hash) {
        return { ok: false, checked, firstBrokenSeq: Math.min(r.seq, expected) };
      }
      checked++;
      prev = r.hash;
      expected++;
    }
    if (rows.length < PAGE) break;
  }
  // Entries missing at the end, or a tail that does not match the anchor.
  if (expected - 1 !== head.audit_seq || prev !== head.audit_hash) return { ok: false, checked, firstBrokenSeq: expected };
  return { ok: true, checked, firstBrokenSeq: null };
}
