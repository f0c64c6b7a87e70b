/**
 * Administration: users and roles, business-rules revisions (audited, pulled
 * by clients, in force for the next mutation), and first-start bootstrap.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type ServerDatabase } from '../../db/postgres/connect';
import { buildServer } from '../../server/app';
import { DEFAULT_RULES, type BusinessRules } from '../../shared/rules/business-rules';
import { rulesFromEnv } from '../../shared/rules/from-env';
import type { RulesResponse, User } from '../../shared/sync/api';
import { SYNC_SCHEMA_VERSION } from '../../shared/sync/protocol';
import { allocation, fund } from './fixtures';
import { createTestDatabase, startTestServer, TEST_SCRYPT, units, type Session, type TestServer } from './harness';

let s: TestServer;
let pm: Session;

beforeAll(async () => {
  s = await startTestServer();
  pm = await s.user('portfolio_manager');
});
afterAll(async () => s?.close());

const admin = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, session: Session = s.admin) =>
  s.app.inject({ method, url, headers: session.auth, ...(payload === undefined ? {} : { payload: payload as string }) });

describe('users', () => {
  it('creates users with a role; names are unique and case-insensitive', async () => {
    const res = await admin('POST', '/v1/admin/users', { username: 'Jane.Doe', password: 'long enough password', role: 'analyst' });
    expect(res.statusCode).toBe(201);
    expect(res.json<User>()).toMatchObject({ username: 'jane.doe', role: 'analyst', disabled: false });
    expect(res.body).not.toMatch(/password|scrypt/);
    const dup = await admin('POST', '/v1/admin/users', { username: 'JANE.DOE', password: 'another long password', role: 'viewer' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('DUPLICATE');
    const list = await admin('GET', '/v1/admin/users');
    expect(list.json().users.map((u: User) => u.username)).toEqual(expect.arrayContaining(['admin', 'jane.doe']));
  });

  it('validates the body with field paths', async () => {
    const res = await admin('POST', '/v1/admin/users', { username: 'x', password: 'short', role: 'boss' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems.map((p: { path: string }) => p.path).sort()).toEqual(['password', 'role', 'username']);
    const empty = await admin('PATCH', `/v1/admin/users/${pm.user.id}`, {});
    expect(empty.statusCode).toBe(400);
  });

  it('is for admins only', async () => {
    const res = await admin('POST', '/v1/admin/users', { username: 'sneaky', password: 'long enough password', role: 'admin' }, pm);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'ROLE_FORBIDDEN', details: { requiredRole: 'admin', role: 'portfolio_manager' } });
  });

  it('changes roles and passwords, audited without the password hash', async () => {
    const u = await s.user('viewer', 'promote-me');
    const res = await admin('PATCH', `/v1/admin/users/${u.user.id}`, { role: 'portfolio_manager', password: 'a brand new password' });
    expect(res.json<User>()).toMatchObject({ role: 'portfolio_manager' });
    expect((await s.login('promote-me', 'a brand new password')).user.role).toBe('portfolio_manager');
    await expect(s.login('promote-me', 'password-of-promote-me')).rejects.toThrow(/401/);
    // The old refresh token died with the password change.
    const r = await s.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: u.refreshToken } });
    expect(r.statusCode).toBe(401);
    const audit = await admin('GET', `/v1/audit?entity=user&id=${u.user.id}`);
    const entries = audit.json().entries;
    expect(entries.map((e: { mutation: string }) => e.mutation)).toEqual(['createUser', 'updateUser']);
    expect(entries[1]).toMatchObject({ userId: s.admin.user.id, before: { role: 'viewer' }, after: { role: 'portfolio_manager' }, details: { passwordChanged: true } });
    expect(JSON.stringify(entries)).not.toMatch(/scrypt|password_hash/);
  });

  it('keeps at least one active admin', async () => {
    const res = await admin('PATCH', `/v1/admin/users/${s.admin.user.id}`, { role: 'viewer' });
    expect(res.statusCode).toBe(409);
    const other = await s.user('admin', 'second-admin');
    expect((await admin('PATCH', `/v1/admin/users/${other.user.id}`, { disabled: true })).statusCode).toBe(200);
    expect((await admin('PATCH', `/v1/admin/users/${s.admin.user.id}`, { disabled: true })).statusCode).toBe(409);
    expect((await admin('PATCH', '/v1/admin/users/no-such-id', { role: 'viewer' })).statusCode).toBe(404);
  });
});

describe('business rules', () => {
  it('start from the defaults and are readable by every role', async () => {
    const res = await admin('GET', '/v1/rules', undefined, pm);
    expect(res.json<RulesResponse>()).toMatchObject({ revision: 1, rules: DEFAULT_RULES });
  });

  it('PUT writes a new revision: audited, pulled by clients and in force for the next mutation', async () => {
    await s.push(pm, 'rules-client', [
      { id: 1, name: 'createFund', args: fund('RF', 10_000_000) },
      { id: 2, name: 'createDeal', args: { id: 'RD', name: 'Rules deal' } },
      { id: 3, name: 'createAllocation', args: allocation('R-500', 'RF', 'RD', 500) },
    ]);
    const before = await s.pullAll(pm, 'rules-client');
    const cursor = before.at(-1)!.cursor;

    const next: BusinessRules = { ...DEFAULT_RULES, minAllocationAmount: units(100) };
    const put = await admin('PUT', '/v1/admin/rules', next);
    expect(put.statusCode).toBe(200);
    const body = put.json<RulesResponse>();
    expect(body).toMatchObject({ revision: 2, rules: next });

    const pulled = (await s.pullAll(pm, 'rules-client', cursor)).flatMap((p) => p.changes);
    const change = pulled.find((c) => c.entity === 'business_rules');
    expect(change).toMatchObject({ seq: body.version, op: 'insert', row: { revision: 2, version: body.version } });
    expect(JSON.parse((change!.row as { body: string }).body)).toEqual(next);

    const entries = (await admin('GET', '/v1/audit?entity=business_rules')).json().entries;
    expect(entries.at(-1)).toMatchObject({ mutation: 'putBusinessRules', userId: s.admin.user.id, after: { revision: 2, body: next }, before: { revision: 1 } });

    // The same allocation that broke the old minimum now passes.
    const r = await s.push(pm, 'rules-client', [{ id: 4, name: 'createAllocation', args: allocation('R-500b', 'RF', 'RD', 500) }]);
    expect(r.results[0]).toMatchObject({ status: 'applied' });
  });

  it('refuses incomplete or out-of-range rules and non-admins', async () => {
    const bad = await admin('PUT', '/v1/admin/rules', { ...DEFAULT_RULES, maxFundUtilisationPct: 120, extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems.map((p: { path: string }) => p.path).sort()).toEqual(['extra', 'maxFundUtilisationPct']);
    expect((await admin('PUT', '/v1/admin/rules', DEFAULT_RULES, pm)).statusCode).toBe(403);
  });
});

describe('first start', () => {
  it('generates an admin password when none is given, seeds rules from the environment, and does it once', async () => {
    const db = await createTestDatabase();
    const envRules = rulesFromEnv({ MAX_FUND_UTILIZATION: '90', MIN_ALLOCATION_AMOUNT: '2500' })!;
    const build = () => buildServer({ database: db.database, initialRules: envRules, scrypt: TEST_SCRYPT, logger: { level: 'silent' }, defaultMetrics: false });
    const first = await build();
    try {
      const report = first.meridian.bootstrap;
      expect(report.adminCreated).toBe(true);
      expect(report.rulesSeeded).toBe(true);
      expect(report.generatedAdminPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const login = await first.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: report.generatedAdminPassword } });
      expect(login.statusCode).toBe(200);
      const rules = await first.inject({ method: 'GET', url: '/v1/rules', headers: { authorization: `Bearer ${login.json().accessToken}` } });
      expect(rules.json().rules).toMatchObject({ maxFundUtilisationPct: 90, minAllocationAmount: 250_000 });
    } finally {
      await first.close();
    }
    // Two instances starting at once against the same database: nothing is created twice.
    const [a, b] = await Promise.all([build(), build()]);
    try {
      for (const app of [a, b]) {
        expect(app.meridian.bootstrap).toMatchObject({ adminCreated: false, rulesSeeded: false, generatedAdminPassword: null });
        expect(app.meridian.bootstrap.migration.applied).toEqual([]);
      }
      const users = await db.database.db.selectFrom('users').select('username').execute();
      expect(users).toEqual([{ username: 'admin' }]);
      const revisions = await db.database.db.selectFrom('business_rules').select('revision').execute();
      expect(revisions).toEqual([{ revision: 1 }]);
    } finally {
      await a.close();
      await b.close();
      await db.drop();
    }
  });

  it('serves reads from a read-only database (a replica) without migrating or writing', async () => {
    const db = await createTestDatabase();
    const primary = await startTestServer({}, db);
    let replica: ServerDatabase | null = null;
    let app: Awaited<ReturnType<typeof buildServer>> | null = null;
    try {
      const pm2 = await primary.user('portfolio_manager');
      await primary.push(pm2, 'ro-client', [{ id: 1, name: 'createFund', args: fund('ROF', 1_000_000) }]);
      await primary.app.close();
      if (db.url) {
        const u = new URL(db.url);
        u.searchParams.set('options', '-c default_transaction_read_only=on');
        replica = connectPostgres(u.toString(), { max: 2 });
      } else {
        replica = db.database; // PGlite: the single connection becomes read-only
        await sql`set default_transaction_read_only = on`.execute(replica.db);
      }
      // Unmigrated or not, a read-only start never writes; here the primary migrated already.
      app = await buildServer({ database: replica, readOnly: true, scrypt: TEST_SCRYPT, logger: { level: 'silent' }, defaultMetrics: false });
      expect(app.meridian.bootstrap.migration.applied).toEqual([]);
      const pull = await app.inject({ method: 'GET', url: `/v1/sync/pull?clientId=ro-client&schemaVersion=${SYNC_SCHEMA_VERSION}&cursor=0`, headers: pm2.auth });
      expect(pull.statusCode).toBe(200);
      expect(pull.json().changes.map((c: { id: string }) => c.id)).toContain('ROF');
      expect(pull.json().lastMutationId).toBe(1);
      const push = await app.inject({ method: 'POST', url: '/v1/sync/push', headers: pm2.auth, payload: { clientId: 'ro-client', schemaVersion: SYNC_SCHEMA_VERSION, mutations: [] } });
      expect(push.statusCode).toBe(503);
    } finally {
      await app?.close();
      if (replica && replica !== db.database) await replica.close();
      await db.drop();
    }
  });

  it('refuses a read-only start on a database that was never migrated', async () => {
    const db = await createTestDatabase();
    try {
      await expect(buildServer({ database: db.database, readOnly: true, logger: { level: 'silent' }, defaultMetrics: false })).rejects.toThrow(/migrate it from a writable instance/);
    } finally {
      await db.drop();
    }
  });
});
