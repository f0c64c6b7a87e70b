/**
 * Pull (DESIGN §5): the changes after a cursor, in (seq, idx) order, by
 * keyset on the change log's primary key. Everything a page says is bounded
 * by one upper seq S read first from the change counter: every transaction
 * with seq ≤ S has committed (seqs are handed out under a row lock held to
 * commit), so a page never skips a change that commits later with a lower seq.
 *
 * The page is serialised by PostgreSQL (string_agg over the stored JSON
 * rows): a row is never parsed, turned into a JS object and re-serialised on
 * its way out, which keeps pull close to the speed of a raw read.
 */
import { sql, type Kysely } from 'kysely';
import type { ServerTables } from '../../db/postgres/tables';
import { ENTITY_NAMES, type EntityName } from '../../shared/domain/entities';
import type { MutationResult, PullResync } from '../../shared/sync/protocol';
import { ClientOwnershipError } from './push';
import { readCounter } from './counter';
import { toWireResult } from './results';

interface ClientView {
  lastMutationIdAt(seq: number): Promise<number>;
}

async function clientView(db: Kysely<ServerTables>, clientId: string, userId: string): Promise<ClientView | null> {
  const state = await db.selectFrom('client_state').select(['user_id', 'last_mutation_id']).where('client_id', '=', clientId).executeTakeFirst();
  if (!state) return null;
  if (state.user_id !== userId) throw new ClientOwnershipError(clientId);
  return {
    async lastMutationIdAt(seq: number) {
      const r = await db
        .selectFrom('mutation_result')
        .select((eb) => eb.fn.max('mutation_id').as('m'))
        .where('client_id', '=', clientId)
        .where('seq', '<=', seq)
        .executeTakeFirst();
      return r?.m == null ? 0 : Number(r.m);
    },
  };
}

export interface PullInput {
  clientId: string;
  userId: string;
  cursor: number;
  limit: number;
}

/**
 * Returns the response body as JSON text (kind 'changes' or 'resync'). The
 * page is read in one REPEATABLE READ snapshot, so a concurrent prune of the
 * change log cannot remove rows between reading the horizon and the rows.
 */
export async function pullPage(db: Kysely<ServerTables>, input: PullInput): Promise<string> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => readPage(trx, input));
}

async function readPage(db: Kysely<ServerTables>, input: PullInput): Promise<string> {
  const { clientId, cursor, limit } = input;
  const view = await clientView(db, clientId, input.userId);
  const counter = await readCounter(db);
  const upper = counter.seq;

  if (cursor < counter.min_seq || cursor > upper) {
    const resync: PullResync = {
      kind: 'resync',
      reason: cursor > upper ? 'cursor_ahead' : 'history_pruned',
      message:
        cursor > upper
          ? `Cursor ${cursor} is ahead of the server's history (last change ${upper}); the server was probably restored from a backup. Reload everything from a snapshot.`
          : `Changes up to ${counter.min_seq} are no longer kept and this client last synced at ${cursor}; reload everything from a snapshot.`,
      cursor: upper,
      minCursor: counter.min_seq,
      lastMutationId: view ? await view.lastMutationIdAt(upper) : 0,
    };
    return JSON.stringify(resync);
  }

  // Where the page ends: the seqs of rows number `limit` and `limit + 1` in (seq, idx) order (an index-only walk).
  const edge = await db
    .selectFrom('change_log')
    .select('seq')
    .where('seq', '>', cursor)
    .where('seq', '<=', upper)
    .orderBy('seq')
    .orderBy('idx')
    .offset(limit - 1)
    .limit(2)
    .execute();
  let next = upper;
  let hasMore = false;
  if (edge.length === 2) {
    const [a, b] = [edge[0]!.seq, edge[1]!.seq];
    hasMore = true;
    if (a !== b) {
      next = a;
    } else {
      // Never split one seq across pages: end before it — or, when that seq alone fills the page, send all of it.
      const earlier = await db.selectFrom('change_log').select('seq').where('seq', '>', cursor).where('seq', '<', a).limit(1).executeTakeFirst();
      next = earlier ? a - 1 : a;
      hasMore = next < upper;
    }
  }

  // The page's changes as JSON text, assembled by PostgreSQL from the stored rows (no per-row work here).
  const body = await sql<{ changes: string | null }>`
    select string_agg(
      '{"seq":' || seq || ',"idx":' || idx || ',"entity":' || to_json(entity)::text || ',"id":' || to_json(id)::text
        || ',"op":"' || op || '","row":' || row || '}',
      ',' order by seq, idx) as changes
    from change_log
    where seq > ${cursor} and seq <= ${next}`.execute(db);
  const changes = body.rows[0]?.changes ?? '';

  let results: MutationResult[] = [];
  let lastMutationId = 0;
  if (view) {
    const stored = await db
      .selectFrom('mutation_result')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('seq', '>', cursor)
      .where('seq', '<=', next)
      .orderBy('mutation_id')
      .execute();
    results = stored.map(toWireResult);
    lastMutationId = await view.lastMutationIdAt(next);
  }

  return `{"kind":"changes","changes":[${changes}],"cursor":${next},"hasMore":${hasMore},"lastMutationId":${lastMutationId},"results":${JSON.stringify(results)}}`;
}

