/**
 * Access tokens: short-lived HS256 JWTs (jose) naming the user; the role is
 * read from the database on every request, so a role change or a disabled
 * account takes effect at once. Refresh tokens: opaque random strings, stored
 * only as SHA-256 hashes, single use: each refresh rotates the token within
 * its family, and presenting an already-rotated token (a stolen copy being
 * replayed, or the legitimate one after theft) revokes the whole family.
 */
import { createHash, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Kysely } from 'kysely';
import type { ServerTables } from '../../db/postgres/tables';
import { MeridianError } from '../../shared/errors';
import { newId } from '../../shared/ids';

const ISSUER = 'meridian-server';
const AUDIENCE = 'meridian-api';

export interface TokenSettings {
  secret: Uint8Array;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  now: () => Date;
}

export class AccessTokens {
  constructor(private readonly s: TokenSettings) {}

  get ttlSeconds(): number {
    return this.s.accessTtlSeconds;
  }

  async sign(userId: string): Promise<string> {
    const now = Math.floor(this.s.now().getTime() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.s.accessTtlSeconds)
      .setJti(newId())
      .sign(this.s.secret);
  }

  /** The user id of a valid token; UNAUTHENTICATED otherwise. */
  async verify(token: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, this.s.secret, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: this.s.now(),
      });
      if (typeof payload.sub !== 'string' || !payload.sub) throw new MeridianError('UNAUTHENTICATED', 'The access token names no user.');
      return payload.sub;
    } catch (e) {
      if (e instanceof MeridianError) throw e;
      const expired = e instanceof joseErrors.JWTExpired;
      throw new MeridianError('UNAUTHENTICATED', expired ? 'The access token has expired; refresh it.' : 'The access token is not valid; sign in again.', {
        reason: expired ? 'expired' : 'invalid',
      });
    }
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function mint(): string {
  return randomBytes(32).toString('base64url');
}

export type RefreshOutcome = { ok: true; userId: string; token: string } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' };

export class RefreshTokens {
  constructor(
    private readonly db: Kysely<ServerTables>,
    private readonly s: TokenSettings,
  ) {}

  /** Starts a new family (a login). */
  async issue(userId: string, familyId: string = newId()): Promise<string> {
    const token = mint();
    const now = this.s.now();
    await this.db
      .insertInto('refresh_token')
      .values({
        id: newId(),
        family_id: familyId,
        user_id: userId,
        token_hash: hashToken(token),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + this.s.refreshTtlSeconds * 1000).toISOString(),
        rotated_at: null,
        revoked_at: null,
      })
      .execute();
    return token;
  }

  /** Exchanges a refresh token for a new one in the same family. */
  async rotate(token: string): Promise<RefreshOutcome> {
    return this.db.transaction().execute(async (trx): Promise<RefreshOutcome> => {
      const now = this.s.now();
      const row = await trx.selectFrom('refresh_token').selectAll().where('token_hash', '=', hashToken(token)).forUpdate().executeTakeFirst();
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.revoked_at) return { ok: false, reason: 'revoked' };
      if (row.rotated_at) {
        // Reuse of a rotated token: someone holds a copy. Revoke the whole family.
        await trx.updateTable('refresh_token').set({ revoked_at: now.toISOString() }).where('family_id', '=', row.family_id).where('revoked_at', 'is', null).execute();
        return { ok: false, reason: 'reused' };
      }
      if (row.expires_at <= now.toISOString()) return { ok: false, reason: 'expired' };
      const user = await trx.selectFrom('users').select(['disabled']).where('id', '=', row.user_id).executeTakeFirst();
      if (!user || user.disabled) return { ok: false, reason: 'revoked' };
      await trx.updateTable('refresh_token').set({ rotated_at: now.toISOString() }).where('id', '=', row.id).execute();
      const next = mint();
      await trx
        .insertInto('refresh_token')
        .values({
          id: newId(),
          family_id: row.family_id,
          user_id: row.user_id,
          token_hash: hashToken(next),
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + this.s.refreshTtlSeconds * 1000).toISOString(),
          rotated_at: null,
          revoked_at: null,
        })
        .execute();
      return { ok: true, userId: row.user_id, token: next };
    });
  }

  /** Revokes the family of `token` (logout). Unknown tokens are ignored. */
  async revokeFamilyOf(token: string): Promise<void> {
    const row = await this.db.selectFrom('refresh_token').select('family_id').where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!row) return;
    await this.db.updateTable('refresh_token').set({ revoked_at: this.s.now().toISOString() }).where('family_id', '=', row.family_id).where('revoked_at', 'is', null).execute();
  }

  /** Revokes every refresh token of a user (disabled account, password change). */
  async revokeUser(userId: string, db: Kysely<ServerTables> = this.db): Promise<void> {
    await db.updateTable('refresh_token').set({ revoked_at: this.s.now().toISOString() }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  }
}
