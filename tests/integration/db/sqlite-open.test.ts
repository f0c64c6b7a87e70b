// Opening a profile database: pragmas, idempotent migrations in one
// transaction, and an in-place upgrade of a database made by an older schema.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../../db/sqlite/open';
import { migrateSqlite, schemaVersion } from '../../../db/sqlite/migrate';
import { SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from '../../../db/sqlite/migrations';
import { tempDir } from '../../helpers/temp';

const SYNC = { version: 3, updated_at: '2024-01-01T00:00:00.000Z', updated_by: 'u1', deleted_at: null };

describe('openSqlite', () => {
  it('turns on WAL, foreign keys and a busy timeout', async () => {
    const db = openSqlite(path.join(tempDir(), 'p.sqlite'));
    expect(db.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.raw.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(schemaVersion(db.raw)).toBe(SQLITE_SCHEMA_VERSION);
    expect(() => db.raw.prepare("INSERT INTO allocation (id, fund_id, deal_id, security_type, amount, status, date, version, updated_at, updated_by) VALUES ('a','nofund','nodeal','other',1,'approved','2024-01-01',0,'x','y')").run()).toThrow(/FOREIGN KEY/);
    await db.close();
  });

  it('is idempotent: reopening applies nothing', async () => {
    const file = path.join(tempDir(), 'p.sqlite');
    const a = openSqlite(file);
    expect(a.migration.applied.length).toBe(SQLITE_MIGRATIONS.length);
    await a.close();
    const b = openSqlite(file);
    expect(b.migration).toEqual({ from: SQLITE_SCHEMA_VERSION, to: SQLITE_SCHEMA_VERSION, applied: [] });
    await b.close();
  });

  it('upgrades a database created by the first migration in place without losing rows', async () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const old = openSqlite(file, { targetVersion: 1 });
    expect(schemaVersion(old.raw)).toBe(1);
    expect(old.raw.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'capital_call'").get()).toEqual({ n: 0 });
    const fund = { id: 'F1', name: 'Old Fund', currency: 'EUR', vintage: 2019, size: 123_456_789, ...SYNC };
    old.raw.prepare('INSERT INTO fund VALUES (@id, @name, @currency, @vintage, @size, @version, @updated_at, @updated_by, @deleted_at)').run(fund);
    old.raw.prepare("INSERT INTO deal (id, name, version, updated_at, updated_by) VALUES ('D1', 'Old Deal', 3, 'x', 'y')").run();
    old.raw
      .prepare("INSERT INTO allocation (id, fund_id, deal_id, security_type, amount, status, date, version, updated_at, updated_by) VALUES ('A1','F1','D1','senior_debt',500000,'funded','2019-06-30',3,'x','y')")
      .run();
    await old.close();

    const upgraded = openSqlite(file);
    expect(upgraded.migration.from).toBe(1);
    expect(upgraded.migration.to).toBe(SQLITE_SCHEMA_VERSION);
    expect(upgraded.raw.prepare('SELECT * FROM fund').all()).toEqual([fund]);
    expect(upgraded.raw.prepare('SELECT id, amount, status FROM allocation').all()).toEqual([{ id: 'A1', amount: 500000, status: 'funded' }]);
    upgraded.raw.prepare("INSERT INTO capital_call (id, fund_id, call_date, due_date, amount, status, version, updated_at, updated_by) VALUES ('C1','F1','2024-01-01','2024-01-15',100,'draft',0,'x','y')").run();
    await upgraded.close();
  });

  it('a failing migration leaves the database exactly as it was', () => {
    const raw = new Database(path.join(tempDir(), 'f.sqlite'));
    const broken = [SQLITE_MIGRATIONS[0]!, { version: 2, name: 'broken', sql: 'CREATE TABLE ok_table (x INTEGER); CREATE TABLE fund (dup INTEGER);' }];
    expect(() => migrateSqlite(raw, undefined, broken)).toThrow(/already exists/);
    expect(schemaVersion(raw)).toBe(0);
    expect(raw.prepare("SELECT count(*) n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
    raw.close();
  });

  it('refuses a database from a newer version of the program', () => {
    const raw = new Database(path.join(tempDir(), 'n.sqlite'));
    raw.pragma('user_version = 999');
    expect(() => migrateSqlite(raw)).toThrow(/newer than this program supports/);
    raw.close();
  });
});
