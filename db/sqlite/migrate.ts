/** Applies pending SQLite migrations in one transaction; idempotent. */
import type Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS, type SqliteMigration } from './migrations';

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to `target` (default: the newest). Every pending
 * migration runs in one IMMEDIATE transaction, so a failure leaves the
 * database exactly as it was; two processes opening the same file at once
 * serialise on the write lock and the second finds nothing to do.
 */
export function migrateSqlite(db: Database.Database, target?: number, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS): MigrationReport {
  const run = db.transaction(() => {
    const from = schemaVersion(db);
    const goal = target ?? migrations[migrations.length - 1]!.version;
    if (from > migrations[migrations.length - 1]!.version) {
      throw new Error(`database schema version ${from} is newer than this program supports (${migrations[migrations.length - 1]!.version}); update Meridian`);
    }
    const applied: string[] = [];
    for (const m of migrations) {
      if (m.version <= from || m.version > goal) continue;
      db.exec(m.sql);
      applied.push(`${m.version} ${m.name}`);
    }
    const to = Math.max(from, Math.min(goal, migrations[migrations.length - 1]!.version));
    if (to !== from) db.pragma(`user_version = ${to}`);
    return { from, to, applied };
  });
  return run.immediate();
}
