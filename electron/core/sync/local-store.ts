/**
 * The client side of DESIGN §5 on SQLite: sync_meta bookkeeping, applying a
 * pulled page (undo pending → apply server rows → drop acknowledged / move
 * rejected → replay the rest) in ONE transaction together with the cursor,
 * and rebuilding the synced tables from a snapshot after a resync answer.
 *
 * Mutation ids: the outbox numbers mutations 1, 2, 3, … for the life of the
 * profile. The server numbers them per client id from 1. When the profile
 * binds a new client id (first sign-in, another user or server) the ids on
 * the wire are local id − base, where base is the last id that was settled
 * before; sync_meta keeps base, the cursor and the last acknowledged id.
 */
import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { LocalTables } from '../../../db/sqlite/local-tables';
import type { LocalDatabase } from '../../../db/sqlite/open';
import { ENTITY_NAMES, type EntityName } from '../../../shared/domain/entities';
import { MeridianError } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import type { Actor } from '../../../shared/mutators';
import type { Change, MutationResult, RejectedResult } from '../../../shared/sync/protocol';
import { replayPending, type ReplayOutcome } from '../local-mutations';
import { RowWriter } from './rows';

export const META_KEYS = {
  clientId: 'client_id',
  cursor: 'cursor',
  /** Local id of the last mutation the server acknowledged (applied or rejected). */
  acked: 'acked_mutation_id',
  /** Local id = wire id + base. */
  base: 'mutation_id_base',
  serverUrl: 'server_url',
  user: 'user',
  lastSyncAt: 'last_sync_at',
  lastError: 'last_sync_error',
  updateRequired: 'update_required',
  /** JSON list of created_at stamps of rejected legacy mutations whose local effects a rebuild must remove. */
  rebuild: 'rebuild_required',
} as const;

export interface OutboxEntry {
  mutation_id: number;
  name: string;
  args: string;
  created_at: string;
  undoable: number;
  local_code: string | null;
  local_message: string | null;
  resubmits: number | null;
}

export interface RejectionRecord {
  mutationId: number;
  name: string;
  code: string;
  message: string;
}

export interface PageInput {
  changes: readonly Change[];
  cursor: number;
  /** Wire id: the last of this client's mutations covered by the page. */
  lastMutationId: number;
  results: readonly MutationResult[];
}

export interface PageOutcome {
  rows: number;
  acknowledged: number;
  rejected: RejectionRecord[];
  refusedLocally: number;
  entities: EntityName[];
  cursor: number;
}

export interface UpdateRequired {
  message: string;
  schemaVersion: number;
  minSchemaVersion: number | null;
  serverSchemaVersion: number | null;
  at: string;
}

export interface SyncUser {
  id: string;
  username: string;
  role: 'viewer' | 'analyst' | 'portfolio_manager' | 'admin';
}

/** Page cache of the profile connection during a bulk pull, KiB. */
export const BULK_CACHE_KIB = 64 * 1024;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The host's lock serialising writes on the profile's connection (Workstation.writes). */
export interface WriteLockLike {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export interface SyncStoreOptions {
  /** Take this lock around every write transaction (a CSV import holds it for its whole transaction). */
  writeLock?: WriteLockLike;
}

/** The result the client records when the server processed a mutation but no result could be had. */
function unknownResult(id: number, name: string): RejectedResult {
  return {
    id,
    name,
    status: 'rejected',
    seq: 0,
    code: 'INTERNAL',
    message: 'The server processed this change, but its outcome could not be retrieved; check the data and resubmit it if it is missing.',
    problems: [],
    details: {},
  };
}

export class SyncStore {
  readonly raw: Database.Database;
  readonly rows: RowWriter;
  private readonly st: {
    getMeta: Database.Statement<[string], { value: string }>;
    setMeta: Database.Statement<[string, string]>;
    delMeta: Database.Statement<[string]>;
    pending: Database.Statement<[], OutboxEntry>;
    pendingUpTo: Database.Statement<[number], OutboxEntry>;
    pendingIdsUpTo: Database.Statement<[number], { mutation_id: number }>;
    unusualAfter: Database.Statement<[number], { n: number }>;
    pendingAfter: Database.Statement<[number, number], OutboxEntry>;
    pendingCount: Database.Statement<[], { n: number }>;
    firstPending: Database.Statement<[], { id: number | null }>;
    undoDesc: Database.Statement<[], { entity: string; row_id: string; before: string | null }>;
    deleteUndo: Database.Statement<[]>;
    deleteUndoUpTo: Database.Statement<[number]>;
    deleteOutboxUpTo: Database.Statement<[number]>;
    ownWrite: Database.Statement<[string, string, number]>;
    clearOwn: Database.Statement<[]>;
    reject: Database.Statement<unknown[]>;
    openRejections: Database.Statement<[], { n: number }>;
  };

