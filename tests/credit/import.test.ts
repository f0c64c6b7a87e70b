// `import financials` on a real SQLite profile: all or nothing, one problem
// per bad cell with line, column and code, --skip-invalid, idempotent
// re-import, and statements queued in the outbox so they sync.
import { beforeEach, describe, expect, it } from 'vitest';
import { importFinancials } from '../../electron/core/credit/import-financials';
import { listStatements } from '../../electron/core/credit/read-models';
import type { Workstation } from '../../electron/core/workstation';
import type { MeridianError } from '../../shared/errors';
import { tempDir, tempWorkstation, writeFile } from '../helpers/temp-profile';
import { ACME_LTM, EXAMPLE_FINANCIALS, HEADER, seedBorrowers } from './fixtures';

let ws: Workstation;
const outbox = () => ws.db.raw.prepare<[], { name: string; args: string }>('SELECT name, args FROM outbox ORDER BY mutation_id').all();
const statements = () => (ws.db.raw.prepare('SELECT count(*) AS n FROM financial_statement').get() as { n: number }).n;
const run = (file: string, skipInvalid = false) => importFinancials(ws.db, file, { actor: ws.actor, skipInvalid });

beforeEach(async () => {
  ws = tempWorkstation();
  await seedBorrowers(ws);
});

describe('import financials', () => {
  it('imports the example file through one outbox mutation, and a re-import changes nothing', async () => {
    const before = outbox().length;
    const r = await run(EXAMPLE_FINANCIALS);
    expect(r).toMatchObject({ kind: 'financials', rows: 6, imported: 6, skipped: 0, unchanged: 0, mutations: 1, problems: [] });
    const queued = outbox().slice(before);
    expect(queued.map((m) => m.name)).toEqual(['importFinancialStatements']);
    expect((JSON.parse(queued[0]!.args) as { statements: unknown[] }).statements).toHaveLength(6);
    const acme = listStatements(ws.db.raw, 'ACME');
    expect(acme.map((s) => [s.period_type, s.period_end, s.ebitda, s.collateral_value, s.floating_rate_share])).toEqual([
      ['FY', '2023-12-31', 36_000_000_00, 380_000_000_00, 0.8],
      ['LTM', '2024-12-31', 40_000_000_00, 400_000_000_00, 0.8],
    ]);
    expect(listStatements(ws.db.raw, 'DUNE').every((s) => s.collateral_value === null && s.currency === 'EUR')).toBe(true);
    // Idempotent: nothing written, nothing queued.
    const again = await run(EXAMPLE_FINANCIALS);
    expect(again).toMatchObject({ rows: 6, imported: 6, unchanged: 6, mutations: 0 });
    expect(outbox().length).toBe(before + 1);
    // One changed figure: one statement rewritten, keeping its id.
    const id = acme[1]!.id;
    const dir = tempDir();
    const edited = writeFile(dir, 'edit.csv', `${HEADER}\n${ACME_LTM.replace('250000000.00', '251000000.00')}\n`);
    expect(await run(edited)).toMatchObject({ imported: 1, unchanged: 0, mutations: 1 });
    expect(listStatements(ws.db.raw, 'ACME')[1]).toMatchObject({ id, revenue: 251_000_000_00 });
  });

  it('defaults period_type to FY and currency to USD, in any column order', async () => {
    const cols = HEADER.split(',').filter((c) => c !== 'period_type' && c !== 'currency');
    const values = ACME_LTM.split(',');
    const byName = Object.fromEntries(HEADER.split(',').map((c, i) => [c, values[i]!]));
    const reversed = [...cols].reverse();
    const file = writeFile(tempDir(), 'min.csv', `${reversed.join(',')}\n${reversed.map((c) => byName[c]).join(',')}\n`);
    expect(await run(file)).toMatchObject({ imported: 1 });
    expect(listStatements(ws.db.raw, 'ACME')).toMatchObject([{ period_type: 'FY', currency: 'USD', period_end: '2024-12-31', revenue: 250_000_000_00 }]);
  });

  it('refuses a bad file as a whole, listing every problem with line, column and code', async () => {
    const cells = ACME_LTM.split(',');
    const row = (changes: Record<number, string>) => cells.map((c, i) => changes[i] ?? c).join(',');
    const lines = [
      HEADER,
      ACME_LTM,
      row({ 0: 'NOPE' }), // line 3: unknown borrower
      row({ 5: '12.345' }), // line 4: three decimals in ebitda
      row({ 12: '250000000.00' }), // line 5: senior above total debt
      row({ 1: '2024-02-30' }), // line 6: no such date
      ACME_LTM, // line 7: same period as line 2
      row({ 20: '1.5' }), // line 8: share above 1
      row({ 2: 'H1' }), // line 9: unknown period type
      row({ 8: '-1.00' }), // line 10: negative interest
    ];
    const file = writeFile(tempDir(), 'bad.csv', `${lines.join('\n')}\n`);
    const before = outbox().length;
    const e = (await run(file).catch((x: unknown) => x)) as MeridianError;
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.problems.map((p) => [p.line, p.path, p.code])).toEqual([
      [3, 'borrower_id', 'NOT_FOUND'],
      [4, 'ebitda', 'INVALID_AMOUNT'],
      [5, 'senior_debt', 'INVALID_INPUT'],
      [5, 'period_end', 'DUPLICATE'], // same period as line 2 as well
      [6, 'period_end', 'INVALID_DATE'],
      [7, 'period_end', 'DUPLICATE'],
      [8, 'floating_rate_share', 'INVALID_INPUT'],
      [9, 'period_type', 'INVALID_INPUT'],
      [10, 'interest_expense', 'INVALID_AMOUNT'],
    ]);
    expect(e.message).toMatch(/8 of 9 rows .* are invalid; nothing was imported/);
    expect(statements()).toBe(0);
    expect(outbox().length).toBe(before);

    const partial = await run(file, true);
    expect(partial).toMatchObject({ rows: 9, imported: 1, skipped: 8 });
    expect(partial.problems).toHaveLength(9);
    expect(statements()).toBe(1);
  });

  it('refuses a wrong header, an empty file and a missing file', async () => {
    const dir = tempDir();
    const noEbitda = HEADER.replace(',ebitda,', ',');
    await expect(run(writeFile(dir, 'h.csv', `${noEbitda}\n`))).rejects.toMatchObject({ code: 'CSV_HEADER_MISMATCH', message: expect.stringMatching(/missing ebitda/) });
    await expect(run(writeFile(dir, 'x.csv', `${HEADER},extra\n`))).rejects.toMatchObject({ code: 'CSV_HEADER_MISMATCH', message: expect.stringMatching(/unexpected "extra"/) });
    await expect(run(writeFile(dir, 'e.csv', ''))).rejects.toMatchObject({ code: 'CSV_HEADER_MISMATCH' });
    await expect(run(`${dir}/none.csv`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(run(writeFile(dir, 'q.csv', `${HEADER}\n"ACME,2024\n`))).rejects.toMatchObject({ code: 'CSV_PARSE_ERROR' });
    expect(statements()).toBe(0);
  });
});
