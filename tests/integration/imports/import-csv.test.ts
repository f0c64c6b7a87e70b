import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cashflowId, indexLevelId, navMarkId } from '../../../electron/core/imports/import-csv';
import { MeridianError, type Problem } from '../../../shared/errors';
import { isUuid } from '../../../shared/ids';
import { count, csvFile, freshDb, NOW, run, seedPortfolio, snapshot, tempDir, USER } from './fixtures';

const ALLOC_HEADER = 'id,fund_id,deal_id,security_type,amount,status,date';

async function rejected(p: Promise<unknown>): Promise<MeridianError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MeridianError);
    return e as MeridianError;
  }
  throw new Error('expected the import to fail');
}

const brief = (ps: Problem[]) => ps.map((p) => ({ line: p.line, path: p.path, code: p.code }));

async function setup() {
  const dir = tempDir();
  const db = freshDb(dir);
  await seedPortfolio(db, dir);
  return { dir, db };
}

describe('importCsv: seeding and every kind', () => {
  it('imports funds, deals and investors with sync columns set', async () => {
    const { db } = await setup();
    expect(db.raw.prepare('SELECT * FROM fund ORDER BY id').all()).toEqual([
      { id: 'F1', name: 'Growth Fund I', currency: 'USD', vintage: 2022, size: 1_000_000_000, version: 0, updated_at: NOW, updated_by: USER, deleted_at: null },
      { id: 'F2', name: 'Credit Fund II', currency: 'EUR', vintage: 2023, size: 20_000_000_000, version: 0, updated_at: NOW, updated_by: USER, deleted_at: null },
    ]);
    expect(db.raw.prepare("SELECT name FROM deal WHERE id = 'D3'").pluck().get()).toBe('Cobalt Software, Inc.');
    expect(count(db, 'investor')).toBe(2);
  });

  it('imports allocations as integer cents, whatever the decimals', async () => {
    const { dir, db } = await setup();
    const f = csvFile(dir, 'a.csv', [ALLOC_HEADER, 'A1,F1,D1,senior_debt,1500000,approved,2024-01-15', 'A2,F1,D2,common_equity,2000000.5,proposed,2024-02-01', 'A3,F2,D1,unitranche,1000.05,committed,2024-03-01']);
    const report = await run(db, 'allocations', f);
    expect(report).toEqual({ kind: 'allocations', file: f, rows: 3, imported: 3, skipped: 0, unchanged: 0, problems: [] });
    expect(db.raw.prepare('SELECT id, amount, status FROM allocation ORDER BY id').all()).toEqual([
      { id: 'A1', amount: 150_000_000, status: 'approved' },
      { id: 'A2', amount: 200_000_050, status: 'proposed' },
      { id: 'A3', amount: 100_005, status: 'committed' },
    ]);
  });

  it('upserts commitments on (fund, investor), keeping the existing id; new ones get a UUIDv7', async () => {
    const { dir, db } = await setup();
    await run(db, 'commitments', csvFile(dir, 'c1.csv', ['investor_id,fund_id,amount', 'I1,F1,5000000.00', 'I2,F1,3000000.00']));
    const before = db.raw.prepare('SELECT id, investor_id FROM commitment ORDER BY investor_id').all() as { id: string }[];
    expect(before.every((r) => isUuid(r.id))).toBe(true);
    const r = await run(db, 'commitments', csvFile(dir, 'c2.csv', ['investor_id,fund_id,amount', 'I1,F1,6000000.00', 'I2,F1,3000000.00', 'I1,F2,1.00']));
    expect(r).toMatchObject({ imported: 3, unchanged: 1 });
    const after = db.raw.prepare('SELECT id, investor_id, fund_id, amount FROM commitment ORDER BY fund_id, investor_id').all() as { id: string }[];
    expect(after.map((a) => a.id).slice(0, 2)).toEqual(before.map((b) => b.id));
    expect(after).toMatchObject([
      { investor_id: 'I1', fund_id: 'F1', amount: 600_000_000 },
      { investor_id: 'I2', fund_id: 'F1', amount: 300_000_000 },
      { investor_id: 'I1', fund_id: 'F2', amount: 100 },
    ]);
  });

  it('imports cash flows into contribution / distribution with deterministic ids, idempotently', async () => {
    const { dir, db } = await setup();
    const f = csvFile(dir, 'cf.csv', [
      'fund_id,date,type,amount',
      'F1,2023-01-10,contribution,1000000.00',
      'F1,2023-01-10,contribution,1000000', // same flow again: a second, distinct contribution
      'F1,2023-06-30,distribution,250000.00',
    ]);
    const first = await run(db, 'cashflows', f);
    expect(first).toMatchObject({ rows: 3, imported: 3, unchanged: 0 });
    const ids = db.raw.prepare('SELECT id FROM contribution ORDER BY id').pluck().all() as string[];
    expect(ids.sort()).toEqual([cashflowId('F1', '2023-01-10', 'contribution', 100_000_000, 1), cashflowId('F1', '2023-01-10', 'contribution', 100_000_000, 2)].sort());
    expect(ids.every(isUuid)).toBe(true);
    expect(db.raw.prepare('SELECT id, amount, recallable FROM distribution').all()).toEqual([
      { id: cashflowId('F1', '2023-06-30', 'distribution', 25_000_000, 1), amount: 25_000_000, recallable: 0 },
    ]);
    const again = await run(db, 'cashflows', f, { now: '2026-01-01T00:00:00.000Z' });
    expect(again).toMatchObject({ imported: 3, unchanged: 3 });
    expect(count(db, 'contribution')).toBe(2);
    expect(count(db, 'distribution')).toBe(1);
  });

  it('upserts nav marks on (fund, date) and index levels on (index, date)', async () => {
    const { dir, db } = await setup();
    await run(db, 'navs', csvFile(dir, 'n1.csv', ['fund_id,date,nav', 'F1,2024-03-31,12000000.00', 'F1,2024-06-30,-150.25']));
    expect(db.raw.prepare("SELECT id, nav FROM nav_mark WHERE date = '2024-03-31'").get()).toEqual({ id: navMarkId('F1', '2024-03-31'), nav: 1_200_000_000 });
    await run(db, 'navs', csvFile(dir, 'n2.csv', ['fund_id,date,nav', 'F1,2024-03-31,12500000.00']));
    expect(db.raw.prepare('SELECT date, nav FROM nav_mark ORDER BY date').all()).toEqual([
      { date: '2024-03-31', nav: 1_250_000_000 },
      { date: '2024-06-30', nav: -15_025 },
    ]);
    await run(db, 'index', csvFile(dir, 'i.csv', ['index,date,level', 'MSCI World,2024-03-28,3437.54', 'MSCI World,2024-04-01,3440.1']));
    await run(db, 'index', csvFile(dir, 'i2.csv', ['index,date,level', 'MSCI World,2024-04-01,3441']));
    expect(db.raw.prepare('SELECT id, index_name, date, level FROM index_level ORDER BY date').all()).toEqual([
      { id: indexLevelId('MSCI World', '2024-03-28'), index_name: 'MSCI World', date: '2024-03-28', level: 3437.54 },
      { id: 'MSCI World:2024-04-01', index_name: 'MSCI World', date: '2024-04-01', level: 3441 },
    ]);
  });

  it('accepts the columns in any order, a BOM, CRLF line ends, blank lines and surrounding spaces', async () => {
    const { dir, db } = await setup();
    const f = path.join(dir, 'odd.csv');
    fs.writeFileSync(f, '\uFEFFamount, date ,status,id,fund_id,deal_id,security_type\r\n\r\n 1000.00 ,2024-01-02,approved,A9,F1,D1,warrant\r\n');
    const r = await run(db, 'allocations', f);
    expect(r).toMatchObject({ rows: 1, imported: 1 });
    expect(db.raw.prepare("SELECT amount, date, security_type FROM allocation WHERE id = 'A9'").get()).toEqual({ amount: 100_000, date: '2024-01-02', security_type: 'warrant' });
  });
});

