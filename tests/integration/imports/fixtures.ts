/** Real SQLite files in temporary folders, and small CSV fixtures, for the import/export tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { openSqlite, type LocalDatabase } from '../../../db/sqlite/open';
import { importCsv, type ImportOptions } from '../../../electron/core/imports/import-csv';
import type { ImportKind } from '../../../shared/imports/formats';

const dirs: string[] = [];
const dbs: LocalDatabase[] = [];

afterAll(async () => {
  for (const db of dbs) await db.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-'));
  dirs.push(d);
  return d;
}

/** A fresh, migrated database file in its own temporary folder. */
export function freshDb(dir = tempDir()): LocalDatabase {
  const db = openSqlite(path.join(dir, 'meridian.sqlite'));
  dbs.push(db);
  return db;
}

export function csvFile(dir: string, name: string, lines: readonly string[], eol = '\n'): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, lines.join(eol) + eol);
  return f;
}

export const NOW = '2025-03-31T12:00:00.000Z';
export const USER = 'importer@example.com';

export function run(db: LocalDatabase, kind: ImportKind, file: string, opts: Partial<ImportOptions> = {}) {
  return importCsv(db, kind, file, { userId: USER, now: NOW, ...opts });
}

/** Funds F1 (USD, size 10,000,000.00) and F2 (EUR, 200,000,000.00); deals D1–D3; investors I1, I2 — through the importer. */
export async function seedPortfolio(db: LocalDatabase, dir: string): Promise<void> {
  await run(db, 'funds', csvFile(dir, 'funds.csv', ['id,name,currency,vintage,size', 'F1,Growth Fund I,USD,2022,10000000.00', 'F2,Credit Fund II,EUR,2023,200000000.00']));
  await run(
    db,
    'deals',
    csvFile(dir, 'deals.csv', [
      'id,name,sector,country,stage',
      'D1,Acme Robotics,Industrials,US,Growth',
      'D2,Borealis Health,Healthcare,DE,Buyout',
      'D3,"Cobalt Software, Inc.",Technology,US,Growth',
    ]),
  );
  await run(db, 'investors', csvFile(dir, 'investors.csv', ['id,name', 'I1,Pension Plan A', 'I2,Endowment B']));
}

export function count(db: LocalDatabase, table: string): number {
  return db.raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

/** Every row of a table, ordered by id, for before/after comparisons. */
export function dump(db: LocalDatabase, table: string): unknown[] {
  return db.raw.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
}

export const TABLES = ['fund', 'deal', 'investor', 'commitment', 'allocation', 'contribution', 'distribution', 'nav_mark', 'index_level'] as const;

export function snapshot(db: LocalDatabase): Record<string, unknown[]> {
  return Object.fromEntries(TABLES.map((t) => [t, dump(db, t)]));
}
