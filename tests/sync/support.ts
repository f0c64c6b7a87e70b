/**
 * The sync suite's world: the real server in process (PGlite, or the
 * PostgreSQL of TEST_DATABASE_URL) reached through the real HttpTransport
 * over `inject`, a fault-injecting transport in between, and several client
 * profiles on real SQLite files. Plus the checks of DESIGN §5's invariants.
 */
import path from 'node:path';
import { expect } from 'vitest';
import { sql } from 'kysely';
import { SyncStore } from '../../electron/core/sync/local-store';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { LocalTables } from '../../db/sqlite/local-tables';
import { openSqlite, type LocalDatabase } from '../../db/sqlite/open';
import { buildServer } from '../../server/app';
import type { App } from '../../server/deps';
import { MemoryCredentialStore } from '../../electron/core/credentials';
import { applyLocalMutation, type LocalMutationResult } from '../../electron/core/local-mutations';
import { WriteLock } from '../../electron/core/write-lock';
import { AuthSession, HttpTransport, SyncClient, type FetchLike, type SyncClientOptions, type SyncTransport } from '../../electron/core/sync';
import { SyncTransportError, type PullRequest, type ResultsRequest, type SnapshotRequest } from '../../electron/core/sync/transport';
import { ENTITY_NAMES, COUNTED_STATUSES, type EntityName } from '../../shared/domain/entities';
import type { Role } from '../../shared/domain/roles';
import { MUTATIONS, isMutationName, type Actor } from '../../shared/mutators';
import { DEFAULT_RULES } from '../../shared/rules/business-rules';
import type { PullResponse, PushRequest, PushResponse, ResultsResponse, SnapshotResponse } from '../../shared/sync/protocol';
import { ADMIN_PASSWORD, createTestDatabase, TEST_SCRYPT, type TestDatabase } from '../server/harness';
import { tempDir } from '../helpers/temp';

export const M = (major: number) => Math.round(major * 100);

// ------------------------------------------------------------------ server

/** The server process: an app over a database that outlives it (restart = a new app on the same database). */
export class ServerProcess {
  app!: App;
  restarts = 0;
  private clock: () => Date = () => new Date();
  /** Called by the server for every mutation it starts (through its clock): a hook for mid-batch failures. */
  onTick: (() => void) | null = null;

  private constructor(
    readonly db: TestDatabase,
    private readonly extra: Partial<Parameters<typeof buildServer>[0]> = {},
  ) {}

  static async start(extra: Partial<Parameters<typeof buildServer>[0]> = {}): Promise<ServerProcess> {
    const s = new ServerProcess(await createTestDatabase(), extra);
    await s.boot();
    return s;
  }

  private async boot(): Promise<void> {
    this.app = await buildServer({
      database: this.db.database,
      adminPassword: ADMIN_PASSWORD,
      scrypt: TEST_SCRYPT,
      logger: { level: 'silent' },
      defaultMetrics: false,
      rateLimit: { max: 10_000_000, loginPerAddress: 1_000_000, loginFailuresPerUser: 1_000_000 },
      now: () => {
        this.onTick?.();
        return this.clock();
      },
      ...this.extra,
    });
  }

  /** Stops the app (in-flight requests finish or get 503) and starts a new one on the same database. */
  async restart(): Promise<void> {
    const old = this.app;
    await old.close();
    this.restarts++;
    await this.boot();
  }

  /** Listens on 127.0.0.1 (for hosts that use the real fetch, e.g. the CLI); returns the URL. */
  async listen(): Promise<string> {
    await this.app.listen({ host: '127.0.0.1', port: 0 });
    const a = this.app.server.address();
    return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  }

  fetch(): FetchLike {
    return injectFetch(() => this.app);
  }

  get kysely() {
    return this.db.database.db;
  }

  private adminToken: string | null = null;

  async admin(): Promise<{ authorization: string }> {
    if (!this.adminToken) {
      const r = await this.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
      this.adminToken = (r.json() as { accessToken: string }).accessToken;
    }
    return { authorization: `Bearer ${this.adminToken}` };
  }

  private users = 0;

