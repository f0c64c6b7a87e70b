/**
 * Server benchmarks (issue 3):
 *
 * - Push: 10,000 allocations from 10 clients at once (10 users, 1,000 each,
 *   in pushes of BENCH_PUSH_BATCH = 100), each replayed under the rules in its
 *   own transaction with change log, result and audit entry — mutations/s and
 *   the latency of one push. Beside it, the database's own limit in the same
 *   run: single-row INSERT transactions/s from 10 connections.
 * - Pull: BENCH_PULL_ROWS (default 1,000,000) change-log rows through
 *   GET /v1/sync/pull in pages of 10,000 — rows/s with the body read as text
 *   and with JSON.parse as a client does — against a raw `pg` keyset read of
 *   the same rows (same page size) in the same run.
 *
 * The server runs in a child process (this file, BENCH_SERVER_ROLE=server)
 * so its work never shares the measuring event loop. The database is
 * BENCH_DATABASE_URL when set (a fresh database is created in it), else a
 * throwaway PostgreSQL cluster started with tests/server/start-postgres.sh
 * (fsync on: commits are durable), else — or with BENCH_PGLITE=1 — PGlite in
 * a temp folder (in process, fewer rows; the result says so). BENCH_PUSH_MUTATIONS
 * and BENCH_PULL_ROWS shrink a run.
 *
 * `benchServer()` returns the figures (bench/run.ts writes
 * bench/results/server.json); `npx tsx bench/server.ts` prints them.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { connectPostgres, openPglite, type ServerDatabase } from '../db/postgres/connect';
import { buildServer } from '../server/app';
import type { App } from '../server/deps';
import type { TokenResponse } from '../shared/sync/api';
import { MAX_PULL_LIMIT, SYNC_SCHEMA_VERSION, type PullResponse, type PushMutation, type PushResponse } from '../shared/sync/protocol';

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(THIS_FILE), '..');
const ADMIN_PASSWORD = 'bench-admin-password';
const CLIENTS = 10;
const PUSH_TOTAL = Number(process.env.BENCH_PUSH_MUTATIONS ?? 10_000);
const PUSH_BATCH = Number(process.env.BENCH_PUSH_BATCH ?? 100);
const RAW_TX_PER_CLIENT = 500;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------- database

interface BenchDb {
  kind: 'postgres' | 'pglite';
  /** A URL of a fresh database, or a PGlite folder. */
  target: { url: string } | { dir: string };
  description: string;
  notes: string[];
  dispose(): Promise<void>;
}