  constructor(
    readonly db: LocalDatabase,
    private readonly options: SyncStoreOptions = {},
  ) {
    this.raw = db.raw;
    this.rows = new RowWriter(db.raw);
    const raw = db.raw;
    this.st = {
      getMeta: raw.prepare('SELECT value FROM sync_meta WHERE key = ?'),
      setMeta: raw.prepare('INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      delMeta: raw.prepare('DELETE FROM sync_meta WHERE key = ?'),
      pending: raw.prepare('SELECT * FROM outbox ORDER BY mutation_id'),
      pendingUpTo: raw.prepare('SELECT * FROM outbox WHERE mutation_id <= ? ORDER BY mutation_id'),
      pendingIdsUpTo: raw.prepare('SELECT mutation_id FROM outbox WHERE mutation_id <= ? ORDER BY mutation_id'),
      unusualAfter: raw.prepare('SELECT count(*) AS n FROM outbox WHERE mutation_id > ? AND (undoable <> 1 OR local_code IS NOT NULL)'),
      pendingAfter: raw.prepare('SELECT * FROM outbox WHERE mutation_id > ? ORDER BY mutation_id LIMIT ?'),
      pendingCount: raw.prepare('SELECT count(*) AS n FROM outbox'),
      firstPending: raw.prepare('SELECT min(mutation_id) AS id FROM outbox'),
      undoDesc: raw.prepare('SELECT entity, row_id, before FROM undo_log ORDER BY mutation_id DESC, idx DESC'),
      deleteUndo: raw.prepare('DELETE FROM undo_log'),
      deleteUndoUpTo: raw.prepare('DELETE FROM undo_log WHERE mutation_id <= ?'),
      deleteOutboxUpTo: raw.prepare('DELETE FROM outbox WHERE mutation_id <= ?'),
      ownWrite: raw.prepare('INSERT OR IGNORE INTO own_write (entity, row_id, version) VALUES (?, ?, ?)'),
      clearOwn: raw.prepare('DELETE FROM own_write'),
      reject: raw.prepare(
        `INSERT INTO rejection (mutation_id, name, args, created_at, rejected_at, server_seq, code, message, problems, details)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (mutation_id) DO NOTHING`,
      ),
      openRejections: raw.prepare("SELECT count(*) AS n FROM rejection WHERE status = 'open'"),
    };
  }

  // ------------------------------------------------------------ meta

  meta(key: string): string | null {
    return this.st.getMeta.get(key)?.value ?? null;
  }

  setMeta(key: string, value: string | null): void {
    if (value === null) this.st.delMeta.run(key);
    else this.st.setMeta.run(key, value);
  }

  private num(key: string): number {
    const v = this.meta(key);
    return v === null ? 0 : Number(v);
  }

  get cursor(): number {
    return this.num(META_KEYS.cursor);
  }

  get acked(): number {
    return this.num(META_KEYS.acked);
  }

  get base(): number {
    return this.num(META_KEYS.base);
  }

  /** This profile's client id on the server, made once. */
  clientId(): string {
    let id = this.meta(META_KEYS.clientId);
    if (!id) {
      id = newId();
      this.setMeta(META_KEYS.clientId, id);
    }
    return id;
  }

  get serverUrl(): string | null {
    return this.meta(META_KEYS.serverUrl);
  }

  get user(): SyncUser | null {
    const v = this.meta(META_KEYS.user);
    return v ? (JSON.parse(v) as SyncUser) : null;
  }

  get updateRequired(): UpdateRequired | null {
    const v = this.meta(META_KEYS.updateRequired);
    return v ? (JSON.parse(v) as UpdateRequired) : null;
  }

  setUpdateRequired(u: UpdateRequired | null): void {
    this.setMeta(META_KEYS.updateRequired, u ? JSON.stringify(u) : null);
  }

  /**
   * Binds the profile to a server and user. A different server or user gets
   * a new client id (the server ties a client id to one user) whose wire ids
   * start at 1 with the first pending mutation; a different server also
   * starts from cursor 0 (full download).
   */
  bind(serverUrl: string, user: SyncUser): { newClient: boolean } {
    const run = this.raw.transaction(() => {
      const prevUrl = this.serverUrl;
      const prevUser = this.user;
      if (prevUrl === serverUrl && prevUser?.id === user.id && this.meta(META_KEYS.clientId)) {
        this.setMeta(META_KEYS.user, JSON.stringify(user)); // the role may have changed
        return { newClient: false };
      }
      const first = this.st.firstPending.get()?.id ?? null;
      if (prevUrl !== null && first !== null) {
        // They may have reached the old client id already: pushing them under a new one could apply them twice.
        throw new MeridianError(
          'INVALID_INPUT',
          `This profile has ${this.pendingCount()} unsynced change(s) made while signed in as ${prevUser?.username ?? 'another user'} at ${prevUrl}. ` +
            'Sign in there again and sync them before signing in as another user or to another server.',
          { pending: this.pendingCount(), server: prevUrl, user: prevUser?.username ?? null },
        );
      }
      const next = Number(this.meta('next_mutation_id') ?? '1');
      const base = (first ?? next) - 1;
      this.setMeta(META_KEYS.user, JSON.stringify(user));
      this.setMeta(META_KEYS.serverUrl, serverUrl);
      this.setMeta(META_KEYS.clientId, newId());
      this.setMeta(META_KEYS.base, String(base));
      this.setMeta(META_KEYS.acked, String(base));
      if (prevUrl !== serverUrl) {
        this.setMeta(META_KEYS.cursor, '0');
        this.st.clearOwn.run();
      }
      return { newClient: true };
    });
    return run.immediate();
  }

  /** After a MUTATION_GAP: the server expects `expectedWireId` next; renumber the pending mutations from there. */
  rebaseWireIds(expectedWireId: number): void {
    const first = this.st.firstPending.get()?.id;
    if (first === null || first === undefined) return;
    this.raw.transaction(() => {
      const base = first - expectedWireId;
      this.setMeta(META_KEYS.base, String(base));
      this.setMeta(META_KEYS.acked, String(Math.min(this.acked, first - 1)));
    })();
  }

  pendingCount(): number {
    return this.st.pendingCount.get()!.n;
  }

  openRejectionCount(): number {
    return this.st.openRejections.get()!.n;
  }

  /** Pending mutations with a local id above `afterLocalId`, in order. */
  pendingAfter(afterLocalId: number, limit: number): OutboxEntry[] {
    return this.st.pendingAfter.all(afterLocalId, limit);
  }

  pending(): OutboxEntry[] {
    return this.st.pending.all();
  }

  /** Pending mutations the server has acknowledged up to `lastWireId` whose result `results` lacks. */
  missingResults(lastWireId: number, results: readonly MutationResult[]): number[] {
    const base = this.base;
    const have = new Set(results.map((r) => r.id + base));
    return this.st.pendingIdsUpTo
      .all(lastWireId + base)
      .filter((p) => !have.has(p.mutation_id))
      .map((p) => p.mutation_id - base);
  }

  // ------------------------------------------------------------ transactions

  /**
   * Runs `fn` alone on the connection: under the host's write lock when one
   * was given, and never while another piece of code holds a raw transaction
   * across event-loop turns (a CSV import).
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = async () => {
      while (this.raw.inTransaction) await sleep(10);
      return fn();
    };
    return this.options.writeLock ? this.options.writeLock.run(run) : run();
  }

  /** Runs `fn` in one SQLite transaction on the profile's connection (see `exclusive`); Kysely's own lock serialises the rest. */
  async transaction<T>(fn: (trx: Kysely<LocalTables>) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      for (let attempt = 0; ; attempt++) {
        while (this.raw.inTransaction) await sleep(10);
        let entered = false;
        try {
          return await this.db.kysely.transaction().execute((trx) => {
            entered = true;
            return fn(trx);
          });
        } catch (e) {
          if (!entered && attempt < 100 && /within a transaction/i.test(String((e as Error).message))) continue;
          throw e;
        }
      }
    });
  }

