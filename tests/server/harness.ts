/**
 * Test harness of the server suite: a fresh database per test file — a new
 * database on the real PostgreSQL server named by TEST_DATABASE_URL (CI), or
 * in-memory PGlite otherwise — and a built server driven with `inject`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { vi } from 'vitest';
import { connectPostgres, freshPgliteDataDir, openPglite, type ServerDatabase } from '../../db/postgres/connect';
import { buildServer, type BuildServerOptions } from '../../server/app';
import type { App } from '../../server/deps';
import type { Role } from '../../shared/domain/roles';
import type { TokenResponse } from '../../shared/sync/api';
import { SYNC_SCHEMA_VERSION, type PullChanges, type PullResponse, type PushMutation, type PushResponse } from '../../shared/sync/protocol';

// Hooks and tests that start a server make a fresh database (a new PostgreSQL
// database, or PGlite from the template) and migrate it: seconds, many more on
// a loaded machine. Every file using this harness gets roomier timeouts.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 240_000 });

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;
export const ON_POSTGRES = TEST_DATABASE_URL !== null;
export const ADMIN_PASSWORD = 'admin-password-for-tests';
/** Cheap scrypt for tests (the production cost is tested on its own). */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };

export interface TestDatabase {
  database: ServerDatabase;
  /** URL of the per-file database (PostgreSQL only). */
  url: string | null;
  /** Closes and drops it. */
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A freshly initdb'd PGlite data directory, cached on disk per PGlite
 * version: initdb in WebAssembly takes 10+ s, loading the tarball ~2 s.
 */
async function pgliteTemplate(): Promise<Blob> {
  // The package's exports hide package.json: read it next to the resolved entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let dir = path.dirname(entry);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const file = path.join(os.tmpdir(), `meridian-pglite-template-${version}.tar`);
  const lock = `${file}.lock`;
  // One test file makes the template; the others (running in parallel) wait for it.
  for (let waited = 0; !fs.existsSync(file); waited += 250) {
    let mine = false;
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      mine = true;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > 300_000) fs.rmSync(lock, { force: true }); // left by a killed run
    }
    if (mine) {
      try {
        const blob = await freshPgliteDataDir();
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
        fs.renameSync(tmp, file); // atomic: nobody reads a partial file
      } finally {
        fs.rmSync(lock, { force: true });
      }
      break;
    }
    if (waited > 600_000) throw new Error(`timed out waiting for ${file}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return new Blob([fs.readFileSync(file)]);
}

/** A fresh, empty database (migrations not applied). */
export async function createTestDatabase(options: { poolMax?: number } = {}): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    const database = await openPglite('memory://', { initialDataDir: await pgliteTemplate() });
    return { database, url: null, drop: () => database.close() };
  }
  const name = `meridian_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(TEST_DATABASE_URL, name);
  const database = connectPostgres(url, { max: options.poolMax ?? 20, applicationName: 'meridian-tests' });
  return {
    database,
    url,
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface Session {
  token: string;
  refreshToken: string;
  user: TokenResponse['user'];
  auth: { authorization: string };
}

export interface TestServer {
  app: App;
  db: TestDatabase;
  admin: Session;
  login(username: string, password: string): Promise<Session>;
  /** Creates a user with `role` (through the admin API) and signs in. */
  user(role: Role, username?: string): Promise<Session>;
  push(session: Session, clientId: string, mutations: PushMutation[], schemaVersion?: number): Promise<PushResponse>;
  pull(session: Session, clientId: string, cursor: number, limit?: number): Promise<PullResponse>;
  /** Pulls until hasMore is false; returns every page. */
  pullAll(session: Session, clientId: string, cursor?: number, limit?: number): Promise<PullChanges[]>;
  close(): Promise<void>;
}

let userCounter = 0;

export async function startTestServer(overrides: Partial<BuildServerOptions> = {}, db?: TestDatabase): Promise<TestServer> {
  const testDb = db ?? (await createTestDatabase());
  const app = await buildServer({
    database: testDb.database,
    adminPassword: ADMIN_PASSWORD,
    scrypt: TEST_SCRYPT,
    logger: { level: 'silent' },
    defaultMetrics: false,
    rateLimit: { max: 1_000_000, loginPerAddress: 1_000_000, loginFailuresPerUser: 1_000_000 },
    ...overrides,
  });

  async function login(username: string, password: string): Promise<Session> {
    const res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const body = res.json<TokenResponse>();
    return { token: body.accessToken, refreshToken: body.refreshToken, user: body.user, auth: { authorization: `Bearer ${body.accessToken}` } };
  }

  const admin = await login('admin', ADMIN_PASSWORD);

  const server: TestServer = {
    app,
    db: testDb,
    admin,
    login,
    async user(role, username) {
      const name = username ?? `${role.replace('_', '-')}-${++userCounter}`;
      const password = `password-of-${name}`;
      const res = await app.inject({ method: 'POST', url: '/v1/admin/users', headers: admin.auth, payload: { username: name, password, role } });
      if (res.statusCode !== 201) throw new Error(`create user failed: ${res.statusCode} ${res.body}`);
      return login(name, password);
    },
    async push(session, clientId, mutations, schemaVersion = SYNC_SCHEMA_VERSION) {
      const res = await app.inject({ method: 'POST', url: '/v1/sync/push', headers: session.auth, payload: { clientId, schemaVersion, mutations } });
      if (res.statusCode !== 200) throw new Error(`push failed: ${res.statusCode} ${res.body}`);
      return res.json<PushResponse>();
    },
    async pull(session, clientId, cursor, limit) {
      const q = new URLSearchParams({ clientId, schemaVersion: String(SYNC_SCHEMA_VERSION), cursor: String(cursor) });
      if (limit !== undefined) q.set('limit', String(limit));
      const res = await app.inject({ method: 'GET', url: `/v1/sync/pull?${q}`, headers: session.auth });
      if (res.statusCode !== 200) throw new Error(`pull failed: ${res.statusCode} ${res.body}`);
      return res.json<PullResponse>();
    },
    async pullAll(session, clientId, cursor = 0, limit) {
      const pages: PullChanges[] = [];
      for (;;) {
        const page = await server.pull(session, clientId, cursor, limit);
        if (page.kind !== 'changes') throw new Error(`unexpected resync: ${page.message}`);
        pages.push(page);
        cursor = page.cursor;
        if (!page.hasMore) return pages;
      }
    },
    async close() {
      await app.close();
      if (!db) await testDb.drop();
    },
  };
  return server;
}

/** Money helpers for readable tests: whole currency units → cents. */
export const units = (n: number) => n * 100;