export interface SnapshotInput {
  entity: EntityName;
  after?: string | undefined;
  limit: number;
}

/** Current rows of one entity (soft-deleted ones too), by id, for a client that must resync. */
export async function snapshotPage(db: Kysely<ServerTables>, input: SnapshotInput): Promise<{ entity: EntityName; rows: Record<string, unknown>[]; nextAfter: string | null }> {
  if (!ENTITY_NAMES.includes(input.entity)) throw new Error(`unknown entity ${input.entity}`);
  const anyDb = db as unknown as Kysely<Record<string, { id: string }>>;
  let q = anyDb.selectFrom(input.entity).selectAll().orderBy('id').limit(input.limit + 1);
  if (input.after !== undefined) q = q.where('id', '>', input.after);
  const rows = (await q.execute()) as Record<string, unknown>[];
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  return { entity: input.entity, rows: page, nextAfter: more ? String(page[page.length - 1]!.id) : null };
}

/** Stored results of a client's mutations after `after`, by id. */
export async function resultsPage(
  db: Kysely<ServerTables>,
  input: { clientId: string; userId: string; after: number; limit: number },
): Promise<{ results: MutationResult[]; lastMutationId: number }> {
  const state = await db.selectFrom('client_state').select(['user_id', 'last_mutation_id']).where('client_id', '=', input.clientId).executeTakeFirst();
  if (!state) return { results: [], lastMutationId: 0 };
  if (state.user_id !== input.userId) throw new ClientOwnershipError(input.clientId);
  const rows = await db
    .selectFrom('mutation_result')
    .selectAll()
    .where('client_id', '=', input.clientId)
    .where('mutation_id', '>', input.after)
    .orderBy('mutation_id')
    .limit(input.limit)
    .execute();
  return { results: rows.map(toWireResult), lastMutationId: state.last_mutation_id };
}

/**
 * Deletes change-log entries with seq ≤ throughSeq (never beyond what has
 * committed) and moves the retention horizon: pulls with an older cursor get
 * a resync answer. Stored mutation results are kept (retries need them).
 */
export async function pruneChangeLog(db: Kysely<ServerTables>, throughSeq: number): Promise<{ deleted: number; minCursor: number }> {
  return db.transaction().execute(async (trx) => {
    const counter = await readCounter(trx);
    const horizon = Math.min(Math.max(throughSeq, counter.min_seq), counter.seq);
    const r = await trx.deleteFrom('change_log').where('seq', '<=', horizon).executeTakeFirst();
    // Deletion and the new horizon become visible together; the counter row lock is held only for the commit.
    await trx.updateTable('change_counter').set({ min_seq: sql<number>`greatest(min_seq, ${horizon})` }).where('id', '=', 1).execute();
    return { deleted: Number(r.numDeletedRows), minCursor: horizon };
  });
}