describe('importCsv: problems carry line, column and code', () => {
  it('names every bad row of a file with several kinds of problem, and imports nothing', async () => {
    const { dir, db } = await setup();
    const before = snapshot(db);
    const f = csvFile(dir, 'bad.csv', [
      ALLOC_HEADER, //                                                    line 1
      'A1,F1,D1,senior_debt,1000.00,approved,2024-01-15', //               2 ok
      'A2,F1,D1,senior_debt,12.345,approved,2024-01-15', //                3 three decimals
      'A3,F1,D1,senior_debt,"1,000.00",approved,2024-01-15', //            4 grouping comma
      'A4,F1,D1,senior_debt,1000.00,approved,2024-02-30', //               5 no such day
      'A5,F1,D1,bond,1000.00,approved,15/01/2024', //                      6 bad enum + bad date
      'A6,FX,D9,senior_debt,1000.00,approved,2024-01-15', //               7 unknown fund and deal
      'A1,F1,D2,senior_debt,1000.00,approved,2024-01-15', //               8 repeated id
      'A7,F1,D1,senior_debt,1000.00,approved', //                          9 missing field
      'A8,F1,D1,senior_debt,999.99,approved,2024-01-15', //                10 below the minimum
      ',F1,D1,senior_debt,1000.00,pending,2024-01-15', //                  11 empty id, bad status
      'A10,F1,D1,senior_debt,-5.00,approved,2024-01-15', //                12 negative amount
    ]);
    const e = await rejected(run(db, 'allocations', f));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/10 of 11 rows .* invalid; nothing was imported/);
    expect(brief(e.problems)).toEqual([
      { line: 3, path: 'amount', code: 'INVALID_AMOUNT' },
      { line: 4, path: 'amount', code: 'INVALID_AMOUNT' },
      { line: 5, path: 'date', code: 'INVALID_DATE' },
      { line: 6, path: 'security_type', code: 'INVALID_INPUT' },
      { line: 6, path: 'date', code: 'INVALID_DATE' },
      { line: 7, path: 'fund_id', code: 'NOT_FOUND' },
      { line: 7, path: 'deal_id', code: 'NOT_FOUND' },
      { line: 8, path: 'id', code: 'DUPLICATE' },
      { line: 9, path: 'date', code: 'INVALID_INPUT' },
      { line: 10, path: 'amount', code: 'ALLOCATION_BELOW_MINIMUM' },
      { line: 11, path: 'id', code: 'INVALID_INPUT' },
      { line: 11, path: 'status', code: 'INVALID_INPUT' },
      { line: 12, path: 'amount', code: 'INVALID_AMOUNT' },
    ]);
    for (const p of e.problems) expect(p.message.length).toBeGreaterThan(10);
    expect(e.problems[7]!.message).toContain('line 2');
    expect(snapshot(db)).toEqual(before);
  });

  it('reports the problems of every kind with their columns', async () => {
    const { dir, db } = await setup();
    const cases: [Parameters<typeof run>[1], string[], { line: number; path: string; code: string }[]][] = [
      ['funds', ['id,name,currency,vintage,size', 'F9,,usd,1800,-1.00'], [
        { line: 2, path: 'name', code: 'INVALID_INPUT' },
        { line: 2, path: 'currency', code: 'INVALID_INPUT' },
        { line: 2, path: 'vintage', code: 'INVALID_INPUT' },
        { line: 2, path: 'size', code: 'INVALID_AMOUNT' },
      ]],
      ['deals', ['id,name,sector,country,stage', `D9,${'x'.repeat(201)},,,`], [{ line: 2, path: 'name', code: 'INVALID_INPUT' }]],
      ['investors', ['id,name', 'I9,Someone', 'I9,Someone else'], [{ line: 3, path: 'id', code: 'DUPLICATE' }]],
      ['commitments', ['investor_id,fund_id,amount', 'I7,F1,10.00', 'I1,F1,abc'], [
        { line: 2, path: 'investor_id', code: 'NOT_FOUND' },
        { line: 3, path: 'amount', code: 'INVALID_AMOUNT' },
      ]],
      ['cashflows', ['fund_id,date,type,amount', 'F1,2024-01-01,fee,10.00', 'F1,2024-01-01,contribution,0', 'F7,2024-01-01,distribution,1'], [
        { line: 2, path: 'type', code: 'INVALID_INPUT' },
        { line: 3, path: 'amount', code: 'INVALID_AMOUNT' },
        { line: 4, path: 'fund_id', code: 'NOT_FOUND' },
      ]],
      ['navs', ['fund_id,date,nav', 'F1,2024-03-31,1.00', 'F1,2024-03-31,2.00', 'F1,2024-13-01,1'], [
        { line: 3, path: 'date', code: 'DUPLICATE' },
        { line: 4, path: 'date', code: 'INVALID_DATE' },
      ]],
      ['index', ['index,date,level', 'X,2024-01-01,0', 'X,2024-01-02,1e3', ',2024-01-03,5'], [
        { line: 2, path: 'level', code: 'INVALID_INPUT' },
        { line: 3, path: 'level', code: 'INVALID_INPUT' },
        { line: 4, path: 'index', code: 'INVALID_INPUT' },
      ]],
    ];
    for (const [kind, lines, expected] of cases) {
      const e = await rejected(run(db, kind, csvFile(dir, `${kind}-bad.csv`, lines)));
      expect(brief(e.problems), kind).toEqual(expected);
    }
  });

  it('refuses a header that does not match, naming expected and found', async () => {
    const { dir, db } = await setup();
    const e = await rejected(run(db, 'allocations', csvFile(dir, 'h.csv', ['id,fund,deal_id,security_type,amount,status,date,colour', 'A1,F1,D1,senior_debt,1000,approved,2024-01-01'])));
    expect(e.code).toBe('CSV_HEADER_MISMATCH');
    expect(e.message).toContain('id,fund_id,deal_id,security_type,amount,status,date');
    expect(e.message).toContain('missing fund_id');
    expect(e.message).toContain('unexpected "fund", "colour"');
    expect(e.details).toMatchObject({ missing: ['fund_id'], unexpected: ['fund', 'colour'] });
    expect(brief(e.problems)).toEqual([{ line: 1, path: 'fund_id', code: 'CSV_HEADER_MISMATCH' }]);
    const empty = await rejected(run(db, 'funds', csvFile(dir, 'empty.csv', [''])));
    expect(empty.code).toBe('CSV_HEADER_MISMATCH');
    expect(count(db, 'allocation')).toBe(0);
  });

  it('refuses malformed CSV with CSV_PARSE_ERROR and its line, in both readers', async () => {
    const { dir, db } = await setup();
    const before = snapshot(db);
    for (const parser of ['fast', 'csv-parse'] as const) {
      const unclosed = await rejected(run(db, 'deals', csvFile(dir, `q-${parser}.csv`, ['id,name,sector,country,stage', 'D7,Ok,,,', 'D8,"Unclosed,,,', 'D9,x,,,']), { parser, skipInvalid: true }));
      expect(unclosed.code).toBe('CSV_PARSE_ERROR');
      // The fast reader names the line the unclosed record starts on; csv-parse alone names the end of the file.
      expect(unclosed.problems.at(-1)).toMatchObject({ code: 'CSV_PARSE_ERROR', line: parser === 'fast' ? 3 : 4 });
      const stray = await rejected(run(db, 'deals', csvFile(dir, `s-${parser}.csv`, ['id,name,sector,country,stage', 'D7,Ok,,,', 'D8,Bad "quote",,,']), { parser }));
      expect(stray.code).toBe('CSV_PARSE_ERROR');
      expect(stray.problems.at(-1)).toMatchObject({ code: 'CSV_PARSE_ERROR', line: 3 });
      expect(stray.message).toContain('line 3');
    }
    expect(snapshot(db)).toEqual(before);
  });

  it('counts lines of quoted multi-line cells like an editor does', async () => {
    const { dir, db } = await setup();
    const f = csvFile(dir, 'ml.csv', ['id,name,sector,country,stage', 'D7,"Two', 'line name",,,', 'D8,,,,'], '\r\n');
    const e = await rejected(run(db, 'deals', f));
    expect(brief(e.problems)).toEqual([{ line: 4, path: 'name', code: 'INVALID_INPUT' }]);
  });

  it('reports a missing file as NOT_FOUND', async () => {
    const { dir, db } = await setup();
    const e = await rejected(run(db, 'funds', path.join(dir, 'nope.csv')));
    expect(e.code).toBe('NOT_FOUND');
  });
});

