/**
 * Sync benchmarks (issue 4, docs/sync-client.md § Performance):
 *
 * - Initial sync of BENCH_SYNC_ROWS (default 1,000,000) rows into an empty
 *   client: the real SyncClient over HttpTransport (global fetch) against the
 *   real server listening on 127.0.0.1 in a CHILD process (so the server's
 *   work never runs on the measured event loop), rows/s.
 * - Beside it, the raw pipeline in the same run: the same rows read straight
 *   from the server's database (keyset pages of 10,000) and inserted into a
 *   fresh client database with prepared statements — no HTTP, no JSON.
 * - Push of BENCH_SYNC_MUTATIONS (default 10,000) offline mutations
 *   (mutations/s for the push alone, and for the whole cycle including
 *   pulling them back and rebasing).
 * - The client's event loop during every sync: the longest block, from
 *   perf_hooks.monitorEventLoopDelay and from a 1 ms timer drift probe.
 *
 * The server database is PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL
 * (a fresh database is created in it), else a throwaway cluster started with
 * tests/server/start-postgres.sh; PGlite in a temporary folder only when no
 * PostgreSQL is installed (or BENCH_SYNC_PGLITE=1) — much slower to seed. `benchSync()` returns the figures (bench/run.ts
 * writes bench/results/sync.json); `npx tsx bench/sync.ts` prints them.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { connectPostgres, INT8_OID, openPglite, parseInt8, type ServerDatabase } from '../db/postgres/connect';
import { openSqlite } from '../db/sqlite/open';
import { MemoryCredentialStore } from '../electron/core/credentials';
import { applyLocalMutation } from '../electron/core/local-mutations';
import { AuthSession, BackgroundCheckpointer, HttpTransport, SyncClient } from '../electron/core/sync';
import { buildServer } from '../server/app';
import { ENTITY_NAMES, type EntityName } from '../shared/domain/entities';

const ADMIN_PASSWORD = 'bench-admin-password';
const THIS_FILE = fileURLToPath(import.meta.url);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const began = performance.now();
/** Progress on stderr (the figures go to stdout / the results file). */
const note = (what: string) => process.stderr.write(`[bench sync +${Math.round((performance.now() - began) / 1000)} s] ${what}\n`);

interface ServerDb {
  /** What the child opens: a PostgreSQL URL or a PGlite folder. */
  target: { url: string } | { dir: string };
  kind: 'postgres' | 'pglite';
  open(): Promise<ServerDatabase>;
  dispose(): Promise<void>;
}

/** A throwaway PostgreSQL cluster from tests/server/start-postgres.sh, when its binaries are installed. */
function startThrowawayPostgres(): { url: string; stop(): void } | null {
  const script = path.join(path.dirname(THIS_FILE), '..', 'tests', 'server', 'start-postgres.sh');
  if (process.env.BENCH_SYNC_PGLITE || !fs.existsSync(script)) return null;
  // Its own folder directly under the temp dir: the cluster may run as another OS user (postgres, when we are root).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-bench-pg-'));
  try {
    const url = execFileSync('bash', [script, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (!url.startsWith('postgres://')) return null;
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      execFileSync('bash', [script, '--stop', dir], { stdio: 'ignore' });
    };
    // Interrupted (Ctrl-C, a timeout): do not leave the cluster running.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        stop();
        process.exit(130);
      });
    }
    return { url, stop };
  } catch {
    return null;
  }
}