  // ------------------------------------------------------------ pages

  /** Restores the before images of every pending mutation, newest first, and forgets them. */
  private undoPending(): void {
    for (const u of this.st.undoDesc.all()) {
      this.rows.restore(u.entity as EntityName, u.row_id, u.before === null ? null : (JSON.parse(u.before) as Record<string, unknown>));
    }
    this.st.deleteUndo.run();
  }

  /** Drops acknowledged mutations (applied) and moves refused ones to the rejection inbox. */
  private settle(pending: readonly OutboxEntry[], ackLocal: number, results: readonly MutationResult[], now: string) {
    const base = this.base;
    const byLocal = new Map<number, MutationResult>();
    for (const r of results) {
      byLocal.set(r.id + base, r);
      if (r.status === 'applied') for (const v of r.versions) this.st.ownWrite.run(v.entity, v.id, v.version);
    }
    const rejected: RejectionRecord[] = [];
    const legacyRejected: string[] = [];
    let acknowledged = 0;
    for (const p of pending) {
      if (p.mutation_id > ackLocal) break;
      const r = byLocal.get(p.mutation_id) ?? unknownResult(p.mutation_id - base, p.name);
      if (r.status === 'rejected') {
        this.st.reject.run(p.mutation_id, p.name, p.args, p.created_at, now, r.seq, r.code, r.message, JSON.stringify(r.problems), JSON.stringify(r.details));
        rejected.push({ mutationId: p.mutation_id, name: p.name, code: r.code, message: r.message });
        if (!p.undoable) legacyRejected.push(p.created_at);
      }
      acknowledged++;
    }
    if (acknowledged) {
      // Everything up to ackLocal is settled: one range delete each (undo rows first, foreign keys may be off).
      this.st.deleteUndoUpTo.run(ackLocal);
      this.st.deleteOutboxUpTo.run(ackLocal);
    }
    if (legacyRejected.length) {
      const prev = JSON.parse(this.meta(META_KEYS.rebuild) ?? '[]') as string[];
      this.setMeta(META_KEYS.rebuild, JSON.stringify([...prev, ...legacyRejected]));
    }
    if (ackLocal > this.acked) this.setMeta(META_KEYS.acked, String(ackLocal));
    return { rejected, acknowledged };
  }