function startCluster(dir: string): string {
  const out = execFileSync('bash', [path.join(REPO, 'tests/server/start-postgres.sh'), dir], {
    env: { ...process.env, PG_DURABLE: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.trim().split('\n').at(-1)!;
}

function stopCluster(dir: string): void {
  try {
    execFileSync('bash', [path.join(REPO, 'tests/server/start-postgres.sh'), '--stop', dir], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

async function benchDatabase(tmp: string): Promise<BenchDb> {
  const notes: string[] = [];
  let base = process.env.BENCH_DATABASE_URL || null;
  let clusterDir: string | null = null;
  if (base) {
    notes.push('PostgreSQL from BENCH_DATABASE_URL');
  } else if (process.env.BENCH_PGLITE === '1') {
    notes.push('BENCH_PGLITE=1: PGlite, in process, fewer pull rows');
  } else {
    clusterDir = path.join(tmp, 'pg');
    try {
      base = startCluster(clusterDir);
      notes.push('throwaway PostgreSQL cluster started by tests/server/start-postgres.sh (fsync on)');
    } catch (e) {
      clusterDir = null;
      notes.push(`no PostgreSQL available (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): PGlite instead, in process, fewer pull rows`);
    }
  }
  if (!base) {
    return { kind: 'pglite', target: { dir: path.join(tmp, 'pglite') }, description: 'PGlite (embedded PostgreSQL in WebAssembly)', notes, dispose: async () => {} };
  }
  const name = `meridian_bench_server_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const setting = async (name: string) => (await admin.query<{ v: string }>('SELECT current_setting($1) AS v', [name])).rows[0]!.v;
  const version = await setting('server_version');
  const fsync = await setting('fsync');
  const sync = await setting('synchronous_commit');
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    kind: 'postgres',
    target: { url: u.toString() },
    description: `PostgreSQL ${version} (fsync ${fsync}, synchronous_commit ${sync})`,
    notes,
    async dispose() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      if (clusterDir) stopCluster(clusterDir);
    },
  };
}

async function openTarget(target: BenchDb['target'], max: number): Promise<ServerDatabase> {
  return 'url' in target ? connectPostgres(target.url, { max, statementTimeoutMillis: 0 }) : openPglite(target.dir);
}

async function serverFor(database: ServerDatabase): Promise<App> {
  return buildServer({
    database,
    adminPassword: ADMIN_PASSWORD,
    logger: { level: 'warn' },
    defaultMetrics: false,
    rateLimit: { max: 10_000_000, loginPerAddress: 10_000, loginFailuresPerUser: 10_000 },
    scrypt: { N: 2 ** 12, r: 8, p: 1 }, // sign-in speed is not what is measured here
  });
}

// ---------------------------------------------------------------- server host (child process, or in process for PGlite)

interface Host {
  url: string;
  stop(): Promise<void>;
}

async function startHost(db: BenchDb): Promise<Host & { inProcess: ServerDatabase | null }> {
  if (db.kind === 'pglite') {
    const database = await openTarget(db.target, 1);
    const app = await serverFor(database);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    return {
      url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      inProcess: database,
      async stop() {
        await app.close();
        await database.close();
      },
    };
  }
  const child: ChildProcess = fork(THIS_FILE, [], {
    env: { ...process.env, BENCH_SERVER_ROLE: 'server', BENCH_SERVER_TARGET: JSON.stringify(db.target) },
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    inProcess: null,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.send('stop');
      await exited;
    },
  };
}

async function serveChild(): Promise<void> {
  const target = JSON.parse(process.env.BENCH_SERVER_TARGET!) as BenchDb['target'];
  const database = await openTarget(target, 20);
  const app = await serverFor(database);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  process.on('message', (m) => {
    if (m === 'stop') void app.close().then(() => database.close().then(() => process.exit(0)));
  });
}

// ---------------------------------------------------------------- HTTP helpers

async function call<T>(base: string, method: string, url: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function login(base: string, username: string, password: string): Promise<string> {
  return (await call<TokenResponse>(base, 'POST', '/v1/auth/login', null, { username, password })).accessToken;
}

async function createUser(base: string, adminToken: string, username: string, role: string): Promise<string> {
  const password = `bench password of ${username}`;
  await call(base, 'POST', '/v1/admin/users', adminToken, { username, password, role });
  return login(base, username, password);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

// ---------------------------------------------------------------- push

async function benchPush(base: string, adminToken: string) {
  const pm = await createUser(base, adminToken, 'bench-pm', 'portfolio_manager');
  const setup: PushMutation[] = [];
  for (let f = 0; f < CLIENTS; f++) setup.push({ id: setup.length + 1, name: 'createFund', args: { id: `BF${f}`, name: `Bench fund ${f}`, currency: 'USD', vintage: 2021, size: 100_000_000_00 } });
  for (let d = 0; d < 20; d++) setup.push({ id: setup.length + 1, name: 'createDeal', args: { id: `BD${d}`, name: `Bench deal ${d}` } });
  await call<PushResponse>(base, 'POST', '/v1/sync/push', pm, { clientId: 'bench-setup', schemaVersion: SYNC_SCHEMA_VERSION, mutations: setup });

  const perClient = Math.floor(PUSH_TOTAL / CLIENTS);
  const tokens = await Promise.all(Array.from({ length: CLIENTS }, (_, c) => createUser(base, adminToken, `bench-analyst-${c}`, 'analyst')));
  const latencies: number[] = [];
  let applied = 0;
  let rejected = 0;
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token, c) => {
      for (let start = 0; start < perClient; start += PUSH_BATCH) {
        const mutations: PushMutation[] = [];
        for (let i = start; i < Math.min(perClient, start + PUSH_BATCH); i++) {
          // Clients spread over every fund, so funds are contended, not partitioned.
          mutations.push({
            id: i + 1,
            name: 'createAllocation',
            args: { id: `BA-${c}-${i}`, fundId: `BF${(c + i) % CLIENTS}`, dealId: `BD${(c * 7 + i) % 20}`, amount: 10_000_00, date: '2024-06-30' },
          });
        }
        const t = performance.now();
        const r = await call<PushResponse>(base, 'POST', '/v1/sync/push', token, { clientId: `bench-client-${c}`, schemaVersion: SYNC_SCHEMA_VERSION, mutations });
        latencies.push(performance.now() - t);
        for (const x of r.results) {
          if (x.status === 'applied') applied++;
          else rejected++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    clients: CLIENTS,
    mutations: perClient * CLIENTS,
    pushSize: PUSH_BATCH,
    applied,
    rejected,
    seconds: round(seconds, 2),
    mutationsPerSecond: Math.round((perClient * CLIENTS) / seconds),
    pushLatencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), max: round(latencies.at(-1) ?? 0) },
  };
}

/**
 * The database's own limits in the same run: single-row INSERT transactions
 * (BEGIN, INSERT, COMMIT) from 10 connections at once — the commit rate a
 * design without one global order could reach — and from one connection —
 * the latency every serialised step pays.
 */
async function rawInsertBaseline(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS });
  const run = async (connections: number, perConnection: number, tag: string) => {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async (_, c) => {
        const client = await pool.connect();
        try {
          for (let i = 0; i < perConnection; i++) {
            await client.query('BEGIN');
            await client.query('INSERT INTO bench_raw (id, fund_id, amount, row) VALUES ($1, $2, $3, $4)', [`${tag}-${c}-${i}`, `BF${c}`, 1_000_000, '{}']);
            await client.query('COMMIT');
          }
        } finally {
          client.release();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const n = connections * perConnection;
    return { connections, transactions: n, seconds: round(seconds, 2), transactionsPerSecond: Math.round(n / seconds), msPerStatement: round((seconds * 1000 * connections) / (n * 3), 2) };
  };
  try {
    await pool.query('CREATE TABLE bench_raw (id text PRIMARY KEY, fund_id text NOT NULL, amount bigint NOT NULL, row text NOT NULL)');
    const parallel = await run(CLIENTS, RAW_TX_PER_CLIENT, 'p');
    const serial = await run(1, RAW_TX_PER_CLIENT, 's');
    await pool.query('DROP TABLE bench_raw');
    return { parallel, serial };
  } finally {
    await pool.end();
  }
}

// ---------------------------------------------------------------- pull

/** Appends `rows` single-row changes (full allocation rows, as pushes write them) after the current head. */
async function seedChangeLog(database: ServerDatabase, rows: number): Promise<{ from: number; to: number }> {
  const db = database.db;
  const head = (await db.selectFrom('change_counter').select('seq').executeTakeFirstOrThrow()).seq;
  const chunk = 100_000;
  for (let start = 1; start <= rows; start += chunk) {
    const end = Math.min(rows, start + chunk - 1);
    await sql`INSERT INTO change_log (seq, idx, entity, id, op, row, client_id, mutation_id)
      SELECT ${head}::bigint + g, 0, 'allocation', '0190a5c0-0000-7000-8000-' || lpad(to_hex(g), 12, '0'), 'insert',
        json_build_object(
          'id', '0190a5c0-0000-7000-8000-' || lpad(to_hex(g), 12, '0'),
          'fund_id', 'BF' || (g % 10), 'deal_id', 'BD' || (g % 20), 'security_type', 'senior_debt',
          'amount', 100000 + g, 'status', 'approved', 'date', '2024-06-30',
          'approved_by', '0190a5c0-aaaa-7000-8000-000000000001', 'approved_at', '2024-06-30T09:00:00.000Z',
          'version', ${head}::bigint + g, 'updated_at', '2024-06-30T09:00:00.000Z',
          'updated_by', '0190a5c0-aaaa-7000-8000-000000000001', 'deleted_at', NULL)::text,
        'bench-seed', g
      FROM generate_series(${start}::int, ${end}::int) g`.execute(db);
  }
  await sql`UPDATE change_counter SET seq = ${head + rows} WHERE id = 1`.execute(db);
  await sql`ANALYZE change_log`.execute(db);
  return { from: head, to: head + rows };
}

async function benchPull(base: string, token: string, from: number, expected: number) {
  let cursor = from;
  let rows = 0;
  let bytes = 0;
  let pages = 0;
  let parseMs = 0;
  const started = performance.now();
  for (;;) {
    const res = await fetch(`${base}/v1/sync/pull?clientId=bench-puller&schemaVersion=${SYNC_SCHEMA_VERSION}&cursor=${cursor}&limit=${MAX_PULL_LIMIT}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`pull: ${res.status} ${text.slice(0, 300)}`);
    bytes += text.length;
    const t = performance.now();
    const page = JSON.parse(text) as PullResponse;
    parseMs += performance.now() - t;
    if (page.kind !== 'changes') throw new Error('unexpected resync');
    rows += page.changes.length;
    pages++;
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  const totalMs = performance.now() - started;
  if (rows < expected) throw new Error(`pulled ${rows} rows, expected at least ${expected}`);
  return {
    rows,
    pageSize: MAX_PULL_LIMIT,
    pages,
    megabytes: round(bytes / 2 ** 20),
    seconds: round((totalMs - parseMs) / 1000, 2),
    rowsPerSecond: Math.round(rows / ((totalMs - parseMs) / 1000)),
    rowsPerSecondWithClientJsonParse: Math.round(rows / (totalMs / 1000)),
  };
}

/** The same rows straight from the database: keyset pages of the same size, no HTTP, no JSON. */
async function rawPull(database: ServerDatabase, url: string | null, from: number) {
  const query = 'SELECT seq, idx, entity, id, op, row FROM change_log WHERE seq > $1 ORDER BY seq, idx LIMIT $2';
  let cursor = from;
  let rows = 0;
  const started = performance.now();
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (;;) {
        const r = await client.query<{ seq: string }>(query, [cursor, MAX_PULL_LIMIT]);
        rows += r.rows.length;
        if (r.rows.length < MAX_PULL_LIMIT) break;
        cursor = Number(r.rows[r.rows.length - 1]!.seq);
      }
    } finally {
      await client.end();
    }
  } else {
    for (;;) {
      const r = await database.db.selectFrom('change_log').select(['seq', 'idx', 'entity', 'id', 'op', 'row']).where('seq', '>', cursor).orderBy('seq').orderBy('idx').limit(MAX_PULL_LIMIT).execute();
      rows += r.length;
      if (r.length < MAX_PULL_LIMIT) break;
      cursor = r[r.length - 1]!.seq;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows, seconds: round(seconds, 2), rowsPerSecond: Math.round(rows / seconds), how: url ? 'pg client, keyset pages' : 'PGlite via Kysely, keyset pages' };
}

// ---------------------------------------------------------------- main

export async function benchServer(): Promise<Record<string, unknown>> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-bench-server-'));
  if (os.userInfo().uid === 0) fs.chmodSync(tmp, 0o755); // the cluster runs as postgres and needs to reach its folder
  const db = await benchDatabase(tmp);
  const pullRows = Number(process.env.BENCH_PULL_ROWS ?? (db.kind === 'postgres' ? 1_000_000 : 200_000));
  try {
    const host = await startHost(db);
    let push: Record<string, unknown>;
    let pull: Record<string, unknown>;
    let raw: Record<string, unknown> | null = null;
    let rawPullFigures: Awaited<ReturnType<typeof rawPull>>;
    let auditVerify: unknown;
    try {
      const adminToken = await login(host.url, 'admin', ADMIN_PASSWORD);
      push = await benchPush(host.url, adminToken);
      const verifyStarted = performance.now();
      auditVerify = { ...(await call<object>(host.url, 'GET', '/v1/audit/verify', adminToken)), seconds: round((performance.now() - verifyStarted) / 1000, 2) };
      if ('url' in db.target) raw = await rawInsertBaseline(db.target.url);

      const seedDb = host.inProcess ?? (await openTarget(db.target, 2));
      try {
        const seedStarted = performance.now();
        const range = await seedChangeLog(seedDb, pullRows);
        const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);
        const viewer = await createUser(host.url, adminToken, 'bench-viewer', 'viewer');
        // Raw first, then through the server, then raw again: the better raw figure is the baseline (warm cache both ways).
        const raw1 = await rawPull(seedDb, 'url' in db.target ? db.target.url : null, range.from);
        pull = await benchPull(host.url, viewer, range.from, pullRows);
        const raw2 = await rawPull(seedDb, 'url' in db.target ? db.target.url : null, range.from);
        rawPullFigures = raw1.rowsPerSecond >= raw2.rowsPerSecond ? raw1 : raw2;
        pull = { ...pull, seededInSeconds: seedSeconds };
      } finally {
        if (!host.inProcess) await seedDb.close();
      }
    } finally {
      await host.stop();
    }
    return {
      database: db.description,
      notes: db.notes,
      push: { ...push, auditVerify, raw },
      pull: {
        ...pull,
        raw: rawPullFigures,
        serverShareOfRaw: round((pull.rowsPerSecond as number) / rawPullFigures.rowsPerSecond, 2),
      },
    };
  } finally {
    await db.dispose().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.env.BENCH_SERVER_ROLE === 'server') {
  serveChild().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else if (process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE) {
  benchServer().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
