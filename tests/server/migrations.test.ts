/**
 * The PostgreSQL schema: the synced tables mirror the SQLite ones column for
 * column, migrations are idempotent and safe to start concurrently, and
 * int8 values read as numbers with a range check — never floats or strings.
 */
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, postgresSchemaVersion } from '../../db/postgres/migrate';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../db/postgres/migrations';
import { migrateSqlite } from '../../db/sqlite/migrate';
import { ENTITY_NAMES } from '../../shared/domain/entities';
import { toSafeInteger } from '../../shared/validation';
import { createTestDatabase, ON_POSTGRES, type TestDatabase } from './harness';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe('migrations', () => {
  it('apply from scratch, and concurrent runs serialise under the advisory lock', async () => {
    expect(await postgresSchemaVersion(t.database.db)).toBe(0);
    const reports = await Promise.all([migratePostgres(t.database.db), migratePostgres(t.database.db), migratePostgres(t.database.db)]);
    const applied = reports.map((r) => r.applied.length).sort();
    expect(applied).toEqual([0, 0, PG_MIGRATIONS.length]);
    for (const r of reports) expect(r.to).toBe(PG_SCHEMA_VERSION);
    expect(await postgresSchemaVersion(t.database.db)).toBe(PG_SCHEMA_VERSION);
    expect((await migratePostgres(t.database.db)).applied).toEqual([]);
  });

  it('refuse a database newer than this server', async () => {
    await expect(migratePostgres(t.database.db, { migrations: PG_MIGRATIONS.slice(0, 1) })).rejects.toThrow(/newer than this server supports/);
  });

  it('mirror the SQLite synced tables: same tables, columns, nullability and unique indexes', async () => {
    const lite = new Database(':memory:');
    migrateSqlite(lite);
    const pgColumns = await sql<{ table_name: string; column_name: string; is_nullable: string; data_type: string }>`
      select table_name, column_name, is_nullable, data_type from information_schema.columns
      where table_schema = current_schema() order by table_name, ordinal_position`.execute(t.database.db);
    for (const table of ENTITY_NAMES) {
      const liteCols = (lite.prepare(`pragma table_info(${table})`).all() as { name: string; notnull: number; type: string; pk: number }[]).map((c) => ({
        name: c.name,
        nullable: !(c.notnull || c.pk),
        type: c.type,
      }));
      const pgCols = pgColumns.rows.filter((c) => c.table_name === table);
      expect(pgCols.map((c) => c.column_name), table).toEqual(liteCols.map((c) => c.name));
      for (const c of liteCols) {
        const p = pgCols.find((x) => x.column_name === c.name)!;
        expect(p.is_nullable === 'YES', `${table}.${c.name} nullability`).toBe(c.nullable);
        const expected = c.type === 'INTEGER' ? ['bigint', 'integer'] : c.type === 'REAL' ? ['double precision'] : ['text'];
        expect(expected, `${table}.${c.name}: ${p.data_type}`).toContain(p.data_type);
      }
      const liteUnique = (lite.prepare(`pragma index_list(${table})`).all() as { name: string; unique: number; origin: string }[])
        .filter((i) => i.unique && i.origin !== 'pk')
        .map((i) => (lite.prepare(`pragma index_info(${i.name})`).all() as { name: string }[]).map((c) => c.name).join(','))
        .sort();
      const pgUnique = (
        await sql<{ cols: string }>`
          select string_agg(a.attname, ',' order by k.ord) as cols
          from pg_index x
          join pg_class c on c.oid = x.indrelid
          cross join lateral unnest(x.indkey) with ordinality as k(attnum, ord)
          join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
          where c.relname = ${table} and x.indisunique and not x.indisprimary
          group by x.indexrelid`.execute(t.database.db)
      ).rows
        .map((r) => r.cols)
        .sort();
      expect(pgUnique, `${table} unique indexes`).toEqual(liteUnique);
    }
    // Money is BIGINT on the server.
    for (const [table, column] of [
      ['fund', 'size'],
      ['allocation', 'amount'],
      ['capital_call_line', 'paid'],
      ['distribution', 'recallable'],
      ['nav_mark', 'nav'],
    ]) {
      expect(pgColumns.rows.find((c) => c.table_name === table && c.column_name === column)?.data_type).toBe('bigint');
    }
    lite.close();
  });

  it('keep the same CHECKs as SQLite', async () => {
    const db = t.database.db;
    const now = new Date().toISOString();
    const sync = { version: 0, updated_at: now, updated_by: 'u', deleted_at: null };
    await expect(db.insertInto('fund').values({ id: 'x', name: 'x', currency: 'USDX', vintage: 2020, size: 1, ...sync }).execute()).rejects.toThrow(/check/i);
    await expect(db.insertInto('fund').values({ id: 'x', name: 'x', currency: 'USD', vintage: 2020, size: -1, ...sync }).execute()).rejects.toThrow(/check/i);
    await db.insertInto('fund').values({ id: 'F', name: 'F', currency: 'USD', vintage: 2020, size: 100, ...sync }).execute();
    await db.insertInto('deal').values({ id: 'D', name: 'D', sector: '', country: '', stage: '', ...sync }).execute();
    await expect(
      db
        .insertInto('allocation')
        .values({ id: 'A', fund_id: 'F', deal_id: 'D', security_type: 'other', amount: 1, status: 'maybe' as never, date: '2024-01-01', approved_by: null, approved_at: null, ...sync })
        .execute(),
    ).rejects.toThrow(/check/i);
  });
});

describe(`int8 on ${ON_POSTGRES ? 'PostgreSQL (pg)' : 'PGlite'}`, () => {
  it('reads BIGINT as a number, exactly, up to the safe-integer limit', async () => {
    const r = await sql<{ a: unknown; b: unknown; c: unknown }>`select 9007199254740991::bigint as a, (-9007199254740991)::bigint as b, 120805371::bigint as c`.execute(t.database.db);
    expect(r.rows[0]).toEqual({ a: Number.MAX_SAFE_INTEGER, b: -Number.MAX_SAFE_INTEGER, c: 120805371 });
  });

  it('refuses a BIGINT beyond it instead of rounding', async () => {
    await expect(sql`select 9007199254740993::bigint as a`.execute(t.database.db)).rejects.toThrow(/safe integer/);
  });

  it('gives sums over BIGINT (numeric) as exact decimal text that toSafeInteger converts', async () => {
    const r = await sql<{ s: unknown }>`select sum(x) as s from (values (4503599627370496::bigint), (4503599627370495::bigint)) v(x)`.execute(t.database.db);
    expect(typeof r.rows[0]!.s).toBe('string');
    expect(toSafeInteger(r.rows[0]!.s)).toBe(Number.MAX_SAFE_INTEGER);
    const over = await sql<{ s: unknown }>`select sum(x) as s from (values (9007199254740991::bigint), (1::bigint)) v(x)`.execute(t.database.db);
    expect(() => toSafeInteger(over.rows[0]!.s)).toThrow(RangeError);
  });

  it('writes large amounts exactly', async () => {
    const db = t.database.db;
    const now = new Date().toISOString();
    await db.insertInto('fund').values({ id: 'BIG', name: 'Big', currency: 'JPY', vintage: 2020, size: 9_007_199_254_740_000, version: 9_007_199_254_740_991, updated_at: now, updated_by: 'u', deleted_at: null }).execute();
    const row = await db.selectFrom('fund').select(['size', 'version']).where('id', '=', 'BIG').executeTakeFirstOrThrow();
    expect(row).toEqual({ size: 9_007_199_254_740_000, version: 9_007_199_254_740_991 });
  });
});