describe('importCsv: all or nothing, or skip the invalid rows', () => {
  const lines = [ALLOC_HEADER, 'A1,F1,D1,senior_debt,1000.00,approved,2024-01-15', 'A2,F1,D1,senior_debt,oops,approved,2024-01-15', 'A3,F2,D2,mezzanine,2500.00,proposed,2024-01-16'];

  it('without skipInvalid, one bad row means no row is written', async () => {
    const { dir, db } = await setup();
    const before = snapshot(db);
    const e = await rejected(run(db, 'allocations', csvFile(dir, 'a.csv', lines)));
    expect(brief(e.problems)).toEqual([{ line: 3, path: 'amount', code: 'INVALID_AMOUNT' }]);
    expect(snapshot(db)).toEqual(before);
  });

  it('with skipInvalid, the good rows are imported and the bad ones reported', async () => {
    const { dir, db } = await setup();
    const r = await run(db, 'allocations', csvFile(dir, 'a.csv', lines), { skipInvalid: true });
    expect(r).toMatchObject({ rows: 3, imported: 2, skipped: 1 });
    expect(brief(r.problems)).toEqual([{ line: 3, path: 'amount', code: 'INVALID_AMOUNT' }]);
    expect(db.raw.prepare('SELECT id FROM allocation ORDER BY id').pluck().all()).toEqual(['A1', 'A3']);
  });

  it('lists at most maxProblems problems and says how many more there were', async () => {
    const { dir, db } = await setup();
    const many = [ALLOC_HEADER, ...Array.from({ length: 30 }, (_, i) => `B${i},F1,D1,senior_debt,x,approved,2024-01-15`)];
    const r = await run(db, 'allocations', csvFile(dir, 'many.csv', many), { skipInvalid: true, maxProblems: 5 });
    expect(r.skipped).toBe(30);
    expect(r.problems).toHaveLength(6);
    expect(r.problems[5]).toMatchObject({ code: 'INVALID_INPUT', details: { omitted: 25 } });
  });
});

