/** POST /v1/auth/login, /v1/auth/refresh, /v1/auth/logout. */
import { MeridianError } from '../../shared/errors';
import { loginRequestSchema, logoutRequestSchema, okResponseSchema, refreshRequestSchema, tokenResponseSchema, type TokenResponse } from '../../shared/sync/api';
import type { App, ServerDeps } from '../deps';
import { HttpError } from '../ops/errors';
import { errorResponses } from '../ops/schemas';
import { hashPassword, needsRehash, verifyPassword } from './passwords';
import { findUserById, findUserByName, type UserRow } from './users';

const WRONG = 'Wrong user name or password.';

export function registerAuthRoutes(app: App, deps: ServerDeps): void {
  let dummy: Promise<string> | null = null;
  /** A hash to verify against when the user does not exist, so timing does not reveal which names exist. */
  const dummyHash = () => (dummy ??= hashPassword('not a password of anyone', deps.scrypt));

  async function tokensFor(user: Pick<UserRow, 'id' | 'username' | 'role'>, refreshToken: string): Promise<TokenResponse> {
    return {
      accessToken: await deps.tokens.sign(user.id),
      refreshToken,
      expiresIn: deps.tokens.ttlSeconds,
      user: { id: user.id, username: user.username, role: user.role },
    };
  }

  app.post(
    '/v1/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Sign in', body: loginRequestSchema, response: { 200: tokenResponseSchema, ...errorResponses(400, 401, 429) } },
      config: { rateLimit: { max: deps.settings.loginPerAddressMax, timeWindow: deps.settings.loginWindowMs } },
    },
    async (req) => {
      const { username, password } = req.body;
      const wait = deps.loginFailures.blockedFor(username);
      if (wait > 0) {
        throw new HttpError(429, 'RATE_LIMITED', `Too many failed sign-ins for this user; try again in ${wait} s.`, { retryAfterSeconds: wait }, undefined, {
          'retry-after': String(wait),
        });
      }
      const user = await findUserByName(deps.db, username);
      let ok = false;
      if (user && !user.disabled) ok = await verifyPassword(password, user.password_hash);
      else await verifyPassword(password, await dummyHash());
      if (!ok || !user) {
        deps.loginFailures.fail(username);
        req.log.info({ event: 'login_failed', username }, 'sign-in refused');
        throw new MeridianError('UNAUTHENTICATED', WRONG);
      }
      deps.loginFailures.reset(username);
      if (needsRehash(user.password_hash, deps.scrypt)) {
        const hash = await hashPassword(password, deps.scrypt);
        await deps.db.updateTable('users').set({ password_hash: hash }).where('id', '=', user.id).execute();
      }
      req.log.info({ event: 'login', userId: user.id }, 'signed in');
      return tokensFor(user, await deps.refresh.issue(user.id));
    },
  );

  app.post(
    '/v1/auth/refresh',
    { schema: { tags: ['auth'], summary: 'Exchange a refresh token (rotates it)', body: refreshRequestSchema, response: { 200: tokenResponseSchema, ...errorResponses(400, 401) } } },
    async (req) => {
      const r = await deps.refresh.rotate(req.body.refreshToken);
      if (!r.ok) {
        if (r.reason === 'reused') req.log.warn({ event: 'refresh_token_reuse' }, 'a rotated refresh token was presented again; its family is revoked');
        throw new MeridianError('UNAUTHENTICATED', 'This sign-in has ended; sign in again.', { reason: r.reason });
      }
      const user = await findUserById(deps.db, r.userId);
      if (!user || user.disabled) throw new MeridianError('UNAUTHENTICATED', 'This account is disabled; sign in again.');
      return tokensFor(user, r.token);
    },
  );

  app.post(
    '/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'End a sign-in (revokes its refresh tokens)', body: logoutRequestSchema, response: { 200: okResponseSchema, ...errorResponses(400) } } },
    async (req) => {
      await deps.refresh.revokeFamilyOf(req.body.refreshToken);
      return { ok: true as const };
    },
  );
}