  private async replayRemaining(trx: Kysely<LocalTables>, pending: readonly OutboxEntry[], ackLocal: number, actor: Actor): Promise<ReplayOutcome[]> {
    // Legacy mutations (made before undo images existed) stay applied in place until acknowledged.
    const rest = pending.filter((p) => p.mutation_id > ackLocal && p.undoable === 1);
    const out = await replayPending(trx, this.raw, actor, rest);
    if (this.pendingCount() === 0) this.st.clearOwn.run();
    return out;
  }

  /**
   * Applies one pulled page in ONE transaction together with the cursor:
   * undo pending local mutations, apply the server's rows, drop acknowledged
   * mutations, move rejected ones to the inbox, replay the rest.
   *
   * Two shortcuts give the same result without the undo/replay work:
   * - 'empty': nothing changed and nothing was acknowledged — only the cursor moves;
   * - 'fast': every change of the page is the server's copy of this client's
   *   own acknowledged mutations and matches what they did locally (up to the
   *   server's stamps: version, instants, user). The common case after a push:
   *   the server rows replace the optimistic ones and the remaining pending
   *   mutations' rows and undo images are rebased field by field.
   */
  async applyPage(page: PageInput, actor: Actor, now: string): Promise<PageOutcome> {
    return this.transaction(async (trx) => {
      this.onPageStart?.();
      const ackLocal = Math.max(this.acked, page.lastMutationId + this.base);
      // Only what this page acknowledges is read up front: the outbox may hold thousands of entries.
      const acked = this.st.pendingUpTo.all(ackLocal);
      const pendingCount = this.pendingCount();
      const entities = new Set<EntityName>();
      let replays: ReplayOutcome[] = [];
      let pending: OutboxEntry[] = acked;
      if (pendingCount && !page.changes.length && !acked.length) {
        this.lastPath = 'empty';
      } else if (pendingCount && this.fastRebaseEnabled && this.fastRebase(page, acked, ackLocal, entities)) {
        this.lastPath = 'fast';
      } else {
        this.lastPath = pendingCount ? 'slow' : 'plain';
        if (pendingCount) {
          pending = this.pending();
          this.undoPending();
        }
        const rows = this.rows;
        for (const c of page.changes) {
          rows.upsert(c.entity, c.row as Record<string, unknown>);
          entities.add(c.entity);
        }
      }
      const { rejected, acknowledged } = this.settle(acked, ackLocal, page.results, now);
      if (this.lastPath === 'slow') replays = await this.replayRemaining(trx, pending, ackLocal, actor);
      else if (this.pendingCount() === 0) this.st.clearOwn.run();
      for (const r of replays) for (const e of r.entities) entities.add(e);
      for (const r of rejected) entities.add(entityOfMutation(r.name));
      const cursor = Math.max(this.cursor, page.cursor);
      this.setMeta(META_KEYS.cursor, String(cursor));
      this.onPageEnd?.();
      return { rows: page.changes.length, acknowledged, rejected, refusedLocally: replays.filter((r) => r.refused).length, entities: [...entities], cursor };
    });
  }

