/**
 * Operations: health (200 / 503), Prometheus metrics, correlation ids, the
 * error envelope (field paths, unknown fields, size limits, no stack
 * traces), OpenAPI, the global rate limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_SCHEMA_VERSION } from '../../db/postgres/migrations';
import { configFromEnv } from '../../server/config';
import { SYNC_SCHEMA_VERSION } from '../../shared/sync/protocol';
import { fund } from './fixtures';
import { createTestDatabase, startTestServer, type Session, type TestServer } from './harness';

let s: TestServer;
let pm: Session;

beforeAll(async () => {
  s = await startTestServer({ metricsToken: 'metrics-token-for-tests-0123456789' });
  pm = await s.user('portfolio_manager');
});
afterAll(async () => s?.close());

describe('health', () => {
  it('answers 200 without a token, with database, migration and app version', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      database: { reachable: true, kind: s.db.database.kind },
      migration: { version: PG_SCHEMA_VERSION, latest: PG_SCHEMA_VERSION },
      app: { name: 'meridian', version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
    });
  });

  it('answers 503 when the database is down, and sync requests get a retryable 503', async () => {
    const db = await createTestDatabase();
    const local = await startTestServer({}, db);
    try {
      const session = await local.user('analyst');
      await db.database.close(); // the database goes away under the running server
      const res = await local.app.inject({ method: 'GET', url: '/v1/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'unavailable', database: { reachable: false, latencyMs: null }, migration: { version: null } });

      const push = await local.app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: session.auth,
        payload: { clientId: 'down', schemaVersion: SYNC_SCHEMA_VERSION, mutations: [{ id: 1, name: 'createDeal', args: { id: 'x', name: 'x' } }] },
      });
      // Authentication reads the user from the database: it fails first, as a retryable infrastructure error.
      expect(push.statusCode).toBe(503);
      expect(push.headers['retry-after']).toBe('2');
      expect(push.body).not.toMatch(/\bat .+\.(ts|js):\d+/);
      expect(push.json().error).toMatchObject({ code: 'INTERNAL', correlationId: push.headers['x-correlation-id'], details: { retryable: true } });
    } finally {
      await local.close();
      await db.drop();
    }
  });
});

describe('correlation ids', () => {
  it("echoes the caller's id, or makes one", async () => {
    const given = await s.app.inject({ method: 'GET', url: '/v1/health', headers: { 'x-correlation-id': 'abc-123' } });
    expect(given.headers['x-correlation-id']).toBe('abc-123');
    const made = await s.app.inject({ method: 'GET', url: '/v1/health' });
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    const junk = await s.app.inject({ method: 'GET', url: '/v1/health', headers: { 'x-correlation-id': 'has spaces and <html>' } });
    expect(junk.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors', () => {
  const push = (payload: unknown, headers: Record<string, string> = {}) =>
    s.app.inject({ method: 'POST', url: '/v1/sync/push', headers: { ...pm.auth, ...headers }, payload: payload as string });

  it('answers malformed bodies with 400 and the field paths', async () => {
    const res = await push({ clientId: 'bad id!', schemaVersion: 'one', mutations: [{ id: 0, name: '', args: {} }, { id: 2.5, name: 'x' }] });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.correlationId).toBe(res.headers['x-correlation-id']);
    expect(error.details).toEqual({ in: 'body' });
    const paths = error.problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['clientId', 'schemaVersion', 'mutations.0.id', 'mutations.0.name', 'mutations.1.id']));
    for (const p of error.problems) expect(p.message).toContain(p.path);
  });

  it('refuses unknown fields', async () => {
    const res = await push({ clientId: 'c', schemaVersion: SYNC_SCHEMA_VERSION, mutations: [{ id: 1, name: 'createDeal', args: {}, extra: 1 }], admin: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems.map((p: { path: string }) => p.path).sort()).toEqual(['admin', 'mutations.0.extra']);
    const login = await s.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: 'x', role: 'admin' } });
    expect(login.statusCode).toBe(400);
    expect(login.json().error.problems).toEqual([{ code: 'INVALID_INPUT', path: 'role', message: 'role: unknown field' }]);
  });

  it('answers invalid JSON, a wrong content type and an oversized body', async () => {
    const bad = await s.app.inject({ method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username": ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_INPUT');
    const text = await s.app.inject({ method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    const big = await s.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: 'x'.repeat(300 * 1024) } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ code: 'INVALID_INPUT' });
    // Push takes larger bodies (a long offline session), up to its own limit.
    const many = Array.from({ length: 500 }, (_, i) => ({ id: i + 1, name: 'createDeal', args: { id: `BIG-${i}`, name: 'd'.repeat(150), sector: 's'.repeat(150) } }));
    const ok = await push({ clientId: 'big-push', schemaVersion: SYNC_SCHEMA_VERSION, mutations: many });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().lastMutationId).toBe(500);
    const tooMany = await push({ clientId: 'big-push', schemaVersion: SYNC_SCHEMA_VERSION, mutations: [...many, { id: 501, name: 'x', args: {} }] });
    expect(tooMany.statusCode).toBe(400);
  });

  it('answers unknown routes with the envelope', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'There is no route GET /v1/nope.', correlationId: res.headers['x-correlation-id'] } });
  });
});

describe('metrics', () => {
  it('serves Prometheus text with latency by route, mutations by name and outcome, and pool usage', async () => {
    await s.push(pm, 'metrics-client', [
      { id: 1, name: 'createFund', args: fund('MF', 1_000_000) },
      { id: 2, name: 'createFund', args: fund('MF', 1_000_000) },
    ]);
    await s.push(pm, 'metrics-client', [{ id: 1, name: 'createFund', args: fund('MF', 1_000_000) }]);
    const res = await s.app.inject({ method: 'GET', url: '/metrics', headers: s.admin.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    expect(text).toMatch(/meridian_http_request_duration_seconds_bucket\{[^}]*method="POST"[^}]*route="\/v1\/sync\/push"[^}]*status_code="200"/);
    expect(text).toMatch(/meridian_mutations_total\{name="createFund",status="applied"\} 1/);
    expect(text).toMatch(/meridian_mutations_total\{name="createFund",status="rejected"\} 1/);
    expect(text).toMatch(/meridian_mutations_total\{name="createFund",status="duplicate"\} 1/);
    expect(text).toMatch(/meridian_db_pool_connections\{state="total"\} \d+/);
    expect(text).toMatch(/meridian_db_pool_connections\{state="waiting"\} \d+/);
  });

  it('needs the metrics token or an admin', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'GET', url: '/metrics', headers: pm.auth })).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-token-for-tests-0123456789' } })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-token-for-tests-012345678X' } })).statusCode).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('is generated from the zod schemas', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/health', '/v1/auth/login', '/v1/auth/refresh', '/v1/auth/logout', '/v1/sync/push', '/v1/sync/pull', '/v1/admin/users', '/v1/admin/users/{id}', '/v1/admin/rules', '/v1/audit', '/v1/audit/verify']),
    );
    const body = doc.paths['/v1/sync/push'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['clientId', 'schemaVersion', 'mutations']));
    expect(body.additionalProperties).toBe(false);
    expect(doc.paths['/v1/sync/pull'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['clientId', 'cursor', 'limit', 'schemaVersion']));
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('global rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the limit', async () => {
    const local = await startTestServer({ rateLimit: { max: 5, loginPerAddress: 100, loginFailuresPerUser: 100 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await local.app.inject({ method: 'GET', url: '/v1/rules', headers: local.admin.auth })).statusCode);
      expect(codes.slice(0, 4).every((c) => c === 200)).toBe(true);
      expect(codes.at(-1)).toBe(429);
      const res = await local.app.inject({ method: 'GET', url: '/v1/rules', headers: local.admin.auth });
      expect(res.json().error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // Health stays reachable for load balancers.
      expect((await local.app.inject({ method: 'GET', url: '/v1/health' })).statusCode).toBe(200);
    } finally {
      await local.close();
    }
  });
});

describe('configuration from the environment', () => {
  it('has working defaults: 127.0.0.1:8787 on embedded PostgreSQL', () => {
    const c = configFromEnv({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8787, databaseUrl: null, poolMax: 10, readOnly: false, trustProxy: false, initialRules: null });
    expect(c.dataDir).toMatch(/[/\\]\.meridian[/\\]server[/\\]pgdata$/);
    expect(configFromEnv({ MERIDIAN_HOME: '/srv/m' }).dataDir).toBe('/srv/m/server/pgdata');
  });

  it('reads the database, secrets, proxy and the first rules revision', () => {
    const c = configFromEnv({
      PORT: '9000',
      DATABASE_URL: 'postgres://u:p@db/m',
      MERIDIAN_JWT_SECRET: 's'.repeat(40),
      MERIDIAN_TRUST_PROXY: '10.0.0.1, 10.0.0.2',
      MAX_FUND_UTILIZATION: '90%',
      REQUIRE_APPROVAL_THRESHOLD: '2500000',
    });
    expect(c).toMatchObject({ port: 9000, databaseUrl: 'postgres://u:p@db/m', trustProxy: ['10.0.0.1', '10.0.0.2'] });
    expect(c.initialRules).toMatchObject({ maxFundUtilisationPct: 90, approvalThreshold: 250_000_000 });
  });

  it('refuses bad values with the variable named', () => {
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => configFromEnv({ MERIDIAN_JWT_SECRET: 'short' })).toThrow(/MERIDIAN_JWT_SECRET/);
    expect(() => configFromEnv({ MIN_ALLOCATION_AMOUNT: '1.234' })).toThrow(/MIN_ALLOCATION_AMOUNT/);
  });
});
