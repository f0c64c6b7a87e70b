/**
 * The sync client (DESIGN §5, client side). One cycle, `syncOnce()`:
 *
 * 1. push the pending outbox in id order, in batches (the server answers a
 *    repeated mutation from its stored result, so a lost answer is simply
 *    pushed again);
 * 2. pull pages by cursor until caught up; each page is applied in ONE
 *    SQLite transaction with the cursor (local-store.ts): undo pending,
 *    apply the server's rows, drop acknowledged, move rejected to the inbox,
 *    replay the rest. The event loop runs between pages;
 * 3. on a resync answer (cursor older than the server's history, or ahead of
 *    it after a restore): fetch this client's results, download a snapshot
 *    into staging tables, swap it in keeping the outbox, and pull on.
 *
 * A client too old for the server (426) stops, keeps its outbox and reports
 * 'update required' until the app speaks a newer schema. Status changes,
 * progress, rejections and data changes are events.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { LocalDatabase } from '../../../db/sqlite/open';
import { ENTITY_NAMES, type EntityName } from '../../../shared/domain/entities';
import type { Actor } from '../../../shared/mutators';
import { DEFAULT_SNAPSHOT_LIMIT, MAX_PULL_LIMIT, MAX_PUSH_MUTATIONS, PUSH_BATCH_BYTES, SYNC_SCHEMA_VERSION, type Change, type MutationResult, type PullResponse, type PullResync } from '../../../shared/sync/protocol';
import { BackgroundCheckpointer } from './checkpointer';
import { SyncStore, META_KEYS, type WriteLockLike, type RejectionRecord, type UpdateRequired } from './local-store';
import { RejectionInbox } from './rejections';
import { isSyncTransportError, SyncTransportError, type SyncErrorKind, type SyncTransport } from './transport';

export interface SyncProgress {
  phase: 'push' | 'pull' | 'snapshot';
  done: number;
  /** Estimated total for this phase; null while unknown. */
  estimated: number | null;
}

export type SyncState = 'idle' | 'syncing' | 'offline' | 'error' | 'update_required' | 'login_required';

export interface SyncStatus {
  state: SyncState;
  /** Whether the server was reachable on the last attempt (null: not tried yet). */
  online: boolean | null;
  syncing: boolean;
  /** Local mutations not yet acknowledged by the server. */
  pending: number;
  /** Open rejections in the inbox. */
  rejected: number;
  cursor: number;
  lastSyncAt: string | null;
  lastError: { kind: SyncErrorKind | 'local'; message: string; at: string } | null;
  updateRequired: UpdateRequired | null;
  progress: SyncProgress | null;
}

export interface SyncReport {
  pushed: number;
  pulledRows: number;
  pages: number;
  acknowledged: number;
  rejected: RejectionRecord[];
  /** Pending mutations whose local replay the local rules refused (they stay pending). */
  refusedLocally: number;
  resynced: boolean;
  cursor: number;
  durationMs: number;
}

export interface SyncClientEvents {
  status: [SyncStatus];
  progress: [SyncProgress];
  rejected: [RejectionRecord[]];
  dataChanged: [{ entities: EntityName[] }];
  syncError: [Error];
}

export interface SyncClientOptions {
  db: LocalDatabase;
  transport: SyncTransport;
  /** Who replays pending mutations locally (default: the signed-in user, else the local admin actor). */
  actor?: () => Actor;
  /** Sync schema version this app speaks (default SYNC_SCHEMA_VERSION). */
  schemaVersion?: number;
  /** Mutations per push (default 200, at most MAX_PUSH_MUTATIONS). */
  pushBatchSize?: number;
  /** JSON bytes of mutation arguments per push (default PUSH_BATCH_BYTES, half the server's body limit). */
  pushBatchBytes?: number;
  /** Changes per pull page (default 2000: parsing a page is one synchronous step too). */
  pullLimit?: number;
  /** Target time of one apply transaction, ms (default 20): a page is applied in chunks of about this long. */
  pageBudgetMs?: number;
  snapshotLimit?: number;
  /** Ask the server for its head once per long pull to estimate progress (default true). */
  estimateProgress?: boolean;
  now?: () => Date;
  /** The host's write lock (Workstation.writes): every sync write transaction takes it. */
  writeLock?: WriteLockLike;
  /** Run WAL checkpoints in a worker thread during multi-page pulls (default true; see checkpointer.ts). */
  backgroundCheckpoints?: boolean;
  /**
   * Apply pulls with an empty outbox (an initial sync, a catch-up after a
   * long absence) in transactions spanning several chunks and pages (default
   * true): see `pullAll` and SyncStore.applyBulk.
   */
  bulkApply?: boolean;
  /**
   * Changes per pull page while the outbox is empty (the bulk path; default
   * `pullLimit`). Larger pages mean fewer requests, but parsing one is a
   * single synchronous step, and the parse of a prefetched page can share a
   * turn of the event loop with an applied chunk (poll, then check phase):
   * at 5,000 rows the two together went over 50 ms on the loaded machine.
   */
  bulkPullLimit?: number;
  /** Rows per bulk transaction at most (default 20,000; fewer while COMMITs take over ~25 ms): bounds the COMMIT and how long local writes wait. */
  bulkTransactionRows?: number;
  /** Lets the event loop run between pages (default: setImmediate). */
  yieldTurn?: () => Promise<void>;
}