  // ------------------------------------------------------------ bulk path (initial sync)

  /**
   * Holds the connection for the caller (the host's write lock, and no other
   * raw transaction open) until the returned function is called. The bulk
   * path keeps one transaction open across several chunks and pages, with
   * the event loop running in between; local mutations wait for it.
   */
  async lease(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await new Promise<void>((acquired) => {
      void this.exclusive(async () => {
        acquired();
        await held;
      });
    });
    return release;
  }

  /** cache_size before the bulk path enlarged it (restored by `endBulk`). */
  private savedCacheSize: number | null = null;

  /**
   * Opens the bulk transaction (under `lease`). The first one also enlarges
   * the page cache to BULK_CACHE_KIB until `endBulk`: a transaction of
   * thousands of rows dirties more index pages than SQLite's default 2 MiB
   * holds, and it would spill them to the log mid-transaction.
   */
  beginBulk(): void {
    if (this.raw.inTransaction) throw new Error('The profile connection is already inside a transaction; the bulk apply needs its own.');
    if (this.savedCacheSize === null) {
      this.savedCacheSize = this.raw.pragma('cache_size', { simple: true }) as number;
      this.raw.pragma(`cache_size = -${BULK_CACHE_KIB}`);
    }
    this.raw.exec('BEGIN IMMEDIATE');
  }

  /** After the last bulk transaction of a pull: the page cache goes back to its size. */
  endBulk(): void {
    if (this.savedCacheSize === null || this.raw.inTransaction) return;
    this.raw.pragma(`cache_size = ${this.savedCacheSize}`);
    this.savedCacheSize = null;
  }

  commitBulk(): void {
    if (this.raw.inTransaction) this.raw.exec('COMMIT');
  }

  rollbackBulk(): void {
    if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
  }

