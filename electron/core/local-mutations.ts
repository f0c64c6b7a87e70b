/**
 * Runs a named mutation on the local database optimistically: the shared
 * mutator, the outbox entry and the undo images of every row it wrote are
 * written in one SQLite transaction, so a mutation is either applied, queued
 * for the server and undoable, or not there at all (DESIGN §5).
 *
 * The sync client (./sync) undoes pending mutations, applies the server's
 * changes and replays them with `replayPending` on every pulled page.
 */
import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../../db/sqlite/open';
import type { LocalTables } from '../../db/sqlite/local-tables';
import type { EntityName } from '../../shared/domain/entities';
import type { SyncedTables } from '../../shared/domain/tables';
import { MeridianError } from '../../shared/errors';
import { isMutationName, loadRules, MUTATIONS, runMutation, type Actor, type MutationContext, type RowChange } from '../../shared/mutators';
import { parseOrThrow } from '../../shared/validation';

export interface LocalMutationResult {
  mutationId: number;
  name: string;
  result: unknown;
  changes: RowChange[];
}

export interface LocalMutationOptions {
  /** The rejection (its mutation id) this mutation resubmits with edited arguments. */
  resubmits?: number;
  /** Runs inside the mutation's transaction after the outbox entry is written (synchronous SQLite work only). */
  afterWrite?: (mutationId: number) => void;
}

async function nextMutationId(trx: Kysely<LocalTables>): Promise<number> {
  const row = await trx.selectFrom('sync_meta').select('value').where('key', '=', 'next_mutation_id').executeTakeFirst();
  const id = row ? Number(row.value) : 1;
  await trx
    .insertInto('sync_meta')
    .values({ key: 'next_mutation_id', value: String(id + 1) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(id + 1) }))
    .execute();
  return id;
}

/** True when the server stamped `version` on this row for one of this client's own mutations. */
export function ownVersionCheck(raw: Database.Database): (entity: EntityName, id: string, version: number) => boolean {
  const stmt = raw.prepare<[string, string, number], { one: number }>('SELECT 1 AS one FROM own_write WHERE entity = ? AND row_id = ? AND version = ?');
  return (entity, id, version) => stmt.get(entity, id, version) !== undefined;
}

/**
 * A client context: optimistic writes keep versions; the server decides
 * conflicts. An edit based on version `expected` is stale locally unless the
 * row still has that version, or its newer version was stamped by the server
 * for one of this client's own mutations (a chain of offline edits to one row
 * is not a conflict with itself — the server's rule too).
 */
export function localContext(
  trx: Kysely<LocalTables>,
  actor: Actor,
  now: string,
  rules: MutationContext['rules'],
  isOwnVersion?: (entity: EntityName, id: string, version: number) => boolean,
): MutationContext {
  return {
    // The local database has the synced tables plus client-only ones; mutators see only the synced ones.
    db: trx as unknown as Kysely<SyncedTables>,
    actor,
    now,
    rules,
    version: null,
    changes: [],
    async checkVersion(entity, row, expected) {
      if (row.version === expected) return;
      if (row.version > expected && isOwnVersion?.(entity, row.id, row.version)) return;
      throw new MeridianError('STALE_VERSION', `This ${entity.replace(/_/g, ' ')} changed since you loaded it (version ${row.version}, you had ${expected}); reload and try again.`, {
        entity,
        id: row.id,
        current: row.version,
        expected,
      });
    },
    async lockRow() {
      // SQLite has one writer at a time; the transaction already serialises.
    },
  };
}

/** Writes the undo images of a mutation's changes (inside the caller's transaction). */
export function writeUndo(raw: Database.Database, mutationId: number, changes: readonly RowChange[]): void {
  const stmt = raw.prepare('INSERT INTO undo_log (mutation_id, idx, entity, row_id, before, after) VALUES (?, ?, ?, ?, ?, ?)');
  changes.forEach((c, idx) => {
    stmt.run(mutationId, idx, c.entity, c.id, c.before === null ? null : JSON.stringify(c.before), JSON.stringify(c.after));
  });
}

export async function applyLocalMutation(
  db: LocalDatabase,
  actor: Actor,
  name: string,
  rawArgs: unknown,
  now = new Date().toISOString(),
  options: LocalMutationOptions = {},
): Promise<LocalMutationResult> {
  if (!isMutationName(name)) throw new MeridianError('UNKNOWN_MUTATION', `There is no mutation named "${name}".`, { name });
  // Parse once here so the outbox holds the exact arguments (defaults applied) the server will replay.
  const args = parseOrThrow(MUTATIONS[name].args, rawArgs, `${name} arguments`);
  return db.kysely.transaction().execute(async (trx) => {
    const synced = trx as unknown as Kysely<SyncedTables>;
    const ctx = localContext(trx, actor, now, await loadRules(synced), ownVersionCheck(db.raw));
    const result = await runMutation(ctx, name, args);
    const mutationId = await nextMutationId(trx);
    await trx
      .insertInto('outbox')
      .values({ mutation_id: mutationId, name, args: JSON.stringify(args), created_at: now, resubmits: options.resubmits ?? null })
      .execute();
    writeUndo(db.raw, mutationId, ctx.changes);
    options.afterWrite?.(mutationId);
    return { mutationId, name, result, changes: ctx.changes };
  });
}

export interface PendingMutation {
  mutation_id: number;
  name: string;
  args: string;
  created_at: string;
}

export interface ReplayOutcome {
  mutationId: number;
  /** Entities written by the replay (for change notifications). */
  entities: EntityName[];
  /** Set when the local rules refused the replay; the mutation stays pending without local effects. */
  refused: { code: string; message: string } | null;
}

/**
 * Replays pending mutations in order inside the caller's open transaction
 * (`trx` must be that transaction): each one in a savepoint, with fresh undo
 * images. A replay the local rules refuse is rolled back to its savepoint and
 * noted on the outbox entry; it stays pending and the server decides.
 * Anything but a MeridianError aborts the whole transaction.
 */
export async function replayPending(trx: Kysely<LocalTables>, raw: Database.Database, actor: Actor, pending: readonly PendingMutation[]): Promise<ReplayOutcome[]> {
  const rules = await loadRules(trx as unknown as Kysely<SyncedTables>);
  const own = ownVersionCheck(raw);
  const note = raw.prepare('UPDATE outbox SET local_code = ?, local_message = ? WHERE mutation_id = ?');
  const out: ReplayOutcome[] = [];
  for (const m of pending) {
    const ctx = localContext(trx, actor, m.created_at, rules, own);
    raw.exec('SAVEPOINT replay');
    try {
      await runMutation(ctx, m.name, JSON.parse(m.args) as unknown);
      writeUndo(raw, m.mutation_id, ctx.changes);
      note.run(null, null, m.mutation_id);
      raw.exec('RELEASE replay');
      out.push({ mutationId: m.mutation_id, entities: ctx.changes.map((c) => c.entity), refused: null });
    } catch (e) {
      raw.exec('ROLLBACK TO replay');
      raw.exec('RELEASE replay');
      if (!(e instanceof MeridianError)) throw e;
      note.run(e.code, e.message, m.mutation_id);
      out.push({ mutationId: m.mutation_id, entities: [], refused: { code: e.code, message: e.message } });
    }
  }
  return out;
}
