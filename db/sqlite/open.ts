/**
 * Opens a local profile database: WAL, foreign keys, busy timeout,
 * migrations applied. Returns the raw better-sqlite3 handle (for hot paths
 * with prepared statements) and a Kysely instance over the same connection.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { LocalTables } from './local-tables';
import { migrateSqlite, type MigrationReport } from './migrate';

export interface LocalDatabase {
  file: string;
  raw: Database.Database;
  kysely: Kysely<LocalTables>;
  migration: MigrationReport;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Stop migrating at this schema version (tests of upgrades). */
  targetVersion?: number;
  readonly?: boolean;
}

export function openSqlite(file: string, options: OpenOptions = {}): LocalDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new Database(file, { readonly: options.readonly ?? false });
  try {
    raw.pragma('busy_timeout = 5000');
    if (file !== ':memory:' && !options.readonly) raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    const migration = options.readonly ? { from: 0, to: 0, applied: [] } : migrateSqlite(raw, options.targetVersion);
    const kysely = new Kysely<LocalTables>({ dialect: new SqliteDialect({ database: raw }) });
    let closed = false;
    return {
      file,
      raw,
      kysely,
      migration,
      async close() {
        if (closed) return;
        closed = true;
        await kysely.destroy(); // closes the better-sqlite3 handle too
      },
    };
  } catch (e) {
    raw.close();
    throw e;
  }
}
