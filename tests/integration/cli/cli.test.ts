// The `meridian` CLI end to end on a real SQLite file: the README's worked
// example, --json conventions, exit codes and problem lines.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCliCaptured } from '../../helpers/cli';
import { tempDir, writeFile } from '../../helpers/temp';

const EXAMPLES = path.resolve('docs/examples');
const KINDS = ['funds', 'deals', 'investors', 'commitments', 'allocations', 'cashflows', 'navs', 'index'];

const run = runCliCaptured;

afterEach(() => vi.restoreAllMocks());

async function exampleProfile() {
  const db = path.join(tempDir(), 'cli.sqlite');
  for (const k of KINDS) expect((await run('--db', db, 'import', k, path.join(EXAMPLES, `${k}.csv`))).code).toBe(0);
  return db;
}

describe('meridian CLI', () => {
  it('runs the README worked example: metrics as of a date against an index', async () => {
    const db = await exampleProfile();
    const r = await run('--db', db, 'metrics', '--fund', 'GF3', '--as-of', '2024-12-31', '--index', 'World Equity', '--json');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(Object.keys(m)).toEqual([
      'fundId', 'asOf', 'currency', 'size', 'committed', 'called', 'pic', 'distributions', 'nav', 'unfunded',
      'dpi', 'rvpi', 'tvpi', 'irr', 'ksPme', 'lnPme', 'pmePlus', 'directAlpha', 'allocated', 'utilisation',
    ]);
    expect(m).toMatchObject({
      fundId: 'GF3',
      currency: 'USD',
      size: '60000000.00',
      committed: '60000000.00',
      called: '27000000.00',
      pic: '27000000.00',
      distributions: '17750000.00',
      nav: '24100000.00',
      unfunded: '33000000.00',
      allocated: '15250000.00', // funded + committed + approved; the proposed 8m does not count
    });
    expect(m.tvpi).toBeCloseTo(1.55, 10); // (17.75 + 24.1) / 27
    expect(m.dpi).toBeCloseTo(17.75 / 27, 12);
    expect(m.irr).toBeCloseTo(0.1158087, 6);
    expect(m.utilisation).toBeCloseTo(15.25 / 60, 12);
    expect(m.ksPme).toBeGreaterThan(0.9);
  });

  it('prints null for undefined metrics', async () => {
    const db = await exampleProfile();
    const r = await run('--db', db, 'metrics', '--fund', 'CO1', '--as-of', '2024-12-31', '--json');
    const m = JSON.parse(r.stdout);
    expect(m).toMatchObject({ pic: '0.00', dpi: null, tvpi: null, irr: null, ksPme: null });
  });

  it('creates, approves and lists allocations; a rule violation exits 1 with its code', async () => {
    const db = await exampleProfile();
    const over = await run('--db', db, 'allocation', 'create', '--fund', 'GF3', '--deal', 'ACME', '--amount', '4000000', '--date', '2025-01-15');
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/^DEAL_ALLOCATION_LIMIT_EXCEEDED \(field amount\): .*at most USD 3,500,000\.00 more can go to this deal\.$/m);

    const ok = await run('--db', db, 'allocation', 'create', '--fund', 'GF3', '--deal', 'DUNE', '--amount', '1500000.50', '--date', '2025-01-15', '--id', 'A-100', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ id: 'A-100', fundId: 'GF3', dealId: 'DUNE', amount: '1500000.50', status: 'approved' });

    expect((await run('--db', db, 'allocation', 'approve', 'A-005')).code).toBe(0);
    const list = JSON.parse((await run('--db', db, 'allocation', 'list', '--fund', 'GF3', '--json')).stdout) as { id: string; status: string; dealName: string }[];
    expect(list.find((a) => a.id === 'A-005')).toMatchObject({ status: 'approved', dealName: 'Dune Logistics' });
    expect(list).toHaveLength(6);
  });

  it('calls capital pro rata and records a partial payment', async () => {
    const db = await exampleProfile();
    const r = await run('--db', db, 'capital-call', 'create', '--fund', 'GF3', '--amount', '1500000.01', '--date', '2025-02-01', '--due', '2099-02-28', '--id', 'CALL-7', '--json');
    expect(r.code).toBe(0);
    const call = JSON.parse(r.stdout);
    expect(call.lines.map((l: { investorId: string; amount: string }) => [l.investorId, l.amount])).toEqual([
      ['CALPEN', '750000.01'],
      ['YALEND', '450000.00'],
      ['NORSOV', '300000.00'],
    ]);
    const pay = await run('--db', db, 'capital-call', 'pay', '--call', 'CALL-7', '--investor', 'YALEND', '--amount', '250000', '--date', '2025-02-10', '--json');
    expect(JSON.parse(pay.stdout)).toMatchObject({ status: 'partially_paid', effectiveStatus: 'partially_paid', paid: '250000.00', outstanding: '1250000.01' });
    const over = await run('--db', db, 'capital-call', 'pay', '--call', 'CALL-7', '--investor', 'YALEND', '--amount', '200000.01', '--date', '2025-02-11');
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/^PAYMENT_EXCEEDS_OUTSTANDING/m);
  });

  it('names every bad CSV row and imports nothing; --skip-invalid imports the rest', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'x.sqlite');
    const file = writeFile(dir, 'funds.csv', 'id,name,currency,vintage,size\nF1,Good Fund,USD,2020,1000000.00\nF2,Bad Money,USD,2020,12.345\nF3,Bad Currency,usd,2020,5\n');
    const r = await run('--db', db, 'import', 'funds', file);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^INVALID_AMOUNT \(line 3, column size\)/);
    expect(lines[1]).toMatch(/\(line 4, column currency\)/);
    expect(JSON.parse((await run('--db', db, 'allocation', 'list', '--fund', 'F1', '--json').then(() => run('--db', db, 'init', '--json'))).stdout)).toMatchObject({ schemaVersion: expect.any(Number) });
    const skip = await run('--db', db, 'import', 'funds', file, '--skip-invalid', '--json');
    expect(skip.code).toBe(0);
    expect(JSON.parse(skip.stdout)).toMatchObject({ rows: 3, imported: 1, skipped: 2 });
  });

  it('exports allocations to CSV with names beside ids, neutralising formulas', async () => {
    const dir = tempDir();
    const db = await exampleProfile();
    const deals = writeFile(dir, 'deals.csv', 'id,name,sector,country,stage\nEVIL,"=HYPERLINK(""http://x"")",Tech,US,Seed\n');
    expect((await run('--db', db, 'import', 'deals', deals)).code).toBe(0);
    expect((await run('--db', db, 'allocation', 'create', '--fund', 'GF3', '--deal', 'EVIL', '--amount', '1000', '--date', '2025-01-02', '--id', 'A-EVIL')).code).toBe(0);
    const out = path.join(dir, 'out.csv');
    const r = await run('--db', db, 'export', 'allocations', '--fund', 'GF3', '--format', 'csv', '--out', out);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.split(/\r?\n/)[0]).toBe('id,fund_id,fund_name,deal_id,deal_name,security_type,amount,status,date,version');
    expect(text).toContain('A-001,GF3,Meridian Growth Fund III,ACME,Acme Robotics,common_equity,4500000.00,funded,2019-09-30,0');
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('exits 2 on wrong usage', async () => {
    expect((await run('allocation', 'list')).code).toBe(2);
    expect((await run('import', 'widgets', 'x.csv')).code).toBe(2);
    expect((await run('export', 'allocations', '--format', 'xlsx', '--out', 'x')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
  });

  it('works as the package bin, finding the profile under MERIDIAN_HOME', async () => {
    const home = tempDir();
    const bin = path.resolve('bin/meridian.mjs');
    const exec = promisify(execFile);
    const env = { ...process.env, MERIDIAN_HOME: home, MERIDIAN_DB: '' };
    const init = await exec(process.execPath, [bin, 'init', '--json'], { env });
    expect(JSON.parse(init.stdout).dbFile).toBe(path.join(home, 'profiles', 'default', 'meridian.sqlite'));
    expect(fs.existsSync(path.join(home, 'profiles', 'default', 'meridian.sqlite'))).toBe(true);
    const bad = await exec(process.execPath, [bin, 'metrics', '--fund', 'NOPE'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toMatch(/^NOT_FOUND: fund NOPE does not exist/m);
  });
});
