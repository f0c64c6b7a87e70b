/**
 * Authentication and role checks for routes. The bearer token names the
 * user; the user's role and status are read from the database on every
 * request, whatever the token or the client claims.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { ServerTables } from '../../db/postgres/tables';
import { hasRole, ROLE_LABEL, type Role } from '../../shared/domain/roles';
import { MeridianError } from '../../shared/errors';
import { retryable } from '../ops/errors';
import type { AccessTokens } from './tokens';
import { findUserById } from './users';

export interface AuthUser {
  id: string;
  username: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user (routes behind `requireRole`). */
    user: AuthUser | null;
  }
}

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(h.trim());
  return m ? m[1]! : null;
}

export interface GuardDeps {
  db: Kysely<ServerTables>;
  tokens: AccessTokens;
}

export async function authenticate(deps: GuardDeps, req: FastifyRequest): Promise<AuthUser> {
  const token = bearerToken(req);
  if (!token) throw new MeridianError('UNAUTHENTICATED', 'Sign in first: this request needs an "Authorization: Bearer <access token>" header.');
  const userId = await deps.tokens.verify(token);
  let row;
  try {
    row = await findUserById(deps.db, userId);
  } catch (e) {
    req.log.error({ err: e }, 'authentication could not read the user');
    throw retryable('The server cannot reach its database right now; try again shortly.', 2);
  }
  if (!row || row.disabled) throw new MeridianError('UNAUTHENTICATED', 'This account is disabled or no longer exists.');
  return { id: row.id, username: row.username, role: row.role };
}

export function roleForbidden(user: AuthUser, required: Role, what: string): MeridianError {
  return new MeridianError('ROLE_FORBIDDEN', `${what} needs the ${ROLE_LABEL[required]} role; you are signed in as ${ROLE_LABEL[user.role]}.`, {
    requiredRole: required,
    role: user.role,
  });
}

/** An onRequest hook: authenticates and requires at least `role`. */
export function requireRole(deps: GuardDeps, role: Role, what = 'This request') {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const user = await authenticate(deps, req);
    if (!hasRole(user.role, role)) throw roleForbidden(user, role, what);
    req.user = user;
  };
}

/** The authenticated user of a request behind requireRole. */
export function userOf(req: FastifyRequest): AuthUser {
  if (!req.user) throw new MeridianError('UNAUTHENTICATED', 'Sign in first.');
  return req.user;
}
