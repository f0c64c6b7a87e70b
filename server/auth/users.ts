/** User accounts: storage and the wire shape (never the password hash). */
import type { Kysely, Selectable } from 'kysely';
import type { ServerTables, UsersTable } from '../../db/postgres/tables';
import type { Role } from '../../shared/domain/roles';
import { MeridianError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { User } from '../../shared/sync/api';
import { hashPassword, type ScryptParams } from './passwords';

export type UserRow = Selectable<UsersTable>;

export function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, role: row.role, disabled: row.disabled, createdAt: row.created_at, updatedAt: row.updated_at };
}

export async function findUserByName(db: Kysely<ServerTables>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: Kysely<ServerTables>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(
  db: Kysely<ServerTables>,
  input: { username: string; password: string; role: Role },
  params: ScryptParams,
  now: string,
): Promise<UserRow> {
  const row: UserRow = {
    id: newId(),
    username: input.username.trim().toLowerCase(),
    password_hash: await hashPassword(input.password, params),
    role: input.role,
    disabled: false,
    created_at: now,
    updated_at: now,
  };
  const r = await db.insertInto('users').values(row).onConflict((oc) => oc.column('username').doNothing()).executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) {
    throw new MeridianError('DUPLICATE', `A user named "${row.username}" already exists.`, { username: row.username });
  }
  return row;
}

/** The user as the audit trail records it: no password hash. */
export function auditImage(row: UserRow | undefined): Record<string, unknown> | null {
  if (!row) return null;
  const { password_hash: _hash, ...rest } = row;
  return rest;
}
