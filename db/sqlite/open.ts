/**
 * Opens a local profile database: WAL, foreign keys, busy timeout,
 * migrations applied. Returns the raw better-sqlite3 handle (for hot paths
 * with prepared statements) and a Kysely instance over the same connection.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
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

/**
 * Kysely prepares every query it runs; preparing costs more than running a
 * small statement. Keep the most recent statements (keyed by SQL text) and
 * reuse them unless one is busy (an open iterator), then prepare afresh.
 */
export function cachingDatabase(raw: Database.Database, max = 256): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        cache.delete(sql); // most recently used goes last
        cache.set(sql, hit);
        return hit;
      }
      const stmt = raw.prepare(sql);
      if (!hit) {
        cache.set(sql, stmt);
        if (cache.size > max) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
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
    const kysely = new Kysely<LocalTables>({ dialect: new SqliteDialect({ database: cachingDatabase(raw) }) });
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