describe('importCsv: re-import', () => {
  it('re-importing the same file duplicates nothing and changes nothing', async () => {
    const { dir, db } = await setup();
    const f = csvFile(dir, 'a.csv', [ALLOC_HEADER, 'A1,F1,D1,senior_debt,1000.00,approved,2024-01-15', 'A2,F2,D2,mezzanine,2500.00,proposed,2024-01-16']);
    await run(db, 'allocations', f);
    await run(db, 'commitments', csvFile(dir, 'c.csv', ['investor_id,fund_id,amount', 'I1,F1,100.00']));
    const before = snapshot(db);
    const r = await run(db, 'allocations', f, { now: '2030-01-01T00:00:00.000Z', userId: 'someone-else' });
    expect(r).toMatchObject({ rows: 2, imported: 2, unchanged: 2 });
    await run(db, 'commitments', csvFile(dir, 'c.csv', ['investor_id,fund_id,amount', 'I1,F1,100.00']), { now: '2030-01-01T00:00:00.000Z' });
    expect(snapshot(db)).toEqual(before); // not even updated_at moved
  });

  it('an edited row updates in place, keeps its version and restores a soft-deleted row', async () => {
    const { dir, db } = await setup();
    await run(db, 'allocations', csvFile(dir, 'a.csv', [ALLOC_HEADER, 'A1,F1,D1,senior_debt,1000.00,approved,2024-01-15']));
    db.raw.prepare("UPDATE allocation SET version = 41, deleted_at = '2025-01-01T00:00:00Z' WHERE id = 'A1'").run();
    const later = '2025-04-01T00:00:00.000Z';
    await run(db, 'allocations', csvFile(dir, 'b.csv', [ALLOC_HEADER, 'A1,F1,D1,senior_debt,2000.00,committed,2024-01-15']), { now: later });
    expect(db.raw.prepare("SELECT amount, status, version, updated_at, deleted_at FROM allocation WHERE id = 'A1'").get()).toEqual({
      amount: 200_000,
      status: 'committed',
      version: 41,
      updated_at: later,
      deleted_at: null,
    });
  });
});

