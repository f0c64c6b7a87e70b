/**
 * Connection factories for the server database: a real PostgreSQL server
 * through a `pg` pool, or embedded PostgreSQL (PGlite) in a folder or in
 * memory. Both give a `Kysely<ServerTables>` that behaves the same: BIGINT
 * (int8) reads as a JS number after a safe-integer range check — never as a
 * float or a string — and NUMERIC (what sum() over BIGINT returns) stays an
 * exact decimal string that callers convert with toSafeInteger.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { ServerTables } from './tables';

export const INT8_OID = 20;

/** Parses an int8 text value to a number, refusing anything outside the safe-integer range. */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${text} is outside the safe integer range; refusing to round it`);
  return n;
}

export interface PoolStats {
  /** Connections open (busy + idle). */
  total: number;
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
  max: number;
}

export interface ServerDatabase {
  kind: 'postgres' | 'pglite';
  db: Kysely<ServerTables>;
  /** Where it points, without credentials (for logs and health). */
  description: string;
  /** The pg pool (postgres only): for raw reads in benchmarks and diagnostics. */
  pool?: pg.Pool;
  poolStats(): PoolStats;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Pool size (default 10). */
  max?: number;
  applicationName?: string;
  /** Milliseconds to wait for a connection before failing (default 10 s). */
  connectionTimeoutMillis?: number;
  /** Server-side statement timeout in ms (default 30 s; 0 disables). */
  statementTimeoutMillis?: number;
}

/** Strips the password from a connection URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

export function connectPostgres(url: string, options: ConnectOptions = {}): ServerDatabase {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, parseInt8);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'meridian-server',
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    statement_timeout: options.statementTimeoutMillis ?? 30_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<ServerTables>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    kind: 'postgres',
    db,
    description: redactUrl(url),
    pool,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: options.max ?? 10 }),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // ends the pool
    },
  };
}

/** A lock file so that two processes never open the same PGlite folder (PGlite is single-process). */
function lockFolder(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'meridian.lock');
  const isAlive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new Error(`the embedded database in ${dir} is already open in process ${pid}`, { cause: e });
      }
      fs.rmSync(file, { force: true }); // stale lock of a process that is gone
    }
  }
  throw new Error(`could not lock the embedded database in ${dir}`);
}

export interface PgliteOptions {
  /**
   * A data-directory tarball (from dumpPgliteDataDir) to start from instead of
   * running initdb, which takes several seconds in WebAssembly. Used for
   * in-memory test databases.
   */
  initialDataDir?: Blob;
}

/** Dumps a fresh PGlite cluster's data directory, to start later ones from it (see PgliteOptions). */
export async function freshPgliteDataDir(): Promise<Blob> {
  const client = await PGlite.create();
  try {
    return await client.dumpDataDir('none');
  } finally {
    await client.close();
  }
}

/**
 * Opens embedded PostgreSQL: `dir` is a folder (created if needed) or
 * 'memory://' for a throwaway in-memory database. PGlite has one connection;
 * the dialect queues concurrent transactions, which is correct but serial.
 */
export async function openPglite(dir: string, options: PgliteOptions = {}): Promise<ServerDatabase> {
  const memory = dir === 'memory://' || dir.startsWith('memory://');
  const unlock = memory ? () => {} : lockFolder(path.resolve(dir));
  try {
    const client = await PGlite.create({
      dataDir: memory ? undefined : path.resolve(dir),
      parsers: { [INT8_OID]: parseInt8 },
      ...(options.initialDataDir ? { loadDataDir: options.initialDataDir } : {}),
    });
    const db = new Kysely<ServerTables>({ dialect: new PGliteDialect(client) });
    let closed = false;
    return {
      kind: 'pglite',
      db,
      description: memory ? 'pglite (in memory)' : `pglite ${path.resolve(dir)}`,
      poolStats: () => ({ total: 1, idle: 1, waiting: 0, max: 1 }),
      async close() {
        if (closed) return;
        closed = true;
        await db.destroy(); // closes PGlite
        unlock();
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}
