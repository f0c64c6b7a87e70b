/**
 * Applies pending PostgreSQL migrations. Every pending migration runs in one
 * transaction under a transaction-scoped advisory lock, so two server
 * instances starting at once serialise: the second waits, then finds nothing
 * to do. DDL is transactional in PostgreSQL, so a failure leaves the schema
 * exactly as it was.
 */
import { sql, type Kysely } from 'kysely';
import { PG_MIGRATIONS, type PgMigration } from './migrations';

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

/** Advisory lock key of the migration runner ("MERI", 1). */
export const MIGRATION_LOCK = [0x4d455249, 1] as const;

/** Kysely over any schema: the runner must work before the tables exist. */
type AnyKysely = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function currentVersion(db: AnyKysely): Promise<number> {
  const exists = await sql<{ t: string | null }>`select to_regclass('schema_migration')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return 0;
  const r = await sql<{ v: number | null }>`select max(version) as v from schema_migration`.execute(db);
  return r.rows[0]?.v ?? 0;
}

/** Schema version of the database (0 when no migration ran). */
export async function postgresSchemaVersion(db: AnyKysely): Promise<number> {
  return currentVersion(db);
}

export async function migratePostgres(
  db: AnyKysely,
  options: { target?: number; migrations?: readonly PgMigration[] } = {},
): Promise<MigrationReport> {
  const migrations = options.migrations ?? PG_MIGRATIONS;
  const latest = migrations[migrations.length - 1]!.version;
  const goal = options.target ?? latest;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK[0]}, ${MIGRATION_LOCK[1]})`.execute(trx);
    await sql`create table if not exists schema_migration (
      version integer primary key,
      name text not null,
      applied_at text not null
    )`.execute(trx);
    const from = await currentVersion(trx);
    if (from > latest) {
      throw new Error(`database schema version ${from} is newer than this server supports (${latest}); deploy the newer server`);
    }
    const applied: string[] = [];
    for (const m of migrations) {
      if (m.version <= from || m.version > goal) continue;
      for (const statement of m.statements) await sql.raw(statement).execute(trx);
      await trx
        .insertInto('schema_migration')
        .values({ version: m.version, name: m.name, applied_at: new Date().toISOString() })
        .execute();
      applied.push(`${m.version} ${m.name}`);
    }
    return { from, to: Math.max(from, Math.min(goal, latest)), applied };
  });
}