describe('importCsv: business rules, in memory, in file order', () => {
  it('rejects the 3rd allocation that pushes a fund past 95 % utilisation', async () => {
    const { dir, db } = await setup(); // F1: size 10,000,000.00 → cap 9,500,000.00
    const f = csvFile(dir, 'u.csv', [
      ALLOC_HEADER,
      'U1,F1,D1,senior_debt,4000000.00,approved,2024-01-15',
      'U2,F1,D2,senior_debt,4000000.00,committed,2024-01-16',
      'U3,F1,D3,senior_debt,2000000.00,approved,2024-01-17', // 10,000,000 > 9,500,000
      'U4,F1,D3,senior_debt,1500000.00,proposed,2024-01-18', // checked as if counted: 9,500,000 is exactly the cap
      'U5,F1,D3,senior_debt,2000000.00,rejected,2024-01-18', // history: not checked
    ]);
    const e = await rejected(run(db, 'allocations', f));
    expect(brief(e.problems)).toEqual([{ line: 4, path: 'amount', code: 'FUND_UTILISATION_EXCEEDED' }]);
    expect(e.problems[0]!.message).toContain('Growth Fund I');
    expect(e.problems[0]!.details).toMatchObject({ current: 800_000_000, proposed: 200_000_000, size: 1_000_000_000 });
    expect(count(db, 'allocation')).toBe(0);

    const r = await run(db, 'allocations', f, { skipInvalid: true });
    expect(r).toMatchObject({ imported: 4, skipped: 1 });
    expect(db.raw.prepare('SELECT id FROM allocation ORDER BY id').pluck().all()).toEqual(['U1', 'U2', 'U4', 'U5']);
  });

  it('counts what the database already holds, and a replaced allocation gives back its amount', async () => {
    const { dir, db } = await setup();
    await run(db, 'allocations', csvFile(dir, 'a.csv', [ALLOC_HEADER, 'R1,F1,D1,senior_debt,9000000.00,approved,2024-01-15']));
    // 9,000,000 counted: another 600,000 breaks the cap...
    const over = await rejected(run(db, 'allocations', csvFile(dir, 'b.csv', [ALLOC_HEADER, 'R2,F1,D2,senior_debt,600000.00,approved,2024-01-16'])));
    expect(brief(over.problems)).toEqual([{ line: 2, path: 'amount', code: 'FUND_UTILISATION_EXCEEDED' }]);
    // ...unless the same file shrinks R1 first (or moves it to another fund).
    const ok = await run(db, 'allocations', csvFile(dir, 'c.csv', [ALLOC_HEADER, 'R1,F1,D1,senior_debt,8000000.00,approved,2024-01-15', 'R2,F1,D2,senior_debt,600000.00,approved,2024-01-16']));
    expect(ok.imported).toBe(2);
    const moved = await run(db, 'allocations', csvFile(dir, 'd.csv', [ALLOC_HEADER, 'R1,F2,D1,senior_debt,8000000.00,approved,2024-01-15', 'R3,F1,D1,senior_debt,8500000.00,approved,2024-01-16']));
    expect(moved.imported).toBe(2);
  });

  it('applies the per-deal limit and the rules record stored in the database', async () => {
    const { dir, db } = await setup();
    db.raw
      .prepare("INSERT INTO business_rules (id, revision, body, version, updated_at, updated_by) VALUES ('r2', 2, ?, 0, ?, 'admin')")
      .run(JSON.stringify({ maxAllocationPerFund: 5_000_000_000, maxAllocationPerDeal: 300_000_000, minAllocationAmount: 100_000, maxFundUtilisationPct: 95, approvalThreshold: 500_000_000 }), NOW);
    const e = await rejected(
      run(db, 'allocations', csvFile(dir, 'a.csv', [ALLOC_HEADER, 'P1,F2,D1,senior_debt,2000000.00,approved,2024-01-15', 'P2,F2,D1,mezzanine,1000000.01,funded,2024-01-16', 'P3,F2,D2,mezzanine,1000000.01,funded,2024-01-16'])),
    );
    expect(brief(e.problems)).toEqual([{ line: 3, path: 'amount', code: 'DEAL_ALLOCATION_LIMIT_EXCEEDED' }]);
  });

  it('refuses a fund size that would put the fund over the utilisation cap', async () => {
    const { dir, db } = await setup();
    await run(db, 'allocations', csvFile(dir, 'a.csv', [ALLOC_HEADER, 'S1,F1,D1,senior_debt,9000000.00,approved,2024-01-15']));
    const e = await rejected(run(db, 'funds', csvFile(dir, 'f.csv', ['id,name,currency,vintage,size', 'F1,Growth Fund I,USD,2022,9000000.00'])));
    expect(brief(e.problems)).toEqual([{ line: 2, path: 'size', code: 'FUND_UTILISATION_EXCEEDED' }]);
    const c = await rejected(run(db, 'funds', csvFile(dir, 'g.csv', ['id,name,currency,vintage,size', 'F1,Growth Fund I,GBP,2022,10000000.00'])));
    expect(brief(c.problems)).toEqual([{ line: 2, path: 'currency', code: 'CURRENCY_MISMATCH' }]);
  });
});

