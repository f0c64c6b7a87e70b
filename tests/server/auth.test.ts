/**
 * Accounts: sign-in, short-lived access tokens, rotating refresh tokens with
 * reuse detection, logout, rate limits per user and per address, roles read
 * from the database on every request, and secrets kept out of the logs.
 */
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, verifyPassword } from '../../server/auth/passwords';
import type { TokenResponse } from '../../shared/sync/api';
import { SYNC_SCHEMA_VERSION } from '../../shared/sync/protocol';
import { ADMIN_PASSWORD, createTestDatabase, startTestServer, TEST_SCRYPT, type Session, type TestServer } from './harness';

let s: TestServer;
let clock = Date.now();

beforeAll(async () => {
  s = await startTestServer({ now: () => new Date(clock) });
});
afterAll(async () => s?.close());

const login = (username: string, password: string, server = s, headers: Record<string, string> = {}) =>
  server.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password }, headers });
const refresh = (refreshToken: string) => s.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } });
const pullAs = (auth: Record<string, string>) =>
  s.app.inject({ method: 'GET', url: `/v1/sync/pull?clientId=auth-c&schemaVersion=${SYNC_SCHEMA_VERSION}&cursor=0`, headers: auth });

describe('sign-in', () => {
  it('returns tokens and the user; the access token lasts 15 minutes', async () => {
    const res = await login('admin', ADMIN_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json<TokenResponse>();
    expect(body).toMatchObject({ expiresIn: 900, user: { username: 'admin', role: 'admin' } });
    expect(body.accessToken.split('.')).toHaveLength(3);
    expect(body.refreshToken.length).toBeGreaterThanOrEqual(40);
    const payload = JSON.parse(Buffer.from(body.accessToken.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number; sub: string };
    expect(payload.exp - payload.iat).toBe(900);
    expect(payload.sub).toBe(body.user.id);
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await login('admin', 'not the password');
    const unknown = await login('nobody', 'whatever it is');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    expect(wrong.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('treats user names case-insensitively', async () => {
    expect((await login('  ADMIN ', ADMIN_PASSWORD)).statusCode).toBe(200);
  });
});

describe('unauthenticated requests', () => {
  it.each([
    ['POST', '/v1/sync/push'],
    ['GET', `/v1/sync/pull?clientId=x&schemaVersion=${SYNC_SCHEMA_VERSION}&cursor=0`],
    ['GET', `/v1/sync/snapshot?clientId=x&schemaVersion=${SYNC_SCHEMA_VERSION}&entity=fund`],
    ['GET', '/v1/audit'],
    ['GET', '/v1/audit/verify'],
    ['GET', '/v1/admin/users'],
    ['PUT', '/v1/admin/rules'],
    ['GET', '/v1/rules'],
    ['GET', '/metrics'],
  ] as const)('%s %s → 401 with the error envelope', async (method, url) => {
    const res = await s.app.inject({ method, url, payload: method === 'GET' ? undefined : {} });
    expect(res.statusCode).toBe(401);
    const body = res.json();
    expect(body.error).toMatchObject({ code: 'UNAUTHENTICATED', correlationId: res.headers['x-correlation-id'] });
    expect(Object.keys(body)).toEqual(['error']);
  });

  it('refuses a malformed token, a token signed with another key and an expired one', async () => {
    expect((await pullAs({ authorization: 'Bearer not.a.token' })).statusCode).toBe(401);
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(s.admin.user.id)
      .setIssuer('meridian-server')
      .setAudience('meridian-api')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('x'.repeat(48)));
    expect((await pullAs({ authorization: `Bearer ${forged}` })).statusCode).toBe(401);

    const fresh = (await login('admin', ADMIN_PASSWORD)).json<TokenResponse>();
    expect((await pullAs({ authorization: `Bearer ${fresh.accessToken}` })).statusCode).toBe(200);
    clock += 16 * 60_000;
    try {
      const expired = await pullAs({ authorization: `Bearer ${fresh.accessToken}` });
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error.details).toEqual({ reason: 'expired' });
      // The refresh token still works after the access token expired.
      expect((await refresh(fresh.refreshToken)).statusCode).toBe(200);
    } finally {
      clock -= 16 * 60_000;
    }
  });
});

describe('refresh tokens', () => {
  it('rotate: each refresh returns a new refresh token and a working access token', async () => {
    const first = (await login('admin', ADMIN_PASSWORD)).json<TokenResponse>();
    const r1 = await refresh(first.refreshToken);
    expect(r1.statusCode).toBe(200);
    const second = r1.json<TokenResponse>();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await pullAs({ authorization: `Bearer ${second.accessToken}` })).statusCode).toBe(200);
    expect((await refresh(second.refreshToken)).statusCode).toBe(200);
  });

  it('revoke the whole family when a rotated token is presented again', async () => {
    const first = (await login('admin', ADMIN_PASSWORD)).json<TokenResponse>();
    const second = (await refresh(first.refreshToken)).json<TokenResponse>();
    const replay = await refresh(first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.details).toEqual({ reason: 'reused' });
    // The legitimate holder's newer token is dead too.
    expect((await refresh(second.refreshToken)).json().error.details).toEqual({ reason: 'revoked' });
  });

  it('end at logout', async () => {
    const t = (await login('admin', ADMIN_PASSWORD)).json<TokenResponse>();
    const out = await s.app.inject({ method: 'POST', url: '/v1/auth/logout', payload: { refreshToken: t.refreshToken } });
    expect(out.statusCode).toBe(200);
    expect((await refresh(t.refreshToken)).statusCode).toBe(401);
  });

  it('expire', async () => {
    const t = (await login('admin', ADMIN_PASSWORD)).json<TokenResponse>();
    clock += 31 * 24 * 3600_000;
    try {
      expect((await refresh(t.refreshToken)).json().error.details).toEqual({ reason: 'expired' });
    } finally {
      clock -= 31 * 24 * 3600_000;
    }
  });
});

describe('accounts and roles', () => {
  let viewer: Session;
  beforeAll(async () => {
    viewer = await s.user('viewer', 'role-change-user');
  });

  it('reads the role from the database on every request, whatever the token says', async () => {
    const before = await s.push(viewer, 'role-client', [{ id: 1, name: 'createDeal', args: { id: 'RC-1', name: 'x' } }]);
    expect(before.results[0]).toMatchObject({ status: 'rejected', code: 'ROLE_FORBIDDEN' });
    const patch = await s.app.inject({ method: 'PATCH', url: `/v1/admin/users/${viewer.user.id}`, headers: s.admin.auth, payload: { role: 'analyst' } });
    expect(patch.statusCode).toBe(200);
    // Same access token, new role.
    const after = await s.push(viewer, 'role-client', [{ id: 2, name: 'createDeal', args: { id: 'RC-2', name: 'y' } }]);
    expect(after.results[0]).toMatchObject({ status: 'applied' });
  });

  it('locks a disabled account out at once: access and refresh tokens stop working', async () => {
    const u = await s.user('analyst', 'to-be-disabled');
    const patch = await s.app.inject({ method: 'PATCH', url: `/v1/admin/users/${u.user.id}`, headers: s.admin.auth, payload: { disabled: true } });
    expect(patch.json()).toMatchObject({ disabled: true });
    expect((await pullAs(u.auth)).statusCode).toBe(401);
    expect((await refresh(u.refreshToken)).statusCode).toBe(401);
    expect((await login('to-be-disabled', 'password-of-to-be-disabled')).statusCode).toBe(401);
  });
});

describe('rate limits', () => {
  it('limit failed sign-ins per user name, even from different addresses', async () => {
    const local = await startTestServer({ rateLimit: { max: 1_000_000, loginPerAddress: 1_000_000, loginFailuresPerUser: 3 } });
    try {
      for (let i = 0; i < 3; i++) expect((await login('admin', `wrong ${i}`, local, { 'x-forwarded-for': `10.0.0.${i}` })).statusCode).toBe(401);
      const blocked = await login('admin', ADMIN_PASSWORD, local);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.code).toBe('RATE_LIMITED');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // Other users are not affected.
      const other = await local.user('analyst', 'unaffected');
      expect(other.user.username).toBe('unaffected');
    } finally {
      await local.close();
    }
  });

  it('limit sign-in attempts per address', async () => {
    const local = await startTestServer({ rateLimit: { max: 1_000_000, loginPerAddress: 4, loginFailuresPerUser: 1_000_000 } });
    try {
      // The harness signed the admin in once already.
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await login('admin', ADMIN_PASSWORD, local)).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const res = await login('admin', ADMIN_PASSWORD, local);
      expect(res.json().error.code).toBe('RATE_LIMITED');
    } finally {
      await local.close();
    }
  });
});

