// `meridian import financials` and `meridian credit report` in-process on a
// real SQLite file: exit codes, problem lines, the human tables and --json.
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Workstation } from '../../electron/core/workstation';
import { runCliCaptured } from '../helpers/cli';
import { creditReportSchema } from '../../shared/api/credit-views';
import { tempDir, writeFile } from '../helpers/temp';
import { ACME_COVENANTS, ACME_LTM, EXAMPLE_FINANCIALS, HEADER } from './fixtures';

const run = runCliCaptured;

afterEach(() => vi.restoreAllMocks());

async function profile(): Promise<string> {
  const db = path.join(tempDir(), 'credit-cli.sqlite');
  expect((await run('--db', db, 'import', 'deals', path.resolve('docs/examples/deals.csv'))).code).toBe(0);
  return db;
}

describe('meridian import financials', () => {
  it('imports the example file, reports a re-import as unchanged, and lists bad rows on stderr with exit 1', async () => {
    const db = await profile();
    const first = await run('--db', db, 'import', 'financials', EXAMPLE_FINANCIALS);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/imported 6 of 6 financials rows .*; 1 change\(s\) queued for sync/);
    const again = await run('--db', db, 'import', 'financials', EXAMPLE_FINANCIALS, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ kind: 'financials', rows: 6, imported: 6, unchanged: 6, mutations: 0, problems: [] });

    const bad = writeFile(tempDir(), 'bad.csv', `${HEADER}\n${ACME_LTM.replace('ACME', 'NOPE')}\n${ACME_LTM.replace('2024-12-31', '2025-12-31').replace('40000000.00', '4O')}\n`);
    const refused = await run('--db', db, 'import', 'financials', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('NOT_FOUND (line 2, column borrower_id): borrower_id: deal "NOPE" does not exist');
    expect(refused.stderr).toContain('INVALID_AMOUNT (line 3, column ebitda)');
    const skipping = await run('--db', db, 'import', 'financials', bad, '--skip-invalid');
    expect(skipping.code).toBe(0);
    expect(skipping.stdout).toMatch(/imported 0 of 2 financials rows .*, skipped 2/);
    // The other kinds still go through the generic importer.
    expect((await run('--db', db, 'import', 'nope', bad)).code).toBe(2);
  });
});

describe('meridian credit report', () => {
  it('prints ratios, covenants with headroom, the stress and the rating; --json is the report object', async () => {
    const db = await profile();
    expect((await run('--db', db, 'import', 'financials', EXAMPLE_FINANCIALS)).code).toBe(0);
    const ws = Workstation.open(db);
    try {
      for (const c of ACME_COVENANTS) {
        await ws.mutate({ name: 'upsertCovenant', args: { id: c.id, borrowerId: 'ACME', facility: 'Unitranche', metric: c.metric, threshold: c.threshold } });
      }
    } finally {
      await ws.close();
    }

    const human = await run('--db', db, 'credit', 'report', '--borrower', 'ACME', '--ebitda-shock', '20', '--rate-shock-bp', '200');
    expect(human.code).toBe(0);
    const out = human.stdout;
    expect(out).toContain('credit report — Acme Robotics (ACME), Industrials');
    expect(out).toContain('basis: LTM 2024-12-31; as of 2024-12-31; USD');
    expect(out).toMatch(/Total leverage \(debt ÷ EBITDA\)\s+5\.69x\s+5\.00x\s+6\.25x\s+lower/);
    expect(out).toMatch(/ebitda\s+USD 40,000,000\.00\s+USD 32,000,000\.00/);
    expect(out).toMatch(/Unitranche\s+Total leverage \(debt ÷ EBITDA\) ≤ 6\.00x\s+5\.00x\s+pass\s+16\.7%\s+16\.7%\s+breach -4\.2%/);
    expect(out).toContain('weighted score 5.50 → rating b+ (risk rating 5), one-year PD 2.00%');
    expect(out).toContain('stress grid: first breach at EBITDA −0% / +300bp');

    const json = await run('--db', db, 'credit', 'report', '--borrower', 'ACME', '--json', '--as-of', '2024-06-30');
    expect(json.code).toBe(0);
    const report = creditReportSchema.parse(JSON.parse(json.stdout));
    expect(report.basis).toMatchObject({ period_type: 'FY', period_end: '2023-12-31' });
    expect(report.figures.ebitda).toBe(36_000_000_00);
    expect(report.covenants).toHaveLength(4);

    const dune = await run('--db', db, 'credit', 'report', '--borrower', 'DUNE');
    expect(dune.stdout).toContain('(LTM built from quarters 2024-03-31, 2024-06-30, 2024-09-30, 2024-12-31)');
    expect(dune.stdout).toContain('(none in force)');
    expect(dune.stdout).toMatch(/note: Scorecard factor "Loan to value/);
  });

  it('exits 1 with the code for an unknown borrower and 2 for bad options', async () => {
    const db = await profile();
    const missing = await run('--db', db, 'credit', 'report', '--borrower', 'NOPE');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^NOT_FOUND/);
    const noData = await run('--db', db, 'credit', 'report', '--borrower', 'ACME');
    expect(noData.code).toBe(1);
    expect(noData.stderr).toMatch(/^INSUFFICIENT_DATA.*meridian import financials FILE/);
    expect((await run('--db', db, 'credit', 'report', '--borrower', 'ACME', '--ebitda-shock', 'abc')).code).toBe(2);
    expect((await run('--db', db, 'credit', 'report', '--borrower', 'ACME', '--rate-shock-bp', '-5')).code).toBe(2);
    expect((await run('--db', db, 'credit', 'report')).code).toBe(2);
  });
});