const LOCAL_ADMIN: Actor = { userId: 'local', role: 'admin' };

/**
 * The chunk of a pulled page starting at change `from`: at least `rows`
 * changes (fewer at the end), never splitting one seq. A chunk that is not
 * the last ends at the seq of its last change, with the results decided up
 * to that seq; the last chunk carries the page's cursor and lastMutationId.
 */
export function pageChunk(
  changes: readonly Change[],
  results: readonly MutationResult[],
  from: number,
  rows: number,
  page: { cursor: number; lastMutationId: number },
): { page: { changes: Change[]; cursor: number; lastMutationId: number; results: MutationResult[] }; end: number } {
  let end = Math.min(changes.length, from + Math.max(1, rows));
  while (end < changes.length && changes[end]!.seq === changes[end - 1]!.seq) end++;
  const lowSeq = from === 0 ? -1 : changes[from - 1]!.seq;
  if (end >= changes.length) {
    return { page: { changes: changes.slice(from), cursor: page.cursor, lastMutationId: page.lastMutationId, results: results.filter((r) => r.seq > lowSeq) }, end: changes.length };
  }
  const cursor = changes[end - 1]!.seq;
  const mine = results.filter((r) => r.seq > lowSeq && r.seq <= cursor);
  const upTo = results.filter((r) => r.seq <= cursor).reduce((m, r) => Math.max(m, r.id), 0);
  return { page: { changes: changes.slice(from, end), cursor, lastMutationId: upTo, results: mine }, end };
}
const MAX_RESYNCS_PER_CYCLE = 3;

/**
 * The bulk path's transaction (SyncStore.applyBulk): held under the store's
 * lease (the host's write lock) from `start` to `close`, rolled back by
 * `abort` when applying failed.
 */
class BulkTransaction {
  rows = 0;
  /**
   * Rows before the transaction commits: adapts so that one COMMIT (writing
   * every page the transaction dirtied to the log, on the event loop) takes
   * about `commitBudgetMs` — halving at once when it took longer, doubling
   * up to `maxRows` when it took under half.
   */
  limit: number;
  private release: (() => void) | null = null;

  constructor(
    private readonly store: SyncStore,
    readonly maxRows: number,
    private readonly commitBudgetMs = 25,
  ) {
    this.limit = Math.min(maxRows, 4000);
  }

  /** Whether it may take in another page of rows. */
  get hasRoom(): boolean {
    return this.rows < this.limit;
  }

  get open(): boolean {
    return this.release !== null;
  }

  /** Opens it when the outbox is empty (else false: pending mutations need applyPage's rebase). */
  async start(): Promise<boolean> {
    if (this.release) return true;
    if (this.store.pendingCount() !== 0) return false;
    const release = await this.store.lease();
    if (this.store.pendingCount() !== 0) {
      release(); // a local mutation got in while we waited for the lock
      return false;
    }
    try {
      this.store.beginBulk();
    } catch (e) {
      release();
      throw e;
    }
    this.release = release;
    this.rows = 0;
    return true;
  }

  /** Commits what was applied (every chunk carries its cursor) and lets other writers in. */
  async close(): Promise<void> {
    const release = this.release;
    if (!release) return;
    this.release = null;
    try {
      const started = performance.now();
      this.store.commitBulk();
      const ms = performance.now() - started;
      if (ms > this.commitBudgetMs) this.limit = Math.max(500, Math.floor((this.limit * this.commitBudgetMs) / ms));
      else if (ms < this.commitBudgetMs / 2 && this.rows >= this.limit) this.limit = Math.min(this.maxRows, this.limit * 2);
    } catch (e) {
      this.store.rollbackBulk();
      throw e;
    } finally {
      release();
    }
  }