  /** Creates a user; returns name and password. */
  async createUser(role: Role, name = `${role.replace('_', '-')}-${++this.users}-${process.pid}`): Promise<{ username: string; password: string }> {
    const password = `password-of-${name}`;
    const r = await this.app.inject({ method: 'POST', url: '/v1/admin/users', headers: await this.admin(), payload: { username: name, password, role } });
    if (r.statusCode !== 201) throw new Error(`create user: ${r.statusCode} ${r.body}`);
    return { username: name, password };
  }

  async prune(throughSeq: number): Promise<void> {
    const r = await this.app.inject({ method: 'POST', url: '/v1/admin/change-log/prune', headers: await this.admin(), payload: { throughSeq } });
    if (r.statusCode !== 200) throw new Error(`prune: ${r.statusCode} ${r.body}`);
  }

  async head(): Promise<number> {
    const r = await this.kysely.selectFrom('change_counter').select('seq').executeTakeFirstOrThrow();
    return Number(r.seq);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.db.drop();
  }
}

/** A fetch over Fastify's inject (no sockets): the real HTTP semantics of the routes. */
export function injectFetch(app: () => App): FetchLike {
  return async (url, init) => {
    const u = new URL(url);
    if (init.signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    const res = await app().inject({ method: init.method as 'GET' | 'POST', url: u.pathname + u.search, headers: init.headers, payload: init.body });
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
    return new Response(res.statusCode === 204 ? null : res.body, { status: res.statusCode, headers });
  };
}

// ------------------------------------------------------------------ faults

export type Fault =
  /** The request never reaches the server. */
  | { kind: 'drop-request' }
  /** The server processes it; the answer is lost (the client "dies" before reading it). */
  | { kind: 'drop-response' }
  /** Delivered twice, one after the other; the client reads the second answer. */
  | { kind: 'duplicate' }
  /** Delivered twice at the same time. */
  | { kind: 'duplicate-concurrent' }
  /** Delivered after `ms`. */
  | { kind: 'delay'; ms: number }
  /** A copy is kept and delivered again later, after newer requests (reordering). */
  | { kind: 'replay-later' }
  /** Push only: the first `after` mutations reach the server, then it restarts; the client sees a broken connection. */
  | { kind: 'restart-mid-batch'; after: number };

export type Op = 'push' | 'pull' | 'snapshot' | 'results';

/** Wraps a transport; faults are taken from a queue per operation, or decided by `decide`. */
export class FaultyTransport implements SyncTransport {
  readonly queue: Record<Op, Fault[]> = { push: [], pull: [], snapshot: [], results: [] };
  decide: ((op: Op) => Fault | null) | null = null;
  offline = false;
  /** Server-side "upgrade": requests older than this get 426 CLIENT_TOO_OLD (the real server's answer shape). */
  minSchemaVersion: number | null = null;
  /** Schema version the real server is sent (a newer client against the in-process server). */
  rewriteSchemaVersion: number | null = null;
  private readonly later: (() => Promise<unknown>)[] = [];
  readonly log: { op: Op; fault: Fault['kind'] | null }[] = [];
  /** Runs before each request (e.g. the analyst edits while a sync is under way). */
  before: ((op: Op) => Promise<void>) | null = null;

  constructor(
    readonly inner: SyncTransport,
    private readonly server: ServerProcess,
  ) {}

  private next(op: Op): Fault | null {
    return this.queue[op].shift() ?? this.decide?.(op) ?? null;
  }

  /** Delivers the requests kept by 'replay-later' (ignoring their answers). */
  async deliverLater(): Promise<void> {
    while (this.later.length) await this.later.shift()!().catch(() => undefined);
  }

  private async run<Q extends { schemaVersion: number }, R>(op: Op, req: Q, call: (q: Q) => Promise<R>): Promise<R> {
    if (this.offline) throw new SyncTransportError('offline', 'Cannot reach the server (test: offline).');
    if (this.minSchemaVersion !== null && req.schemaVersion < this.minSchemaVersion) {
      throw new SyncTransportError('client_too_old', `This app speaks sync schema ${req.schemaVersion}; the server needs at least ${this.minSchemaVersion}.`, {
        status: 426,
        code: 'CLIENT_TOO_OLD',
        details: { schemaVersion: req.schemaVersion, minSchemaVersion: this.minSchemaVersion, serverSchemaVersion: this.minSchemaVersion },
      });
    }
    const q = this.rewriteSchemaVersion !== null ? { ...req, schemaVersion: this.rewriteSchemaVersion } : req;
    await this.deliverLater();
    await this.before?.(op);
    const fault = this.next(op);
    this.log.push({ op, fault: fault?.kind ?? null });
    const lost = () => new SyncTransportError('offline', 'Connection reset (test).');
    switch (fault?.kind) {
      case undefined:
        return call(q);
      case 'drop-request':
        throw lost();
      case 'drop-response':
        await call(q);
        throw lost();
      case 'duplicate':
        await call(q).catch(() => undefined);
        return call(q);
      case 'duplicate-concurrent': {
        const [a, b] = await Promise.allSettled([call(q), call(q)]);
        if (b.status === 'fulfilled') return b.value;
        if (a.status === 'fulfilled') return a.value;
        throw b.reason;
      }
      case 'delay':
        await new Promise((r) => setTimeout(r, fault.ms));
        return call(q);
      case 'replay-later':
        this.later.push(() => call(q));
        return call(q);
      case 'restart-mid-batch': {
        const p = q as unknown as PushRequest;
        if (op !== 'push') return call(q);
        await call({ ...p, mutations: p.mutations.slice(0, fault.after) } as unknown as Q);
        await this.server.restart();
        throw lost();
      }
    }
  }

  push(req: PushRequest): Promise<PushResponse> {
    return this.run('push', req, (q) => this.inner.push(q));
  }
  pull(req: PullRequest): Promise<PullResponse> {
    return this.run('pull', req, (q) => this.inner.pull(q));
  }
  snapshot(req: SnapshotRequest): Promise<SnapshotResponse> {
    return this.run('snapshot', req, (q) => this.inner.snapshot(q));
  }
  results(req: ResultsRequest): Promise<ResultsResponse> {
    return this.run('results', req, (q) => this.inner.results(q));
  }
}

// ------------------------------------------------------------------ clients

export interface ClientOptions {
  role?: Role;
  /** Reuse a user (two profiles of one user). */
  user?: { username: string; password: string };
  file?: string;
  sync?: Partial<Omit<SyncClientOptions, 'db' | 'transport'>>;
  /** Local clock offset, ms (skewed laptops). */
  skewMs?: number;
}

let clientCounter = 0;

/** One analyst's laptop: a profile database, a signed-in session and a sync client behind a faulty transport. */
export class TestClient {
  readonly made: number[] = [];
  readonly name: string;
  /** The workstation's write lock: local mutations and sync transactions take turns, as in the hosts. */
  readonly writes = new WriteLock();
  private cursors: number[] = [];
  client!: SyncClient;
  transport!: FaultyTransport;
  session!: AuthSession;
  db!: LocalDatabase;

  private constructor(
    readonly world: World,
    readonly file: string,
    readonly user: { username: string; password: string; id: string; role: Role },
    readonly credentials: MemoryCredentialStore,
    readonly options: ClientOptions,
  ) {
    this.name = `client-${++clientCounter}`;
  }

  static async create(world: World, options: ClientOptions = {}): Promise<TestClient> {
    const login = options.user ?? (await world.server.createUser(options.role ?? 'analyst'));
    const file = options.file ?? path.join(world.dir, `client-${++clientCounter}.sqlite`);
    const credentials = new MemoryCredentialStore();
    const c = new TestClient(world, file, { ...login, id: '', role: options.role ?? 'analyst' }, credentials, options);
    c.open();
    const user = await c.session.login(login.username, login.password);
    c.user.id = user.id;
    c.user.role = user.role;
    c.client.store.bind(c.session.serverUrl, user);
    return c;
  }

  get actor(): Actor {
    return { userId: this.user.id, role: this.user.role };
  }

  now(): Date {
    return new Date(Date.now() + (this.options.skewMs ?? 0));
  }

  /** Opens (or reopens, after a "crash") the profile and its sync client. */
  open(overrides: Partial<Omit<SyncClientOptions, 'db' | 'transport'>> = {}): void {
    this.db = openSqlite(this.file);
    this.session = new AuthSession({ serverUrl: SERVER_URL, credentials: this.credentials, account: `test ${this.file}`, fetch: this.world.server.fetch() });
    const http = new HttpTransport({ session: this.session, fetch: this.world.server.fetch(), strict: true });
    const prevFaults = this.transport;
    this.transport = new FaultyTransport(http, this.world.server);
    if (prevFaults) {
      this.transport.minSchemaVersion = prevFaults.minSchemaVersion;
      this.transport.rewriteSchemaVersion = prevFaults.rewriteSchemaVersion;
    }
    this.client = new SyncClient({ pullLimit: 50, pushBatchSize: 5, snapshotLimit: 20, ...this.options.sync, ...overrides, db: this.db, transport: this.transport, actor: () => this.actor, now: () => this.now(), writeLock: this.writes });
  }

  /** Pages the fast rebase applied and checked against the full rebase (verifyRebase). */
  fastChecked = 0;

  /**
   * From now on every page is also applied with the full undo/replay rebase
   * to a copy of the database, and the fast path's result must be identical.
   */
  verifyRebase(): void {
    const store = this.client.store;
    const apply = store.applyPage.bind(store);
    const image = () => {
      const bytes = this.db.raw.serialize();
      bytes[18] = 1; // a WAL database image, opened in memory, must say "rollback journal"
      bytes[19] = 1;
      const copy = new Database(bytes);
      copy.pragma('foreign_keys = ON');
      return copy;
    };
    store.applyPage = async (page, actor, now) => {
      let before: Database.Database | null = null;
      let after: Database.Database | null = null;
      store.onPageStart = () => (before = image());
      store.onPageEnd = () => (after = store.lastPath === 'fast' ? image() : null);
      const out = await apply(page, actor, now);
      store.onPageStart = store.onPageEnd = null;
      const b = before as Database.Database | null;
      const a = after as Database.Database | null;
      if (b && a) {
        const copyDb: LocalDatabase = {
          file: `${this.file}.copy`,
          raw: b,
          kysely: new Kysely<LocalTables>({ dialect: new SqliteDialect({ database: b }) }),
          migration: { from: 0, to: 0, applied: [] },
          close: async () => undefined,
        };
        const slow = new SyncStore(copyDb);
        slow.fastRebaseEnabled = false;
        await slow.applyPage(page, actor, now);
        for (const t of [...ENTITY_NAMES, 'outbox', 'undo_log', 'rejection', 'own_write', 'sync_meta']) {
          const q = `SELECT * FROM "${t}" ORDER BY 1, 2`;
          expect(a.prepare(q).all(), `fast rebase differs from the full one in ${t}`).toEqual(b.prepare(q).all());
        }
        this.fastChecked++;
        await copyDb.kysely.destroy();
        a.close();
      } else {
        b?.close();
      }
      return out;
    };
  }

  /** The process dies (nothing is flushed beyond what SQLite committed) and starts again. */
  async crashAndRestart(overrides: Partial<Omit<SyncClientOptions, 'db' | 'transport'>> = {}): Promise<void> {
    await this.db.close();
    this.open(overrides);
  }

  async mutate(name: string, args: Record<string, unknown>): Promise<LocalMutationResult | Error> {
    try {
      const r = await this.writes.run(() => applyLocalMutation(this.db, this.actor, name, args, this.now().toISOString()));
      this.made.push(r.mutationId);
      return r;
    } catch (e) {
      return e as Error;
    }
  }

  async mustMutate(name: string, args: Record<string, unknown>): Promise<LocalMutationResult> {
    const r = await this.mutate(name, args);
    if (r instanceof Error) throw r;
    return r;
  }

  /** One sync cycle; records the cursor (invariant 2). Returns the error instead of throwing. */
  async sync(): Promise<Error | null> {
    try {
      await this.client.syncOnce();
      return null;
    } catch (e) {
      return e as Error;
    } finally {
      this.cursors.push(this.client.store.cursor);
      const state = await this.world.server.kysely.selectFrom('client_state').select('last_mutation_id').where('client_id', '=', this.client.store.clientId()).executeTakeFirst();
      this.lastIds.push(Number(state?.last_mutation_id ?? 0));
    }
  }

  /** The server's last_mutation_id of this client after each sync (invariant 2). */
  readonly lastIds: number[] = [];

  async mustSync(): Promise<void> {
    const e = await this.sync();
    if (e) throw e;
  }

  version(entity: EntityName, id: string): number | undefined {
    return this.db.raw.prepare<[string], { version: number }>(`SELECT version FROM "${entity}" WHERE id = ?`).get(id)?.version;
  }

  row(entity: EntityName, id: string): Record<string, unknown> | undefined {
    return this.db.raw.prepare<[string], Record<string, unknown>>(`SELECT * FROM "${entity}" WHERE id = ?`).get(id);
  }

  cursorHistory(): readonly number[] {
    return this.cursors;
  }

  /** After a deliberate rewind (a server restored from a backup), start the history again. */
  resetCursorHistory(): void {
    this.cursors = [];
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

export const SERVER_URL = 'http://meridian.test';

export class World {
  readonly clients: TestClient[] = [];
  /** The clients the current test works with (quiesce and the table comparison default to them). */
  active: TestClient[] = [];
  readonly dir = tempDir('meridian-sync-');

  private constructor(readonly server: ServerProcess) {}

  static async create(server: Partial<Parameters<typeof buildServer>[0]> = {}): Promise<World> {
    return new World(await ServerProcess.start(server));
  }

  async client(options: ClientOptions = {}): Promise<TestClient> {
    const c = await TestClient.create(this, options);
    this.clients.push(c);
    this.active.push(c);
    return c;
  }

  /** Every client online without faults, syncing until nothing is pending anywhere, then once more each. */
  async quiesce(clients: readonly TestClient[] = this.active): Promise<void> {
    for (const c of clients) {
      c.transport.offline = false;
      c.transport.decide = null;
      for (const q of Object.values(c.transport.queue)) q.length = 0;
      await c.transport.deliverLater();
    }
    for (let round = 0; round < 6; round++) {
      for (const c of clients) await c.mustSync();
      if (clients.every((c) => c.client.store.pendingCount() === 0)) break;
    }
    for (const c of clients) await c.mustSync();
  }

  async close(): Promise<void> {
    for (const c of this.clients) await c.close().catch(() => undefined);
    await this.server.close();
  }
}

// ------------------------------------------------------------------ invariants (DESIGN §5)

type Rows = Record<string, unknown>[];

function normalise(rows: Rows): Rows {
  return rows
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v])))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