async function serverDatabase(tmp: string): Promise<ServerDb> {
  let base = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  let cluster: { url: string; stop(): void } | null = null;
  if (!base) {
    cluster = startThrowawayPostgres();
    base = cluster?.url;
  }
  if (!base) {
    const dir = path.join(tmp, 'pglite');
    return { target: { dir }, kind: 'pglite', open: () => openPglite(dir), dispose: async () => {} };
  }
  const name = `meridian_bench_sync_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    target: { url },
    kind: 'postgres',
    open: async () => connectPostgres(url, { max: 4, statementTimeoutMillis: 0 }),
    async dispose() {
      if (cluster) return cluster.stop();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Seeds the server with `rows` synced rows, as the change log of as many
 * single-row mutations would hold them: 100 funds, 1,000 deals, the rest
 * allocations, one seq each, full JSON rows.
 */
async function seed(database: ServerDatabase, rows: number): Promise<{ funds: number; deals: number; allocations: number; head: number }> {
  const db = database.db;
  const head0 = Number((await db.selectFrom('change_counter').select('seq').executeTakeFirstOrThrow()).seq);
  const funds = 100;
  const deals = 1000;
  const allocations = Math.max(0, rows - funds - deals);
  const at = '2024-01-01T00:00:00.000Z';
  await sql`INSERT INTO fund (id, name, currency, vintage, size, version, updated_at, updated_by, deleted_at)
    SELECT 'bench-fund-' || lpad(g::text, 4, '0'), 'Bench fund ' || g, 'USD', 2020, 100000000000000, ${head0} + g, ${at}, 'bench', NULL
    FROM generate_series(1, ${funds}) g`.execute(db);
  await sql`INSERT INTO deal (id, name, sector, country, stage, version, updated_at, updated_by, deleted_at)
    SELECT 'bench-deal-' || lpad(g::text, 5, '0'), 'Bench deal ' || g, 'Industrials', 'US', 'Growth', ${head0 + funds} + g, ${at}, 'bench', NULL
    FROM generate_series(1, ${deals}) g`.execute(db);
  const chunk = 200_000;
  for (let start = 1; start <= allocations; start += chunk) {
    const end = Math.min(allocations, start + chunk - 1);
    await sql`INSERT INTO allocation (id, fund_id, deal_id, security_type, amount, status, date, approved_by, approved_at, version, updated_at, updated_by, deleted_at)
      SELECT '0190a5c0-0000-7000-8000-' || lpad(to_hex(g), 12, '0'),
             'bench-fund-' || lpad((1 + g % ${funds})::text, 4, '0'),
             'bench-deal-' || lpad((1 + g % ${deals})::text, 5, '0'),
             'senior_debt', 100000 + g, 'proposed', '2024-01-15', NULL, NULL,
             ${head0 + funds + deals} + g, ${at}, 'bench', NULL
      FROM generate_series(${start}::int, ${end}::int) g`.execute(db);
  }
  for (const entity of ['fund', 'deal', 'allocation'] as const) {
    await sql`INSERT INTO change_log (seq, idx, entity, id, op, row, client_id, mutation_id)
      SELECT t.version, 0, ${entity}, t.id, 'insert', row_to_json(t)::text, NULL, NULL FROM ${sql.table(entity)} t WHERE t.version > ${head0}`.execute(db);
  }
  const head = head0 + funds + deals + allocations;
  await sql`UPDATE change_counter SET seq = ${head} WHERE id = 1`.execute(db);
  await sql`ANALYZE`.execute(db);
  return { funds, deals, allocations, head };
}

/** One keyset page of an entity's rows, as arrays in `columns` order. */
type PageReader = (entity: EntityName, columns: readonly string[], after: string | null, limit: number) => Promise<unknown[][]>;

/** Reads pages with a dedicated pg client: rows as arrays (no per-row objects), int8 as numbers like the server. */
async function pgReader(url: string): Promise<{ read: PageReader; close(): Promise<void> }> {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, parseInt8);
  const client = new pg.Client({ connectionString: url, types });
  await client.connect();
  const read: PageReader = async (entity, columns, after, limit) => {
    const list = columns.map((c) => `"${c}"`).join(', ');
    const r = await client.query<unknown[]>({
      text: `SELECT ${list} FROM "${entity}" WHERE id > $1 ORDER BY id LIMIT ${limit}`,
      values: [after ?? ''],
      rowMode: 'array',
    });
    return r.rows;
  };
  return { read, close: () => client.end() };
}

/** PGlite (no pg wire): the same pages through Kysely. */
function kyselyReader(database: ServerDatabase): PageReader {
  const anyDb = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  return async (entity, columns, after, limit) => {
    let q = anyDb.selectFrom(entity).selectAll().orderBy('id').limit(limit);
    if (after !== null) q = q.where('id', '>', after);
    const rows = (await q.execute()) as Record<string, unknown>[];
    return rows.map((r) => columns.map((c) => r[c]));
  };
}

/**
 * The raw pipeline, the ceiling the initial sync is compared with: what a
 * competent hand-written loader does with the same rows and the same client
 * schema (indexes, foreign keys, WAL, checkpoints in a worker as during a
 * sync). Every synced row is read from the server's database in keyset
 * pages of 10,000 by id with the pg driver (rows as arrays), the next page
 * requested before the current one is written (reading overlaps writing),
 * and inserted with one prepared plain INSERT per table, 50,000 rows per
 * transaction. No HTTP, no JSON, no event-loop budget.
 */
async function rawPipeline(server: ServerDb, database: ServerDatabase, file: string): Promise<{ rows: number; ms: number; rowsPerSec: number; cpuMs: number; reader: string }> {
  const client = openSqlite(file);
  const raw = client.raw;
  const pgr = 'url' in server.target ? await pgReader(server.target.url) : null;
  const read = pgr?.read ?? kyselyReader(database);
  const checkpointer = new BackgroundCheckpointer(raw, file);
  const pageRows = 10_000;
  const txRows = 50_000;
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  checkpointer.start();
  let rows = 0;
  let inTx = 0;
  raw.exec('BEGIN');
  for (const entity of ENTITY_NAMES) {
    const columns = raw.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${entity}')`).all().map((c) => c.name);
    const idAt = columns.indexOf('id');
    const insert = raw.prepare(`INSERT INTO "${entity}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    let next: Promise<unknown[][]> | null = read(entity, columns, null, pageRows);
    while (next) {
      const page: unknown[][] = await next;
      next = page.length === pageRows ? read(entity, columns, String(page[page.length - 1]![idAt]), pageRows) : null;
      for (const r of page) {
        for (let i = 0; i < r.length; i++) if (typeof r[i] === 'boolean') r[i] = r[i] ? 1 : 0;
        insert.run(r);
      }
      rows += page.length;
      inTx += page.length;
      if (inTx >= txRows) {
        raw.exec('COMMIT');
        raw.exec('BEGIN');
        inTx = 0;
      }
    }
  }
  raw.exec('COMMIT');
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  await checkpointer.finish();
  await pgr?.close();
  await client.close();
  return { rows, ms: round(ms), rowsPerSec: Math.round(rows / (ms / 1000)), cpuMs: round((cpu.user + cpu.system) / 1000), reader: pgr ? 'pg (rows as arrays)' : 'kysely (pglite)' };
}

/** Starts the server in a child process (this file, role "server"); resolves with its URL. */
async function startServerChild(target: ServerDb['target']): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(THIS_FILE, [], {
    env: { ...process.env, BENCH_SYNC_ROLE: 'server', BENCH_SYNC_TARGET: JSON.stringify(target) },
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function stopServerChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.send('stop');
  await exited;
}

/** The child: the real server on an ephemeral port until told to stop. */
async function serveChild(): Promise<void> {
  const target = JSON.parse(process.env.BENCH_SYNC_TARGET!) as ServerDb['target'];
  const database = 'url' in target ? connectPostgres(target.url, { max: 8, statementTimeoutMillis: 0 }) : await openPglite(target.dir);
  const app = await buildServer({
    database,
    ownsDatabase: true,
    adminPassword: ADMIN_PASSWORD,
    logger: { level: 'warn' },
    defaultMetrics: false,
    rateLimit: { max: 10_000_000 },
    pushBodyLimit: 64 * 1024 * 1024,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  process.on('message', (m) => {
    if (m === 'stop') void app.close().then(() => process.exit(0));
  });
}

/** What the client was doing (set by the timing wrappers); BENCH_SYNC_TRACE=1 prints the phase of every block over 50 ms. */
let phase = 'idle';
/** The phase that ended last (a block is noticed by the probe only after it, when `phase` is idle again). */
let lastPhase = 'idle';
const trace = process.env.BENCH_SYNC_TRACE === '1';

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const hasSchedstat = fs.existsSync(SCHEDSTAT);

/**
 * CPU time of the main thread alone, ms: Linux's per-thread schedstat (ns on
 * the CPU), so the checkpoint worker and libuv's threads do not count;
 * elsewhere the whole process's CPU time.
 */
function mainThreadCpuMs(): number {
  if (hasSchedstat) return Number(fs.readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/**
 * The longest event-loop blocks while `fn` runs: the histogram of
 * perf_hooks.monitorEventLoopDelay, and a 1 ms timer probe. The probe also
 * reads the main thread's CPU time across each gap: on a loaded machine a
 * gap can be the OS running something else (the server process,
 * PostgreSQL, other work) while this thread waits for a CPU, not this thread
 * being busy. A gap counts as a block of the client's own making only as far
 * as the main thread used CPU during it (`maxBusyBlockMs`,
 * `busyBlocksOver50ms`).
 */
async function measureLoop<T>(fn: () => Promise<T>): Promise<{
  result: T;
  loop: { maxBlockMs: number; probeMaxGapMs: number; p99Ms: number; over50ms: number; maxBusyBlockMs: number; busyBlocksOver50ms: number };
}> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  let last = performance.now();
  let lastCpu = mainThreadCpuMs();
  let maxGap = 0;
  let over50 = 0;
  let maxBusy = 0;
  let busyOver50 = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    const cpu = mainThreadCpuMs();
    const gap = now - last - 1;
    const busy = Math.min(gap, cpu - lastCpu);
    if (gap > maxGap) maxGap = gap;
    if (busy > maxBusy) maxBusy = busy;
    if (gap > 50) {
      over50++;
      if (busy > 50) busyOver50++;
      if (trace) note(`block ${Math.round(gap)} ms (${Math.round(busy)} ms of CPU) during ${phase}, after ${lastPhase}`);
    }
    last = now;
    lastCpu = cpu;
  }, 1);
  try {
    const result = await fn();
    return {
      result,
      loop: {
        maxBlockMs: round(h.max / 1e6),
        probeMaxGapMs: round(maxGap),
        p99Ms: round(h.percentile(99) / 1e6),
        over50ms: over50,
        maxBusyBlockMs: round(maxBusy),
        busyBlocksOver50ms: busyOver50,
      },
    };
  } finally {
    clearInterval(probe);
    h.disable();
  }
}

/** Where a sync's time goes: waiting for the server (HTTP + parse) and applying pages. */
interface Breakdown {
  pullMs: number;
  pushMs: number;
  applyMs: number;
  maxApplyMs: number;
  /** Apply transactions (page chunks) and how many took over 50 ms. */
  applies: number;
  appliesOver50ms: number;
  rowsPerApply: number;
  /** How pages were applied: plain (nothing pending), fast (own changes back), slow (full rebase), empty. */
  paths: Record<string, number>;
  /** Bulk transactions committed, their total and longest COMMIT. */
  commits: number;
  commitMs: number;
  maxCommitMs: number;
}

async function client(file: string, url: string, pullLimit: number, bulkPullLimit: number) {
  const db = openSqlite(file);
  const session = new AuthSession({ serverUrl: url, credentials: new MemoryCredentialStore(), account: `bench ${file}` });
  const user = await session.login('admin', ADMIN_PASSWORD);
  const http = new HttpTransport({ session });
  const times: Breakdown = { pullMs: 0, pushMs: 0, applyMs: 0, maxApplyMs: 0, applies: 0, appliesOver50ms: 0, rowsPerApply: 0, paths: {}, commits: 0, commitMs: 0, maxCommitMs: 0 };
  const timed = <A extends unknown[], R>(key: 'pullMs' | 'pushMs', fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      const t = performance.now();
      phase = key;
      try {
        return await fn(...a);
      } finally {
        phase = 'idle';
        lastPhase = key;
        times[key] += performance.now() - t;
      }
    };
  const transport = {
    push: timed('pushMs', (q: Parameters<HttpTransport['push']>[0]) => http.push(q)),
    pull: timed('pullMs', (q: Parameters<HttpTransport['pull']>[0]) => http.pull(q)),
    snapshot: (q: Parameters<HttpTransport['snapshot']>[0]) => http.snapshot(q),
    results: (q: Parameters<HttpTransport['results']>[0]) => http.results(q),
  };
  const sync = new SyncClient({ db, transport, pullLimit, bulkPullLimit, pushBatchSize: 500, bulkApply: process.env.BENCH_SYNC_BULK !== '0' });
  const account = (t: number, rows: number) => {
    phase = 'idle';
    lastPhase = 'apply';
    const ms = performance.now() - t;
    times.applyMs += ms;
    times.maxApplyMs = Math.max(times.maxApplyMs, ms);
    times.applies++;
    times.rowsPerApply += rows;
    if (ms > 50) times.appliesOver50ms++;
    times.paths[sync.store.lastPath] = (times.paths[sync.store.lastPath] ?? 0) + 1;
  };
  const apply = sync.store.applyPage.bind(sync.store);
  sync.store.applyPage = async (...a) => {
    const t = performance.now();
    phase = 'apply';
    try {
      return await apply(...a);
    } finally {
      account(t, a[0].changes.length);
    }
  };
  const applyBulk = sync.store.applyBulk.bind(sync.store);
  sync.store.applyBulk = (...a) => {
    const t = performance.now();
    phase = 'apply';
    try {
      return applyBulk(...a);
    } finally {
      account(t, a[0].changes.length);
    }
  };
  // Commits of the bulk path's transactions (one per bulkTransactionRows rows, or when the next page is not there yet).
  const commit = sync.store.commitBulk.bind(sync.store);
  sync.store.commitBulk = () => {
    const t = performance.now();
    phase = 'commit';
    try {
      commit();
    } finally {
      phase = 'idle';
      lastPhase = 'commit';
      const ms = performance.now() - t;
      times.commits++;
      times.commitMs += ms;
      times.maxCommitMs = Math.max(times.maxCommitMs, ms);
    }
  };
  sync.store.bind(url, user);
  const breakdown = () => {
    times.rowsPerApply = times.applies ? times.rowsPerApply / times.applies : 0;
    const out = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]));
    times.pullMs = times.pushMs = times.applyMs = times.maxApplyMs = times.applies = times.appliesOver50ms = times.rowsPerApply = times.commits = times.commitMs = times.maxCommitMs = 0;
    times.paths = {};
    return out;
  };
  return { db, sync, user, breakdown };
}

export async function benchSync(): Promise<Record<string, unknown>> {
  const rows = Number(process.env.BENCH_SYNC_ROWS ?? 1_000_000);
  const mutations = Number(process.env.BENCH_SYNC_MUTATIONS ?? 10_000);
  const pullLimit = Number(process.env.BENCH_SYNC_PULL_LIMIT ?? 2000);
  const bulkPullLimit = Number(process.env.BENCH_SYNC_BULK_PULL_LIMIT ?? pullLimit);
  const loadBefore = os.loadavg().map((l) => round(l, 2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-bench-sync-'));
  const server = await serverDatabase(tmp);
  try {
    // 1. Prepare the server database (migrations, bootstrap, seed), then the raw pipeline on it.
    let t = performance.now();
    const prep = await server.open();
    const boot = await buildServer({ database: prep, adminPassword: ADMIN_PASSWORD, logger: { level: 'warn' }, defaultMetrics: false });
    await boot.close();
    note(`seeding ${rows} rows into ${server.kind}`);
    const seeded = await seed(prep, rows);
    const seedMs = performance.now() - t;
    note('raw pipeline');
    const raw = await rawPipeline(server, prep, path.join(tmp, 'raw.sqlite'));
    await prep.close();

    // 2. The server in its own process; the client here.
    const { url, child } = await startServerChild(server.target);
    try {
      const first = await client(path.join(tmp, 'client.sqlite'), url, pullLimit, bulkPullLimit);
      let progressEvents = 0;
      let lastEstimate: number | null = null;
      first.sync.on('progress', (p) => {
        progressEvents++;
        if (p.phase === 'pull') lastEstimate = p.estimated;
      });
      t = performance.now();
      note('initial sync');
      const initialCpu0 = process.cpuUsage();
      const initial = await measureLoop(() => first.sync.syncOnce());
      const initialMs = performance.now() - t;
      const initialCpu = process.cpuUsage(initialCpu0);
      const initialBreakdown = first.breakdown();
      const clientRows = ENTITY_NAMES.reduce((n, e) => n + (first.db.raw.prepare(`SELECT count(*) AS n FROM "${e}"`).get() as { n: number }).n, 0);

      // 3. 10,000 offline mutations on a fresh fund, pushed in one cycle.
      const actor = { userId: first.user.id, role: first.user.role };
      await applyLocalMutation(first.db, actor, 'createFund', { id: 'push-fund', name: 'Push fund', currency: 'USD', vintage: 2024, size: 100_000_000_000 });
      const dealCount = 20;
      for (let d = 0; d < dealCount; d++) await applyLocalMutation(first.db, actor, 'createDeal', { id: `push-deal-${d}`, name: `Push deal ${d}` });
      t = performance.now();
      note(`making ${mutations} offline mutations`);
      for (let i = 0; i < mutations - 1 - dealCount; i++) {
        await applyLocalMutation(first.db, actor, 'createAllocation', {
          id: `push-alloc-${i}`,
          fundId: 'push-fund',
          dealId: `push-deal-${i % dealCount}`,
          amount: 100_000,
          date: '2024-06-30',
        });
      }
      const localMs = performance.now() - t;
      const pending = first.sync.store.pendingCount();
      let pushDoneAt = 0;
      first.sync.on('progress', (p) => {
        if (p.phase === 'push' && p.done >= pending && !pushDoneAt) pushDoneAt = performance.now();
      });
      t = performance.now();
      note('pushing them');
      const push = await measureLoop(() => first.sync.syncOnce());
      const cycleMs = performance.now() - t;
      const pushMs = pushDoneAt - t;
      const pushBreakdown = first.breakdown();
      await first.db.close();

      return {
        serverDatabase: server.kind,
        rows: seeded,
        seedSeconds: round(seedMs / 1000),
        initialSync: {
          rows: clientRows,
          ms: round(initialMs),
          rowsPerSec: Math.round(clientRows / (initialMs / 1000)),
          /** The client process's CPU time (main thread, checkpoint worker, HTTP); the server runs in another process. */
          clientCpuMs: round((initialCpu.user + initialCpu.system) / 1000),
          pages: initial.result.pages,
          pullLimit,
          bulkPullLimit,
          progressEvents,
          lastEstimate,
          eventLoop: initial.loop,
          breakdown: initialBreakdown,
        },
        rawPipeline: raw,
        initialSyncVsRaw: round(clientRows / (initialMs / 1000) / raw.rowsPerSec, 3),
        push: {
          mutations: pending,
          localApplyMutationsPerSec: Math.round((mutations - 1 - dealCount) / (localMs / 1000)),
          pushMs: round(pushMs),
          pushMutationsPerSec: Math.round(pending / (pushMs / 1000)),
          cycleMs: round(cycleMs),
          cycleMutationsPerSec: Math.round(pending / (cycleMs / 1000)),
          pulledBackRows: push.result.pulledRows,
          acknowledged: push.result.acknowledged,
          rejected: push.result.rejected.length,
          eventLoop: push.loop,
          breakdown: pushBreakdown,
        },
        targets: { initialSyncRowsPerSec: 50_000, fractionOfRaw: 0.4, maxEventLoopBlockMs: 50 },
        /** 1/5/15-minute load averages before and after: other work on the machine stretches every figure. */
        loadAverage: { before: loadBefore, after: os.loadavg().map((l) => round(l, 2)) },
        peakRssMb: round(process.resourceUsage().maxRSS / 1024),
      };
    } finally {
      await stopServerChild(child);
    }
  } finally {
    if (process.env.BENCH_SYNC_KEEP_DB === '1' && 'url' in server.target) note(`kept the server database: ${server.target.url}`);
    else await server.dispose().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.env.BENCH_SYNC_ROLE === 'server') {
  serveChild().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else if (process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE) {
  benchSync().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
