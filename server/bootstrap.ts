/**
 * First-start preparation, safe to run on every start and from several
 * instances at once: migrations (under their advisory lock), then — under
 * the change-counter lock — the token-signing secret, the first business
 * rules revision and the first admin account, each only when missing.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { migratePostgres, postgresSchemaVersion, type MigrationReport } from '../db/postgres/migrate';
import { PG_SCHEMA_VERSION } from '../db/postgres/migrations';
import type { ServerTables } from '../db/postgres/tables';
import type { BusinessRules } from '../shared/rules/business-rules';
import { newId } from '../shared/ids';
import { writeRulesRevision } from './admin/rules';
import { appendAudit } from './audit/chain';
import { hashPassword, type ScryptParams } from './auth/passwords';
import { auditImage, type UserRow } from './auth/users';
import { lockCounter, nextSeq } from './sync/counter';

export interface BootstrapOptions {
  /** Password of the first admin; generated when absent. */
  adminPassword?: string | undefined;
  initialRules: BusinessRules;
  /** Where the initial rules came from, for the audit trail. */
  rulesSource: string;
  /** Token-signing secret from the environment; otherwise one is generated once and kept in the database. */
  jwtSecret?: string | undefined;
  scrypt: ScryptParams;
  now: () => Date;
  /** Serve from a read replica: check, never write (see readOnlyBootstrap). */
  readOnly?: boolean;
}

export interface BootstrapReport {
  migration: MigrationReport;
  adminCreated: boolean;
  /** The generated admin password, to show once (null when given or not created). */
  generatedAdminPassword: string | null;
  rulesSeeded: boolean;
  jwtSecret: Uint8Array;
}

/**
 * A read-only instance (a read replica serving pull, snapshot and audit):
 * no migrations and no writes; the schema must be migrated already and the
 * signing secret must exist (from the environment or the primary's table).
 */
async function readOnlyBootstrap(db: Kysely<ServerTables>, o: BootstrapOptions): Promise<BootstrapReport> {
  const version = await postgresSchemaVersion(db);
  if (version < PG_SCHEMA_VERSION) {
    throw new Error(`read-only start: the database is at schema ${version}, this server needs ${PG_SCHEMA_VERSION}; migrate it from a writable instance first`);
  }
  let secret = o.jwtSecret;
  if (!secret) {
    const row = await db.selectFrom('server_secret').select('value').where('name', '=', 'jwt').executeTakeFirst();
    if (!row) throw new Error('read-only start: no token-signing secret; set MERIDIAN_JWT_SECRET or start a writable instance first');
    secret = row.value;
  }
  return {
    migration: { from: version, to: version, applied: [] },
    adminCreated: false,
    generatedAdminPassword: null,
    rulesSeeded: false,
    jwtSecret: new TextEncoder().encode(secret),
  };
}

export async function bootstrap(db: Kysely<ServerTables>, o: BootstrapOptions): Promise<BootstrapReport> {
  if (o.readOnly) return readOnlyBootstrap(db, o);
  const migration = await migratePostgres(db);
  const generated = o.adminPassword ? null : randomBytes(18).toString('base64url');
  const password = o.adminPassword ?? generated!;
  const hasUsers = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  // Hash outside the lock (it is slow on purpose).
  const adminHash = hasUsers ? null : await hashPassword(password, o.scrypt);

  return db.transaction().execute(async (trx) => {
    await lockCounter(trx);
    const at = o.now().toISOString();

    let secret: string;
    if (o.jwtSecret) {
      secret = o.jwtSecret;
    } else {
      await trx
        .insertInto('server_secret')
        .values({ name: 'jwt', value: randomBytes(48).toString('base64url'), created_at: at })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      secret = (await trx.selectFrom('server_secret').select('value').where('name', '=', 'jwt').executeTakeFirstOrThrow()).value;
    }

    let rulesSeeded = false;
    const anyRules = await trx.selectFrom('business_rules').select('id').limit(1).executeTakeFirst();
    if (!anyRules) {
      const counter = await nextSeq(trx);
      await writeRulesRevision(trx, counter, o.initialRules, { userId: 'system', now: at, reason: `initial rules (${o.rulesSource})` });
      rulesSeeded = true;
    }

    let adminCreated = false;
    const anyUser = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (!anyUser) {
      const row: UserRow = {
        id: newId(),
        username: 'admin',
        password_hash: adminHash ?? (await hashPassword(password, o.scrypt)),
        role: 'admin',
        disabled: false,
        created_at: at,
        updated_at: at,
      };
      await trx.insertInto('users').values(row).execute();
      const counter = await lockCounter(trx);
      await appendAudit(trx, counter, counter.seq, {
        at,
        userId: 'system',
        clientId: null,
        mutationId: null,
        mutation: 'createUser',
        status: 'applied',
        code: null,
        message: 'first admin account',
        entity: 'user',
        entityId: row.id,
        before: null,
        after: auditImage(row),
        details: { passwordGenerated: generated !== null },
      });
      adminCreated = true;
    }

    return {
      migration,
      adminCreated,
      generatedAdminPassword: adminCreated ? generated : null,
      rulesSeeded,
      jwtSecret: new TextEncoder().encode(secret),
    };
  });
}