  abort(): void {
    const release = this.release;
    if (!release) return;
    this.release = null;
    try {
      this.store.rollbackBulk();
    } finally {
      release();
    }
  }
}

/**
 * The leading mutations of `pending` whose arguments fit in `maxBytes` of
 * JSON (always at least one): a push of large mutations (bulk imports,
 * credit statements) stays well under the server's request body limit.
 */
export function fitPushBody<T extends { args: string }>(pending: T[], maxBytes: number): T[] {
  let bytes = 0;
  for (let i = 0; i < pending.length; i++) {
    bytes += Buffer.byteLength(pending[i]!.args) + 64;
    if (bytes > maxBytes && i > 0) return pending.slice(0, i);
  }
  return pending;
}

export class SyncClient extends EventEmitter<SyncClientEvents> {
  readonly store: SyncStore;
  readonly rejections: RejectionInbox;
  readonly schemaVersion: number;
  private readonly transport: SyncTransport;
  private readonly pushBatch: number;
  private readonly pullLimit: number;
  private readonly bulkPullLimit: number;
  private readonly pageBudgetMs: number;
  private readonly bulkTransactionRows: number;
  private readonly snapshotLimit: number;
  private readonly clock: () => Date;
  private readonly yieldTurn: () => Promise<void>;
  private inFlight: Promise<SyncReport> | null = null;
  private online: boolean | null = null;
  private lastError: SyncStatus['lastError'] = null;
  private progress: SyncProgress | null = null;

  constructor(private readonly options: SyncClientOptions) {
    super();
    this.store = new SyncStore(options.db, { writeLock: options.writeLock });
    this.transport = options.transport;
    this.schemaVersion = options.schemaVersion ?? SYNC_SCHEMA_VERSION;
    this.pushBatch = Math.min(MAX_PUSH_MUTATIONS, Math.max(1, options.pushBatchSize ?? 200));
    this.pullLimit = Math.max(1, Math.min(MAX_PULL_LIMIT, options.pullLimit ?? 2000));
    this.bulkPullLimit = Math.max(1, Math.min(MAX_PULL_LIMIT, options.bulkPullLimit ?? this.pullLimit));
    this.pageBudgetMs = Math.max(1, options.pageBudgetMs ?? 20);
    this.chunkRows = Math.min(250, this.pullLimit);
    this.bulkTransactionRows = Math.max(1, options.bulkTransactionRows ?? 20_000);
    this.snapshotLimit = Math.max(1, options.snapshotLimit ?? DEFAULT_SNAPSHOT_LIMIT);
    this.clock = options.now ?? (() => new Date());
    this.yieldTurn = options.yieldTurn ?? (() => new Promise<void>((r) => setImmediate(r)));
    this.rejections = new RejectionInbox(options.db, () => this.actor(), this.clock, options.writeLock);
    this.rejections.on('changed', () => this.emitStatus());
    const stored = this.store.meta(META_KEYS.lastError);
    if (stored) this.lastError = JSON.parse(stored) as SyncStatus['lastError'];
  }

  private actor(): Actor {
    if (this.options.actor) return this.options.actor();
    const u = this.store.user;
    return u ? { userId: u.id, role: u.role } : LOCAL_ADMIN;
  }

  private nowIso(): string {
    return this.clock().toISOString();
  }

  status(): SyncStatus {
    const updateRequired = this.currentUpdateRequired();
    const syncing = this.inFlight !== null;
    let state: SyncState = 'idle';
    if (syncing) state = 'syncing';
    else if (updateRequired) state = 'update_required';
    else if (this.lastError?.kind === 'unauthenticated') state = 'login_required';
    else if (this.online === false) state = 'offline';
    else if (this.lastError) state = 'error';
    return {
      state,
      online: this.online,
      syncing,
      pending: this.store.pendingCount(),
      rejected: this.store.openRejectionCount(),
      cursor: this.store.cursor,
      lastSyncAt: this.store.meta(META_KEYS.lastSyncAt),
      lastError: this.lastError,
      updateRequired,
      progress: this.progress,
    };
  }

  private emitStatus(): void {
    this.emit('status', this.status());
  }

  private setProgress(p: SyncProgress | null): void {
    this.progress = p;
    if (p) this.emit('progress', p);
  }