  /**
   * applyPage's plain path (nothing pending locally, so nothing to undo or
   * replay) inside the open bulk transaction, synchronously: the server's
   * rows are written with `RowWriter.load` (a plain insert first — the rows
   * of an initial sync are new), the results settled and the cursor moved,
   * all in the caller's transaction. The tables end up exactly as
   * applyPage's would (tests/sync/bulk.test.ts compares them).
   */
  applyBulk(page: PageInput, now: string): PageOutcome {
    if (!this.raw.inTransaction) throw new Error('applyBulk runs inside the bulk transaction (beginBulk).');
    if (this.pendingCount() !== 0) throw new Error('applyBulk needs an empty outbox: pending mutations must be undone and replayed (applyPage).');
    this.onPageStart?.();
    this.lastPath = 'bulk';
    const ackLocal = Math.max(this.acked, page.lastMutationId + this.base);
    const entities = new Set<EntityName>();
    const rows = this.rows;
    for (const c of page.changes) {
      rows.load(c.entity, c.row as Record<string, unknown>);
      entities.add(c.entity);
    }
    const { rejected, acknowledged } = this.settle([], ackLocal, page.results, now);
    this.st.clearOwn.run();
    const cursor = Math.max(this.cursor, page.cursor);
    this.setMeta(META_KEYS.cursor, String(cursor));
    this.onPageEnd?.();
    return { rows: page.changes.length, acknowledged, rejected, refusedLocally: 0, entities: [...entities], cursor };
  }

  /** Which path the last applyPage (or applyBulk) took (diagnostics and tests). */
  lastPath: 'plain' | 'empty' | 'fast' | 'slow' | 'bulk' = 'plain';
  /** Tests turn the fast path off to compare it with the full rebase. */
  fastRebaseEnabled = true;
  /** Called inside a page's transaction before anything is written, and after everything is (tests copy the database there). */
  onPageStart: (() => void) | null = null;
  onPageEnd: (() => void) | null = null;

  /** The fast path of applyPage; false (having written nothing) when the page does not qualify. */
  private fastRebase(page: PageInput, acked: readonly OutboxEntry[], ackLocal: number, entities: Set<EntityName>): boolean {
    if (!acked.length) return false;
    if (acked.some((p) => p.undoable !== 1 || p.local_code !== null)) return false;
    if (this.st.unusualAfter.get(ackLocal)!.n > 0) return false; // a legacy or locally refused mutation remains
    const base = this.base;
    const results = new Map(page.results.map((r) => [r.id + base, r]));
    const bySeq = new Map<number, Change[]>();
    for (const c of page.changes) {
      const list = bySeq.get(c.seq);
      if (list) list.push(c);
      else bySeq.set(c.seq, [c]);
    }
    const mine = new Map<number, OutboxEntry>();
    for (const p of acked) {
      const r = results.get(p.mutation_id);
      if (!r || r.status !== 'applied') return false;
      mine.set(r.seq, p);
    }
    for (const seq of bySeq.keys()) if (!mine.has(seq)) return false;
    const undoRows = new Map<number, { entity: string; row_id: string; after: string }[]>();
    for (const u of this.raw
      .prepare<[number], { mutation_id: number; entity: string; row_id: string; after: string }>('SELECT mutation_id, entity, row_id, after FROM undo_log WHERE mutation_id <= ? ORDER BY mutation_id, idx')
      .all(ackLocal)) {
      const list = undoRows.get(u.mutation_id);
      if (list) list.push(u);
      else undoRows.set(u.mutation_id, [u]);
    }
    const localAfter = new Map<string, Record<string, unknown>>();
    const serverRow = new Map<string, { entity: EntityName; id: string; row: Record<string, unknown> }>();
    for (const [seq, p] of mine) {
      const local = undoRows.get(p.mutation_id) ?? [];
      const server = bySeq.get(seq) ?? [];
      if (local.length !== server.length) return false;
      for (let i = 0; i < local.length; i++) {
        const l = local[i]!;
        const sc = server[i]!;
        if (l.entity !== sc.entity || l.row_id !== sc.id) return false;
        const la = JSON.parse(l.after) as Record<string, unknown>;
        const sr = sc.row as Record<string, unknown>;
        if (!sameModuloStamps(la, sr)) return false;
        const key = `${sc.entity}\u0000${sc.id}`;
        localAfter.set(key, la);
        serverRow.set(key, { entity: sc.entity, id: sc.id, row: sr });
      }
    }
    // Qualifies: write. Rows no remaining pending mutation touched take the server's copy; the others are rebased.
    const later = this.raw.prepare<[string, string, number], { mutation_id: number; idx: number; before: string | null; after: string }>(
      'SELECT mutation_id, idx, before, after FROM undo_log WHERE entity = ? AND row_id = ? AND mutation_id > ? ORDER BY mutation_id, idx',
    );
    const setUndo = this.raw.prepare('UPDATE undo_log SET before = ?, after = ? WHERE mutation_id = ? AND idx = ?');
    for (const [key, { entity, id, row }] of serverRow) {
      entities.add(entity);
      const touched = later.all(entity, id, ackLocal);
      if (!touched.length) {
        this.rows.upsert(entity, row);
        continue;
      }
      const optimistic = localAfter.get(key)!;
      const current = this.raw.prepare<[string], Record<string, unknown>>(`SELECT * FROM "${entity}" WHERE id = ?`).get(id);
      if (current) this.rows.upsert(entity, rebaseFields(current, optimistic, row, true));
      touched.forEach((u, i) => {
        // The first later mutation saw exactly the optimistic row: its before image becomes the server's row.
        const before = u.before === null ? null : i === 0 ? row : rebaseFields(JSON.parse(u.before) as Record<string, unknown>, optimistic, row, true);
        setUndo.run(before === null ? null : JSON.stringify(before), JSON.stringify(rebaseFields(JSON.parse(u.after) as Record<string, unknown>, optimistic, row, true)), u.mutation_id, u.idx);
      });
    }
    return true;
  }