describe('importCsv: the database changes during the import', () => {
  it('a row stored while the file is checked makes the import fail whole, not half', async () => {
    const { dir, db } = await setup();
    const lines = [ALLOC_HEADER];
    for (let i = 0; i < 3000; i++) lines.push(`X${i},F2,D1,senior_debt,1000.00,proposed,2024-01-15`);
    const before = snapshot(db);
    let once = false;
    const e = await rejected(
      run(db, 'allocations', csvFile(dir, 'race.csv', lines), {
        onProgress: (p) => {
          if (p.phase === 'validate' && !once) {
            once = true; // someone else stores X2999 meanwhile
            db.raw.prepare("INSERT INTO allocation (id, fund_id, deal_id, security_type, amount, status, date, version, updated_at, updated_by) VALUES ('X2999', 'F1', 'D1', 'other', 100000, 'proposed', '2024-01-01', 0, 'x', 'x')").run();
          }
        },
      }),
    );
    expect(e.code).toBe('DUPLICATE');
    expect(e.details).toMatchObject({ retry: true });
    expect(db.raw.inTransaction).toBe(false);
    expect(count(db, 'allocation')).toBe(1);
    expect(snapshot(db).fund).toEqual(before.fund);
  });
});

describe('importCsv: cancellation', () => {
  function bigFile(dir: string, n: number): string {
    const lines = [ALLOC_HEADER];
    for (let i = 0; i < n; i++) lines.push(`C${i},F2,D${1 + (i % 3)},senior_debt,${1000 + (i % 500)}.00,approved,2024-01-15`);
    return csvFile(dir, 'big.csv', lines);
  }

  it('cancelled while writing: rolled back, nothing is left', async () => {
    const { dir, db } = await setup();
    const before = snapshot(db);
    const ac = new AbortController();
    let writes = 0;
    const e = await rejected(
      run(db, 'allocations', bigFile(dir, 5000), {
        signal: ac.signal,
        batchSize: 500,
        onProgress: (p) => {
          if (p.phase === 'write' && ++writes === 3) ac.abort();
        },
      }),
    );
    expect(e.code).toBe('CANCELLED');
    expect(writes).toBe(3);
    expect(db.raw.inTransaction).toBe(false);
    expect(snapshot(db)).toEqual(before);
  });

  it('cancelled while reading, or before starting: nothing is written', async () => {
    const { dir, db } = await setup();
    const ac = new AbortController();
    const e = await rejected(run(db, 'allocations', bigFile(dir, 40_000), { signal: ac.signal, onProgress: (p) => p.phase === 'validate' && ac.abort() }));
    expect(e.code).toBe('CANCELLED');
    const pre = await rejected(run(db, 'allocations', bigFile(dir, 10), { signal: AbortSignal.abort() }));
    expect(pre.code).toBe('CANCELLED');
    expect(count(db, 'allocation')).toBe(0);
  });
});