  /** The stored 'update required' verdict, unless this app now speaks a newer schema (it was updated). */
  private currentUpdateRequired(): UpdateRequired | null {
    const u = this.store.updateRequired;
    if (u && this.schemaVersion > u.schemaVersion) {
      this.store.setUpdateRequired(null);
      return null;
    }
    return u;
  }

  /** Runs one cycle (push, then pull until caught up); joins the cycle under way if there is one. */
  syncOnce(): Promise<SyncReport> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.run().finally(() => {
      this.inFlight = null;
      this.setProgress(null);
      this.emitStatus();
    });
    this.emitStatus();
    return this.inFlight;
  }

  /** Forces a rebuild of the local tables from a server snapshot (keeps the outbox), then syncs. */
  async reload(): Promise<SyncReport> {
    this.store.requestRebuild();
    return this.syncOnce();
  }

  get running(): boolean {
    return this.inFlight !== null;
  }

  private async run(): Promise<SyncReport> {
    const started = Date.now();
    const report: SyncReport = { pushed: 0, pulledRows: 0, pages: 0, acknowledged: 0, rejected: [], refusedLocally: 0, resynced: false, cursor: this.store.cursor, durationMs: 0 };
    try {
      const update = this.currentUpdateRequired();
      if (update) throw new SyncTransportError('client_too_old', update.message, { code: 'CLIENT_TOO_OLD' });
      const clientId = this.store.clientId();
      await this.pushAll(clientId, report);
      await this.pullAll(clientId, report);
      if (this.store.rebuildRequired) {
        await this.rebuild(clientId, report);
        await this.pullAll(clientId, report);
      }
      this.online = true;
      this.lastError = null;
      this.store.setMeta(META_KEYS.lastError, null);
      this.store.setMeta(META_KEYS.lastSyncAt, this.nowIso());
      report.cursor = this.store.cursor;
      report.durationMs = Date.now() - started;
      return report;
    } catch (e) {
      this.fail(e);
      throw e;
    }
  }

  private fail(e: unknown): void {
    const at = this.nowIso();
    if (isSyncTransportError(e)) {
      this.online = !e.offline;
      if (e.kind === 'client_too_old') {
        const d = e.extra.details ?? {};
        const num = (v: unknown) => (typeof v === 'number' ? v : null);
        if (!this.store.updateRequired) {
          this.store.setUpdateRequired({
            message: e.message,
            schemaVersion: this.schemaVersion,
            minSchemaVersion: num(d.minSchemaVersion),
            serverSchemaVersion: num(d.serverSchemaVersion),
            at,
          });
        }
      }
      this.lastError = { kind: e.kind, message: e.message, at };
    } else {
      this.lastError = { kind: 'local', message: e instanceof Error ? e.message : String(e), at };
    }
    this.store.setMeta(META_KEYS.lastError, JSON.stringify(this.lastError));
    this.emit('syncError', e instanceof Error ? e : new Error(String(e)));
  }

  // ------------------------------------------------------------ push

  private async pushAll(clientId: string, report: SyncReport): Promise<void> {
    let after = this.store.acked;
    const total = this.store.pendingCount();
    let done = 0;
    let gaps = 0;
    for (;;) {
      const batch = fitPushBody(this.store.pendingAfter(after, this.pushBatch), this.options.pushBatchBytes ?? PUSH_BATCH_BYTES);
      if (!batch.length) return;
      const base = this.store.base;
      const res = await this.transport.push({
        clientId,
        schemaVersion: this.schemaVersion,
        mutations: batch.map((m) => ({ id: m.mutation_id - base, name: m.name, args: JSON.parse(m.args) as unknown })),
      });
      report.pushed += res.results.length;
      done += res.results.length;
      if (res.gap) {
        // The server expects an id we have already settled: it lost mutations it had acknowledged
        // (restored from a backup). Number the pending ones from where it is, and reload its state.
        if (++gaps > 2) throw new SyncTransportError('protocol', `The server keeps refusing this client's mutation ids (${res.gap.message}).`);
        this.store.rebaseWireIds(res.gap.expectedId);
        this.store.requestRebuild();
        after = this.store.acked;
        continue;
      }
      const through = res.lastMutationId + base;
      if (through < batch[batch.length - 1]!.mutation_id) {
        throw new SyncTransportError('protocol', `The server stopped at mutation ${res.lastMutationId} without saying why.`);
      }
      after = through;
      this.setProgress({ phase: 'push', done, estimated: Math.max(total, done) });
    }
  }

  // ------------------------------------------------------------ pull

  private async fetchResults(clientId: string, afterWire: number): Promise<{ results: MutationResult[]; last: number }> {
    const results: MutationResult[] = [];
    let after = afterWire;
    for (;;) {
      const page = await this.transport.results({ clientId, schemaVersion: this.schemaVersion, after, limit: 1000 });
      results.push(...page.results);
      if (page.results.length < 1000) return { results, last: results.length ? results[results.length - 1]!.id : afterWire };
      after = page.results[page.results.length - 1]!.id;
    }
  }

  /** The server's head, from a resync answer to a cursor beyond any history (progress estimates only). */
  private async head(clientId: string): Promise<number | null> {
    try {
      const r = await this.transport.pull({ clientId, schemaVersion: this.schemaVersion, cursor: Number.MAX_SAFE_INTEGER, limit: 1 });
      return r.kind === 'resync' ? r.cursor : null;
    } catch {
      return null;
    }
  }

  /**
   * Pulls until caught up. The next page is requested as soon as a page
   * arrives, so the server works on it while this one is applied. A page is
   * applied in chunks that end on a change-sequence boundary — each chunk is
   * itself a valid page (its changes, the results decided up to its last
   * seq, that seq as cursor) — sized so that one takes about
   * `pageBudgetMs`; the event loop runs between chunks.
   *
   * With pending local mutations every chunk is one transaction (applyPage:
   * undo, apply, settle, replay). With an empty outbox (the initial sync)
   * chunks go through the bulk path: one transaction stays open across
   * chunks and across pages as long as the next page has already arrived,
   * up to `bulkTransactionRows` rows, so SQLite writes each touched index
   * page to the log once per few thousand rows instead of once per chunk.
   * It never stays open across a wait for the network: when the next page is
   * not there yet, the transaction commits (with its cursor) first. A crash
   * loses at most the open transaction; the next cycle resumes from the
   * committed cursor.
   */
  private async pullAll(clientId: string, report: SyncReport): Promise<void> {
    let cursor = this.store.cursor;
    const startCursor = cursor;
    let done = 0;
    let head: number | null | undefined;
    let resyncs = 0;
    interface Fetch {
      promise: Promise<PullResponse>;
      value: PullResponse | null;
    }
    const fetch = (from: number): Fetch => {
      const bulkPage = this.options.bulkApply !== false && this.store.pendingCount() === 0;
      const p = this.transport.pull({ clientId, schemaVersion: this.schemaVersion, cursor: from, limit: bulkPage ? this.bulkPullLimit : this.pullLimit });
      const f: Fetch = { promise: p, value: null };
      p.then(
        (v) => (f.value = v),
        () => undefined, // a prefetch abandoned by an error elsewhere must not surface as unhandled
      );
      return f;
    };
    let next = fetch(cursor);
    // The cost per change differs between cycles (own changes coming back cost more than new rows): start small.
    this.chunkRows = Math.min(250, this.pullLimit);
    let checkpointer: BackgroundCheckpointer | null = null;
    const bulk = new BulkTransaction(this.store, this.bulkTransactionRows);
    try {
      for (;;) {
        const page = await next.promise;
        if (page.kind === 'resync') {
          await bulk.close();
          if (++resyncs > MAX_RESYNCS_PER_CYCLE) throw new SyncTransportError('protocol', 'The server keeps answering resync.');
          await this.resync(clientId, page, report);
          cursor = this.store.cursor;
          next = fetch(cursor);
          continue;
        }
        if (page.hasMore) next = fetch(page.cursor);
        if (page.hasMore && !checkpointer && this.options.backgroundCheckpoints !== false) {
          checkpointer = new BackgroundCheckpointer(this.options.db.raw, this.options.db.file);
          if (!checkpointer.start()) checkpointer = null;
        }
        // The page was parsed in this turn of the event loop: apply it in the next one.
        await this.yieldTurn();
        let results = page.results;
        const missing = bulk.open ? [] : this.store.missingResults(page.lastMutationId, results);
        if (missing.length) {
          const fetched = await this.fetchResults(clientId, Math.min(...missing) - 1);
          const have = new Set(results.map((r) => r.id));
          results = [...results, ...fetched.results.filter((r) => !have.has(r.id) && r.id <= page.lastMutationId)];
        }
        const useBulk = this.options.bulkApply !== false && page.changes.length > 0 && (bulk.open || (await bulk.start()));
        let from = 0;
        do {
          const chunk = pageChunk(page.changes, results, from, this.chunkRows, page);
          from = chunk.end;
          const started = performance.now();
          const outcome = useBulk ? this.store.applyBulk(chunk.page, this.nowIso()) : await this.store.applyPage(chunk.page, this.actor(), this.nowIso());
          if (useBulk) bulk.rows += outcome.rows;
          this.adaptChunk(outcome.rows, performance.now() - started);
          cursor = outcome.cursor;
          done += outcome.rows;
          report.pulledRows += outcome.rows;
          report.acknowledged += outcome.acknowledged;
          report.refusedLocally = outcome.refusedLocally;
          if (outcome.rejected.length) {
            report.rejected.push(...outcome.rejected);
            this.emit('rejected', outcome.rejected);
          }
          if (outcome.entities.length) this.emit('dataChanged', { entities: outcome.entities });
          if (from < page.changes.length) await this.yieldTurn();
        } while (from < page.changes.length);
        // Keep the bulk transaction open only into a page that is already here (never across a network wait).
        if (bulk.open && !(page.hasMore && next.value?.kind === 'changes' && bulk.hasRoom)) {
          await this.yieldTurn();
          await bulk.close();
        }
        report.pages++;
        if (page.hasMore && head === undefined && this.options.estimateProgress !== false) {
          await bulk.close();
          head = await this.head(clientId);
        }
        let estimated: number | null = page.hasMore ? null : done;
        if (page.hasMore && head != null && cursor > startCursor) {
          const perSeq = done / (cursor - startCursor);
          estimated = done + Math.round(Math.max(0, head - cursor) * perSeq);
        }
        this.setProgress({ phase: 'pull', done, estimated });
        this.emitStatus();
        if (!page.hasMore) return;
        await this.yieldTurn();
      }
    } catch (e) {
      bulk.abort();
      throw e;
    } finally {
      await bulk.close();
      this.store.endBulk();
      await checkpointer?.finish();
    }
  }

  /** Changes applied per transaction (adapts to `pageBudgetMs`, from 50 up to the larger page limit). */
  private chunkRows: number;

  private adaptChunk(rows: number, ms: number): void {
    if (rows < this.chunkRows / 2 || ms <= 0) return; // a short chunk says little about the cost per row
    const ideal = Math.round((this.pageBudgetMs / ms) * rows);
    // Grow by at most 2× per chunk, shrink at once.
    const most = Math.max(this.pullLimit, this.bulkPullLimit);
    this.chunkRows = Math.max(Math.min(50, most), Math.min(most, ideal, this.chunkRows * 2));
  }

  // ------------------------------------------------------------ resync

  private async rebuild(clientId: string, report: SyncReport): Promise<void> {
    const answer = await this.transport.pull({ clientId, schemaVersion: this.schemaVersion, cursor: Number.MAX_SAFE_INTEGER, limit: 1 });
    if (answer.kind !== 'resync') throw new SyncTransportError('protocol', 'The server did not give a resync point for a rebuild.');
    await this.resync(clientId, answer, report);
  }

  private async resync(clientId: string, answer: PullResync, report: SyncReport): Promise<void> {
    report.resynced = true;
    // Results first: every mutation they cover is already in the snapshot read after them.
    const base = this.store.base;
    const { results, last } = await this.fetchResults(clientId, Math.max(0, this.store.acked - base));
    await this.store.beginSnapshot();
    try {
      let done = 0;
      for (const entity of ENTITY_NAMES) {
        let after: string | undefined;
        for (;;) {
          const page = await this.transport.snapshot({ clientId, schemaVersion: this.schemaVersion, entity, after, limit: this.snapshotLimit });
          await this.store.stageSnapshotRows(entity, page.rows);
          done += page.rows.length;
          this.setProgress({ phase: 'snapshot', done, estimated: null });
          await this.yieldTurn();
          if (page.nextAfter === null) break;
          after = page.nextAfter;
        }
      }
      const outcome = await this.store.swapSnapshot({ cursor: answer.cursor, lastMutationId: last, results }, this.actor(), this.nowIso());
      report.acknowledged += outcome.acknowledged;
      report.pulledRows += outcome.rows;
      if (outcome.rejected.length) {
        report.rejected.push(...outcome.rejected);
        this.emit('rejected', outcome.rejected);
      }
      this.emit('dataChanged', { entities: outcome.entities });
    } finally {
      await this.store.endSnapshot();
    }
  }
}
