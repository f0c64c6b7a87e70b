// The credit report on a real SQLite profile: docs/credit.md's worked
// examples (Harbor = ACME's LTM 2024), an LTM built from quarters (DUNE),
// as-of selection, stress and the scorecard.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { creditReport } from '../../electron/core/credit/report';
import { creditReportSchema } from '../../shared/api/credit-views';
import { tempWorkstation } from '../helpers/temp-profile';
import { seedCredit } from './fixtures';
import type { Workstation } from '../../electron/core/workstation';

let ws: Workstation;

beforeAll(async () => {
  ws = tempWorkstation();
  await seedCredit(ws);
});

describe('creditReport', () => {
  it('computes Harbor’s ratios, covenant headroom and scorecard from the stored LTM', () => {
    const r = creditReport(ws.db.raw, { borrowerId: 'ACME' });
    expect(creditReportSchema.parse(r)).toEqual(r);
    expect(r.basis).toMatchObject({ source: 'statement', period_end: '2024-12-31', period_type: 'LTM', quarters: [] });
    expect(r.as_of).toBe('2024-12-31');
    expect(r.currency).toBe('USD');
    expect(r.ratios.total_leverage.value).toBe(5);
    expect(r.ratios.net_leverage.value).toBe(4.5);
    expect(r.ratios.senior_leverage.value).toBe(3.75);
    expect(r.ratios.interest_coverage.value).toBe(2.5);
    expect(r.ratios.ebit_interest_coverage.value).toBe(1.75);
    expect(r.ratios.ltv.value).toBe(0.5);
    expect(r.ratios.current_ratio.value).toBe(1.5);
    expect(r.ratios.ffo_to_debt.value).toBeCloseTo(0.11, 12);
    // Two annual periods: FY 2023 then the LTM.
    expect(r.periods.map((p) => `${p.period_type} ${p.period_end}`)).toEqual(['FY 2023-12-31', 'LTM 2024-12-31']);
    expect(r.periods[1]!.ebitda_growth).toBeCloseTo(4 / 36, 12);
    // Covenants (docs/credit.md §3): headroom and EBITDA decline to breach.
    const cov = Object.fromEntries(r.covenants.map((c) => [c.covenant_id, c]));
    expect(cov['acme-lev']).toMatchObject({ status: 'pass', actual: 5, test_frequency: 'quarterly', cure_rights_note: 'Equity cure: 2 in any 4 quarters' });
    expect(cov['acme-lev']!.headroom).toBeCloseTo(1 / 6, 12);
    expect(cov['acme-lev']!.ebitda_decline_to_breach).toBeCloseTo(1 / 6, 12);
    expect(cov['acme-ic']!.headroom).toBeCloseTo(0.25, 12);
    expect(cov['acme-ic']!.ebitda_decline_to_breach).toBeCloseTo(0.2, 12);
    expect(cov['acme-ic']!.breach_ebitda).toBe(3_200_000_000);
    expect(cov['acme-fccr']!.ebitda_decline_to_breach).toBeCloseTo(0.21875, 12);
    // Scorecard: 5.50 → b+, PD 2 % (exactly on the boundary).
    expect(r.scorecard.weighted_score).toBe(5.5);
    expect(r.scorecard).toMatchObject({ model_rating: 'b+', model_pd: 0.02, final_rating: 'b+' });
    expect(r.scorecard.factors.map((f) => f.score)).toEqual([5, 5, 6, 4, 7, 7]);
    expect(r.methodology).toMatchObject({ id: 'meridian-default-credit-scorecard', version: 1, stored: false });
    // No shock: the stress equals the base.
    expect(r.stress.scenario).toEqual({ ebitda_decline: 0, rate_shock_bp: 0 });
    expect(r.stress.breached_covenant_ids).toEqual([]);
    expect(r.latest_analysis).toBeNull();
  });

  it('stresses EBITDA −20 % and rates +200 bp as docs/credit.md §4 (every covenant breaks)', () => {
    const r = creditReport(ws.db.raw, { borrowerId: 'ACME', ebitdaShockPct: 20, rateShockBp: 200 });
    expect(r.stress.scenario).toEqual({ ebitda_decline: 0.2, rate_shock_bp: 200 });
    expect(r.stress.extra_interest).toBe(320_000_000);
    expect(r.stress.figures.ebitda).toBe(3_200_000_000);
    expect(r.stress.figures.ebit).toBe(2_000_000_000);
    expect(r.stress.figures.interest_expense).toBe(1_920_000_000);
    expect(r.stress.ratios.total_leverage.value).toBeCloseTo(6.25, 12);
    expect(r.stress.ratios.interest_coverage.value).toBeCloseTo(32 / 19.2, 12);
    expect(r.stress.ratios.fixed_charge_coverage.value).toBeCloseTo(27 / 24.2, 12);
    expect([...r.stress.breached_covenant_ids].sort()).toEqual(['acme-fccr', 'acme-ic', 'acme-lev', 'acme-senior']);
    // Base figures untouched; the grid is the standard 4 × 4.
    expect(r.ratios.total_leverage.value).toBe(5);
    expect(r.grid.ebitda_declines).toEqual([0, 0.1, 0.2, 0.3]);
    expect(r.grid.rate_shocks_bp).toEqual([0, 100, 200, 300]);
    // +300 bp alone: interest 16 + 200 × 0.8 × 3 % = 20.8, cover 40 ÷ 20.8 = 1.92x < 2.00x.
    expect(r.grid.cells[0]!.map((c) => c.breach_count)).toEqual([0, 0, 0, 1]);
    expect(r.grid.by_covenant['acme-ic']![0]![3]).toBe('breach');
    // −20 %: at +0 bp leverage and senior leverage break (interest cover sits exactly on 2.00x and passes).
    expect(r.grid.cells[2]![0]!.breach_count).toBe(2);
    expect(r.grid.cells[2]![2]!.breach_count).toBe(4);
  });

  it('builds the LTM from four consecutive quarters and says when a factor had no input', () => {
    const r = creditReport(ws.db.raw, { borrowerId: 'DUNE' });
    expect(r.basis).toMatchObject({ source: 'ltm_from_quarters', statement_id: null, period_type: 'LTM', period_end: '2024-12-31' });
    expect(r.basis.quarters).toEqual(['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31']);
    expect(r.figures.ebitda).toBe(2_000_000_000);
    expect(r.figures.revenue).toBe(12_000_000_000);
    expect(r.figures.total_debt).toBe(9_000_000_000);
    expect(r.ratios.total_leverage.value).toBe(4.5);
    expect(r.ratios.ltv).toMatchObject({ value: null, reason: 'missing_input' });
    expect(r.currency).toBe('EUR');
    expect(r.covenants).toEqual([]);
    expect(r.notes.join('\n')).toMatch(/Loan to value.*missing input.*scaled up/);
  });

  it('uses only periods on or before --as-of, and refuses what it cannot compute', () => {
    const r = creditReport(ws.db.raw, { borrowerId: 'ACME', asOf: '2024-06-30' });
    expect(r.basis).toMatchObject({ period_type: 'FY', period_end: '2023-12-31' });
    expect(r.as_of).toBe('2024-06-30');
    expect(r.ratios.total_leverage.value).toBeCloseTo(205 / 36, 12);
    expect(() => creditReport(ws.db.raw, { borrowerId: 'ACME', asOf: '2020-01-01' })).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => creditReport(ws.db.raw, { borrowerId: 'DUNE', asOf: '2024-11-30' })).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => creditReport(ws.db.raw, { borrowerId: 'NOPE' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => creditReport(ws.db.raw, { borrowerId: 'ACME', asOf: '2024-02-30' })).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }));
    expect(() => creditReport(ws.db.raw, { borrowerId: 'ACME', rateShockBp: -50 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('property: a larger EBITDA shock or rate rise never cures a covenant breach in the report', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), (p1, p2, b1, b2) => {
        const lo = creditReport(ws.db.raw, { borrowerId: 'ACME', ebitdaShockPct: Math.min(p1, p2), rateShockBp: Math.min(b1, b2) });
        const hi = creditReport(ws.db.raw, { borrowerId: 'ACME', ebitdaShockPct: Math.max(p1, p2), rateShockBp: Math.max(b1, b2) });
        for (const id of lo.stress.breached_covenant_ids) expect(hi.stress.breached_covenant_ids).toContain(id);
        const lev = (r: typeof lo) => r.stress.ratios.total_leverage.value ?? Infinity;
        expect(lev(hi)).toBeGreaterThanOrEqual(lev(lo));
      }),
      { numRuns: 40 },
    );
  });
});
