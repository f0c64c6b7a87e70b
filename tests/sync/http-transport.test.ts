// HttpTransport and AuthSession against a scripted fetch: one refresh on a
// 401 (shared by concurrent requests), then re-login; error kinds; tokens
// never in messages.
import { describe, expect, it } from 'vitest';
import { MemoryCredentialStore } from '../../electron/core/credentials';
import { AuthSession, HttpTransport, type FetchLike } from '../../electron/core/sync';
import { SyncTransportError } from '../../electron/core/sync/transport';

const SERVER = 'https://sync.example.test';
const user = { id: 'u1', username: 'ana', role: 'analyst' as const };
const tokens = (n: number) => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn: 900, user });
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const envelope = (code: string, message: string, details?: Record<string, unknown>) => ({ error: { code, message, correlationId: 'c-1', ...(details ? { details } : {}) } });
const emptyPull = { kind: 'changes', changes: [], cursor: 5, hasMore: false, lastMutationId: 0, results: [] };
const pullReq = { clientId: 'c1', schemaVersion: 1, cursor: 0, limit: 10 };

interface Call {
  url: string;
  method: string;
  auth: string | undefined;
  body: unknown;
}

/** A fake server: `valid` is the access token it accepts; `refreshes` counts rotations. */
function fakeServer(opts: { refreshOk?: boolean; pull?: () => Response } = {}) {
  const calls: Call[] = [];
  const state = { valid: 'access-1', issued: 1, refreshes: 0 };
  const fetch: FetchLike = async (url, init) => {
    const body = init.body ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    calls.push({ url, method: init.method, auth: init.headers.authorization, body });
    const path = new URL(url).pathname;
    if (path === '/v1/auth/login') return json(200, tokens(state.issued));
    if (path === '/v1/auth/refresh') {
      await new Promise((r) => setTimeout(r, 5));
      if (opts.refreshOk === false || body?.refreshToken !== `refresh-${state.issued}`) return json(401, envelope('UNAUTHENTICATED', 'This sign-in has ended; sign in again.'));
      state.refreshes++;
      state.issued++;
      state.valid = `access-${state.issued}`;
      return json(200, tokens(state.issued));
    }
    if (path === '/v1/auth/logout') return json(200, { ok: true });
    if (init.headers.authorization !== `Bearer ${state.valid}`) return json(401, envelope('UNAUTHENTICATED', 'Sign in first.'));
    if (path === '/v1/sync/pull') return opts.pull ? opts.pull() : json(200, emptyPull);
    return json(404, envelope('NOT_FOUND', 'no route'));
  };
  return { fetch, calls, state };
}

async function signedIn(opts: Parameters<typeof fakeServer>[0] = {}) {
  const server = fakeServer(opts);
  const credentials = new MemoryCredentialStore();
  const session = new AuthSession({ serverUrl: SERVER, credentials, account: 'acct', fetch: server.fetch });
  await session.login('ana', 'correct horse battery staple');
  const transport = new HttpTransport({ session, fetch: server.fetch });
  return { server, credentials, session, transport };
}