  // ------------------------------------------------------------ snapshot rebuild

  /** Creates empty staging tables (this connection only) for a snapshot download. */
  async beginSnapshot(): Promise<void> {
    await this.exclusive(async () => {
      for (const e of ENTITY_NAMES) {
        this.raw.exec(`DROP TABLE IF EXISTS temp."snap_${e}"; CREATE TEMP TABLE "snap_${e}" AS SELECT * FROM main."${e}" WHERE 0`);
      }
    });
  }

  /** Stages one snapshot page (its own short transaction). */
  async stageSnapshotRows(entity: EntityName, rows: readonly Record<string, unknown>[]): Promise<void> {
    const cols = this.rows.columns(entity);
    const stmt = this.raw.prepare(`INSERT INTO temp."snap_${entity}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    await this.exclusive(async () => {
      this.raw.transaction(() => {
        for (const r of rows) stmt.run(cols.map((c) => (r[c] === undefined ? null : typeof r[c] === 'boolean' ? (r[c] ? 1 : 0) : r[c])));
      })();
    });
  }

  async endSnapshot(): Promise<void> {
    await this.exclusive(async () => {
      for (const e of ENTITY_NAMES) this.raw.exec(`DROP TABLE IF EXISTS temp."snap_${e}"`);
    });
  }

  /**
   * Replaces the synced tables with the staged snapshot in one transaction,
   * keeping the outbox: pending mutations are undone first, every row that
   * came from the server (version > 0) is deleted, the snapshot is loaded (it
   * wins every conflict), acknowledged mutations are settled with `results`
   * and the rest replayed. Rows that never synced (version 0, e.g. imported
   * locally) are kept. Foreign keys are off during the swap: the snapshot was
   * read page by page, and the pull from `cursor` that follows repairs any
   * row that changed meanwhile.
   */
  async swapSnapshot(input: { cursor: number; lastMutationId: number; results: readonly MutationResult[] }, actor: Actor, now: string): Promise<PageOutcome> {
    return this.exclusive(() => this.swapUnlocked(input, actor, now));
  }

  private async swapUnlocked(input: { cursor: number; lastMutationId: number; results: readonly MutationResult[] }, actor: Actor, now: string): Promise<PageOutcome> {
    this.raw.pragma('foreign_keys = OFF');
    try {
      return await this.db.kysely.transaction().execute(async (trx) => {
        const pending = this.pending();
        this.undoPending();
        const stamps = JSON.parse(this.meta(META_KEYS.rebuild) ?? '[]') as string[];
        let rows = 0;
        for (const e of [...ENTITY_NAMES].reverse()) {
          this.raw.prepare(`DELETE FROM main."${e}" WHERE version > 0`).run();
          // Rows inserted by rejected legacy mutations carry the mutation's instant and version 0.
          if (stamps.length) {
            const del = this.raw.prepare(`DELETE FROM main."${e}" WHERE version = 0 AND updated_at = ?`);
            for (const s of stamps) del.run(s);
          }
        }
        for (const e of ENTITY_NAMES) {
          rows += this.raw.prepare(`INSERT OR REPLACE INTO main."${e}" SELECT * FROM temp."snap_${e}"`).run().changes;
        }
        this.setMeta(META_KEYS.rebuild, null);
        const ackLocal = Math.max(this.acked, input.lastMutationId + this.base);
        const { rejected, acknowledged } = this.settle(pending, ackLocal, input.results, now);
        const replays = await this.replayRemaining(trx, pending, ackLocal, actor);
        this.setMeta(META_KEYS.cursor, String(input.cursor));
        return { rows, acknowledged, rejected, refusedLocally: replays.filter((r) => r.refused).length, entities: [...ENTITY_NAMES], cursor: input.cursor };
      });
    } finally {
      this.raw.pragma('foreign_keys = ON');
    }
  }

  get rebuildRequired(): boolean {
    return this.meta(META_KEYS.rebuild) !== null;
  }

  requestRebuild(): void {
    if (!this.rebuildRequired) this.setMeta(META_KEYS.rebuild, '[]');
  }
}

const STAMPS: ReadonlySet<string> = new Set(['version', 'updated_at', 'updated_by']);

/**
 * True when a mutation's local after image and the server's row differ only
 * in what the server stamps: the version, its instant (updated_at, and any
 * field the mutator set to "now", such as approved_at or deleted_at) and its
 * user (updated_by, approved_by).
 */
export function sameModuloStamps(local: Record<string, unknown>, server: Record<string, unknown>): boolean {
  const localNow = local.updated_at;
  const localUser = local.updated_by;
  for (const k of new Set([...Object.keys(local), ...Object.keys(server)])) {
    if (STAMPS.has(k)) continue;
    const l = local[k] ?? null;
    const s = server[k] ?? null;
    if (l === s) continue;
    if (l === localNow && s === server.updated_at) continue;
    if (l === localUser && s === server.updated_by) continue;
    return false;
  }
  return true;
}

/**
 * Fields of `row` still equal to the optimistic image take the server's
 * value; fields a later mutation changed keep theirs. `restamped`: a later
 * mutation wrote this image, so its updated_at/updated_by are its own.
 */
function rebaseFields(row: Record<string, unknown>, optimistic: Record<string, unknown>, server: Record<string, unknown>, restamped: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const k of Object.keys(server)) {
    if (restamped && (k === 'updated_at' || k === 'updated_by')) continue;
    if ((row[k] ?? null) === (optimistic[k] ?? null)) out[k] = server[k];
  }
  return out;
}

/** The entity a mutation name is mainly about (for change notifications). */
export function entityOfMutation(name: string): EntityName {
  if (/Allocation$/.test(name)) return 'allocation';
  if (/CapitalCall$|Payment$/.test(name)) return 'capital_call';
  if (/Fund$/.test(name)) return 'fund';
  if (/Deal$/.test(name)) return 'deal';
  if (/Investor$/.test(name)) return 'investor';
  if (/Commitment$/.test(name)) return 'commitment';
  if (/Distribution$/.test(name)) return 'distribution';
  if (/Contribution$/.test(name)) return 'contribution';
  if (/NavMark$/.test(name)) return 'nav_mark';
  if (/IndexLevel$/.test(name)) return 'index_level';
  return 'allocation';
}