export async function serverRows(server: ServerProcess, entity: EntityName): Promise<Rows> {
  const db = server.kysely as unknown as Kysely<Record<string, Record<string, unknown>>>;
  return normalise((await db.selectFrom(entity).selectAll().execute()) as Rows);
}

export function clientRows(c: TestClient, entity: EntityName): Rows {
  return normalise(c.db.raw.prepare(`SELECT * FROM "${entity}"`).all() as Rows);
}

export interface InvariantOptions {
  /** Clients whose tables, cursors and mutations to check (default: the world's active clients). */
  clients?: readonly TestClient[];
}

/** Checks the six invariants of DESIGN §5 after quiescence. */
export async function checkInvariants(world: World, options: InvariantOptions = {}): Promise<void> {
  const clients = options.clients ?? world.active;
  const db = world.server.kysely;

  // 1. one result per (client, mutation id); effects at most once (one change-log seq per mutation).
  const results = await db.selectFrom('mutation_result').select(['client_id', 'mutation_id', 'status', 'name', 'seq']).execute();
  const resultKey = new Map<string, (typeof results)[number]>();
  for (const r of results) {
    const k = `${r.client_id}/${r.mutation_id}`;
    expect(resultKey.has(k), `two results for ${k}`).toBe(false);
    resultKey.set(k, r);
  }
  const states = await db.selectFrom('client_state').select(['client_id', 'last_mutation_id']).execute();
  for (const s of states) {
    const ids = results.filter((r) => r.client_id === s.client_id).map((r) => Number(r.mutation_id));
    expect(ids.length, `results of ${s.client_id}`).toBe(Number(s.last_mutation_id));
  }
  const effects = await sql<{ client_id: string; mutation_id: number; seqs: number }>`
    select client_id, mutation_id, count(distinct seq)::int as seqs from change_log where mutation_id is not null group by client_id, mutation_id having count(distinct seq) > 1`.execute(db);
  expect(effects.rows, 'a mutation whose effects were applied more than once').toEqual([]);
  const appliedWithEffects = await sql<{ client_id: string; mutation_id: number; seq: number }>`
    select distinct client_id, mutation_id, seq from change_log where mutation_id is not null`.execute(db);
  for (const e of appliedWithEffects.rows) {
    const r = resultKey.get(`${e.client_id}/${e.mutation_id}`);
    expect(r?.status, `effects of ${e.client_id}/${e.mutation_id} without an applied result`).toBe('applied');
    expect(Number(r?.seq)).toBe(Number(e.seq));
  }

  // 2. cursors and last mutation ids never go backwards.
  for (const c of clients) {
    const h = c.cursorHistory();
    for (let i = 1; i < h.length; i++) expect(h[i]!, `${c.name} cursor went back`).toBeGreaterThanOrEqual(h[i - 1]!);
  }
  for (const c of clients) {
    const seen = c.lastIds;
    for (let i = 1; i < seen.length; i++) expect(seen[i]!, `${c.name} last mutation id went back`).toBeGreaterThanOrEqual(seen[i - 1]!);
  }

  // 3. every applied or rejected financial mutation has exactly one audit entry.
  const audits = await db.selectFrom('audit_log').select(['client_id', 'mutation_id', 'status']).where('mutation_id', 'is not', null).execute();
  const auditCount = new Map<string, number>();
  for (const a of audits) auditCount.set(`${a.client_id}/${a.mutation_id}`, (auditCount.get(`${a.client_id}/${a.mutation_id}`) ?? 0) + 1);
  for (const r of results) {
    const financial = isMutationName(r.name) && MUTATIONS[r.name].financial;
    const n = auditCount.get(`${r.client_id}/${r.mutation_id}`) ?? 0;
    expect(n, `audit entries of ${r.name} ${r.client_id}/${r.mutation_id}`).toBe(financial ? 1 : 0);
  }

  // 4. no committed state breaks a business rule.
  const rulesRow = await db.selectFrom('business_rules').select('body').orderBy('revision', 'desc').executeTakeFirst();
  const rules = rulesRow ? (JSON.parse(rulesRow.body) as typeof DEFAULT_RULES) : DEFAULT_RULES;
  const funds = await db.selectFrom('fund').select(['id', 'size']).execute();
  const allocs = await db.selectFrom('allocation').select(['fund_id', 'deal_id', 'amount', 'status']).where('deleted_at', 'is', null).execute();
  for (const f of funds) {
    const counted = allocs.filter((a) => a.fund_id === f.id && COUNTED_STATUSES.includes(a.status));
    const total = counted.reduce((t, a) => t + Number(a.amount), 0);
    expect(total, `fund ${f.id} total`).toBeLessThanOrEqual(rules.maxAllocationPerFund);
    expect(total * 100, `fund ${f.id} utilisation`).toBeLessThanOrEqual(rules.maxFundUtilisationPct * Number(f.size) + 1e-6);
    const byDeal = new Map<string, number>();
    for (const a of counted) byDeal.set(a.deal_id, (byDeal.get(a.deal_id) ?? 0) + Number(a.amount));
    for (const [deal, sum] of byDeal) expect(sum, `fund ${f.id} deal ${deal}`).toBeLessThanOrEqual(rules.maxAllocationPerDeal);
  }

  // 5. after quiescence every client's tables equal the server's.
  for (const entity of ENTITY_NAMES) {
    const s = await serverRows(world.server, entity);
    for (const c of clients) expect(clientRows(c, entity), `${c.name} ${entity}`).toEqual(s);
  }

  // 6. every local mutation ends up acknowledged, pending or in the rejection inbox.
  for (const c of clients) {
    const clientId = c.client.store.clientId();
    const base = c.client.store.base;
    const pending = new Set(c.client.store.pending().map((p) => p.mutation_id));
    const rejected = new Set(c.db.raw.prepare<[], { mutation_id: number }>('SELECT mutation_id FROM rejection').all().map((r) => r.mutation_id));
    for (const id of c.made) {
      const r = resultKey.get(`${clientId}/${id - base}`);
      const where = [r?.status === 'applied' && !pending.has(id) ? 'acknowledged' : null, pending.has(id) ? 'pending' : null, rejected.has(id) ? 'rejected' : null].filter(Boolean);
      expect(where, `${c.name} mutation ${id}`).toHaveLength(1);
      if (r?.status === 'rejected') expect(rejected.has(id), `${c.name} mutation ${id} rejected by the server but not in the inbox`).toBe(true);
    }
  }
}

export function rulesFor(pct = DEFAULT_RULES.maxFundUtilisationPct) {
  return { ...DEFAULT_RULES, maxFundUtilisationPct: pct };
}