describe('AuthSession and HttpTransport', () => {
  it('keeps the refresh token in the store and the access token in memory only', async () => {
    const { credentials, transport, server } = await signedIn();
    expect(await credentials.get('acct')).toBe('refresh-1');
    expect(await transport.pull(pullReq)).toMatchObject({ kind: 'changes', cursor: 5 });
    expect(server.calls.at(-1)?.auth).toBe('Bearer access-1');
  });

  it('refreshes once on a 401 and retries; concurrent requests share the refresh', async () => {
    const { server, credentials, transport } = await signedIn();
    server.state.valid = 'stale'; // access-1 expired; refresh-1 is accepted exactly once (it rotates)
    const fetchBefore = server.calls.length;
    const [a, b, c] = await Promise.all([transport.pull(pullReq), transport.pull(pullReq), transport.pull(pullReq)]);
    expect([a, b, c].every((p) => p.kind === 'changes')).toBe(true);
    expect(server.state.refreshes).toBe(1);
    expect(await credentials.get('acct')).toBe('refresh-2');
    expect(server.calls.slice(fetchBefore).filter((c) => c.url.endsWith('/v1/auth/refresh'))).toHaveLength(1);
  });

  it('asks for a new sign-in when the refresh is refused, and forgets the stored token', async () => {
    const { server, credentials, session, transport } = await signedIn({ refreshOk: false });
    const asked: string[] = [];
    session.on('loginRequired', (e) => asked.push(e.reason));
    server.state.valid = 'stale';
    const e = (await transport.pull(pullReq).catch((x: unknown) => x)) as SyncTransportError;
    expect(e).toBeInstanceOf(SyncTransportError);
    expect(e.kind).toBe('unauthenticated');
    expect(e.retryable).toBe(false);
    expect(asked).toHaveLength(1);
    expect(await credentials.get('acct')).toBeNull();
    for (const text of [e.message, JSON.stringify(e), String(e.stack)]) expect(text).not.toMatch(/access-\d|refresh-\d/);
  });

  it('without a stored sign-in says to sign in', async () => {
    const server = fakeServer();
    const session = new AuthSession({ serverUrl: SERVER, credentials: new MemoryCredentialStore(), account: 'acct', fetch: server.fetch });
    const e = (await new HttpTransport({ session, fetch: server.fetch }).pull(pullReq).catch((x: unknown) => x)) as SyncTransportError;
    expect(e.kind).toBe('unauthenticated');
    expect(e.message).toMatch(/meridian login/);
    expect(server.calls).toHaveLength(0); // no stored token: nothing is sent
  });

  it('maps answers to error kinds', async () => {
    const cases: [Response | Error, string, Record<string, unknown>][] = [
      [json(426, envelope('CLIENT_TOO_OLD', 'Update Meridian.', { schemaVersion: 1, minSchemaVersion: 2, serverSchemaVersion: 2 })), 'client_too_old', { minSchemaVersion: 2 }],
      [json(503, envelope('INTERNAL', 'try again', { retryable: true }), { 'retry-after': '7' }), 'server', {}],
      [json(429, envelope('RATE_LIMITED', 'slow down'), { 'retry-after': '3' }), 'rate_limited', {}],
      [json(403, envelope('ROLE_FORBIDDEN', 'Client c1 is registered to another user')), 'refused', {}],
      [new Response('<html>bad gateway</html>', { status: 502 }), 'server', {}],
      [json(200, { kind: 'changes', changes: [{ seq: 9, idx: 0, entity: 'nope', id: 'x', op: 'insert', row: { id: 'x' } }], cursor: 9, hasMore: false, lastMutationId: 0, results: [] }), 'protocol', {}],
      [Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'offline', {}],
      [Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }), 'timeout', {}],
    ];
    for (const [answer, kind, details] of cases) {
      const { transport } = await signedIn({
        pull: () => {
          if (answer instanceof Error) throw answer;
          return answer.clone();
        },
      });
      const e = (await transport.pull(pullReq).catch((x: unknown) => x)) as SyncTransportError;
      expect(e.kind, `${kind}: ${e.message}`).toBe(kind);
      expect(e.extra.details ?? {}).toMatchObject(details);
      if (kind === 'server' && answer instanceof Response && answer.headers.get('retry-after')) expect(e.extra.retryAfterMs).toBe(7000);
      if (kind === 'rate_limited') expect(e.extra.retryAfterMs).toBe(3000);
    }
  });

  it('retries a sync request once when a kept-alive connection is closed under it', async () => {
    let resets = 1;
    const { transport, server } = await signedIn({
      pull: () => {
        if (resets-- > 0) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } });
        return json(200, emptyPull);
      },
    });
    expect(await transport.pull(pullReq)).toMatchObject({ kind: 'changes' });
    expect(server.calls.filter((c) => c.url.includes('/v1/sync/pull'))).toHaveLength(2);
    resets = 2; // twice in a row: reported as offline
    const e = (await transport.pull(pullReq).catch((x: unknown) => x)) as SyncTransportError;
    expect(e.kind).toBe('offline');
  });

  it('accepts a rejection with an error code this version does not know (a newer server)', async () => {
    const page = { ...emptyPull, lastMutationId: 1, results: [{ id: 1, name: 'createAllocation', status: 'rejected', seq: 4, code: 'SOME_FUTURE_RULE', message: 'Refused by a rule added later.', problems: [], details: {} }] };
    const { transport } = await signedIn({ pull: () => json(200, page) });
    const r = await transport.pull(pullReq);
    expect(r.kind === 'changes' && r.results[0]).toMatchObject({ status: 'rejected', code: 'SOME_FUTURE_RULE' });
  });

  it('logout revokes on the server and forgets both tokens', async () => {
    const { server, credentials, session } = await signedIn();
    const r = await session.logout();
    expect(r).toEqual({ revoked: true, removed: true });
    expect(await credentials.get('acct')).toBeNull();
    expect(server.calls.at(-1)).toMatchObject({ method: 'POST', body: { refreshToken: 'refresh-1' } });
  });
});