describe('passwords', () => {
  it('are hashed with scrypt at the production cost and verified in constant time', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(DEFAULT_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
    expect(needsRehash(await hashPassword('x', TEST_SCRYPT), DEFAULT_SCRYPT)).toBe(true);
    expect(needsRehash(hash, DEFAULT_SCRYPT)).toBe(false);
  });

  it('are never stored in clear and never reach the logs, nor do tokens', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        cb();
      },
    });
    const db = await createTestDatabase();
    const local = await startTestServer({ logger: { level: 'trace', stream } }, db);
    try {
      const u = await local.user('analyst', 'log-check');
      await login('log-check', 'a wrong password for the log test', local);
      const t = await local.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: u.refreshToken } });
      expect(t.statusCode).toBe(200);
      const body = t.json<TokenResponse>();
      await local.app.inject({ method: 'GET', url: '/v1/audit', headers: { authorization: `Bearer ${body.accessToken}`, 'x-correlation-id': 'corr-123' } });

      const all = lines.join('\n');
      expect(lines.length).toBeGreaterThan(5);
      for (const secret of [ADMIN_PASSWORD, 'password-of-log-check', 'a wrong password for the log test', u.refreshToken, body.refreshToken, body.accessToken, u.token]) {
        expect(all).not.toContain(secret);
      }
      const parsed = lines.map((l) => JSON.parse(l) as { correlationId?: string; msg?: string });
      expect(parsed.some((l) => l.correlationId === 'corr-123')).toBe(true);
      const stored = await db.database.db.selectFrom('users').select('password_hash').where('username', '=', 'log-check').executeTakeFirstOrThrow();
      expect(stored.password_hash).toMatch(/^scrypt\$/);
      expect(stored.password_hash).not.toContain('password-of-log-check');
    } finally {
      await local.close();
      await db.drop();
    }
  });
});
