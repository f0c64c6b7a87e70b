/**
 * The credit workspace's pure view model (renderer/src/screens/credit/model.ts):
 * which periods can be analysed, the analysis of a period (Harbor, docs/credit.md),
 * ratio display, figure parsing, and the diff of two versions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY, type CovenantRow, type CreditFigures, type FinancialStatementRow } from '../../shared/domain/credit';
import { setLocale } from '../../renderer/src/lib/format';
import {
  GRID_DECLINES,
  GRID_SHOCKS_BP,
  analysePeriod,
  annualPeriods,
  diffVersions,
  fmtHeadroomUnits,
  fmtRatio,
  fmtThreshold,
  formatFigure,
  parseFigure,
  type DiffSide,
} from '../../renderer/src/screens/credit/model';

const M = (millions: number) => Math.round(millions * 100_000_000);
const HARBOR: CreditFigures = {
  revenue: M(250), ebitda: M(40), ebit: M(28), ebita: M(31), interest_expense: M(16), cash_interest: M(14), scheduled_principal: M(2),
  total_debt: M(200), senior_debt: M(150), cash: M(20), current_assets: M(60), current_liabilities: M(40), capex: M(6), cash_taxes: M(4), rent: M(5),
  collateral_value: M(400), floating_rate_share: 0.8,
};
const sync = { version: 3, updated_at: '2025-01-01T00:00:00.000Z', updated_by: 'u', deleted_at: null };
const row = (id: string, period_end: string, period_type: 'FY' | 'Q' | 'LTM', f: Partial<CreditFigures> = {}, currency = 'USD'): FinancialStatementRow => ({
  id, borrower_id: 'B1', period_end, period_type, currency, ...HARBOR, ...f, ...sync,
});
const covenant = (id: string, metric: CovenantRow['metric'], operator: 'max' | 'min', threshold: number): CovenantRow => ({
  id, borrower_id: 'B1', facility: 'Term loan', metric, operator, threshold, test_frequency: 'quarterly', cure_rights_note: '', effective_from: null, effective_to: null, ...sync,
});

beforeAll(() => setLocale('en-US'));

describe('annualPeriods', () => {
  it('keeps FY and LTM statements and builds LTMs from four consecutive quarters where no annual statement ends', () => {
    const q = (id: string, end: string) => row(id, end, 'Q', { revenue: M(60), ebitda: M(10), ebit: M(7), ebita: M(8), interest_expense: M(4), cash_interest: M(3.5), scheduled_principal: M(0.5), capex: M(1.5), cash_taxes: M(1), rent: M(1.25) });
    const rows = [row('FY23', '2023-12-31', 'FY'), q('Q1', '2024-03-31'), q('Q2', '2024-06-30'), q('Q3', '2024-09-30'), q('Q4', '2024-12-31'), q('Q5', '2025-03-31')];
    const periods = annualPeriods(rows);
    expect(periods.map((p) => p.label)).toEqual(['FY 2023-12-31', 'LTM 2024-12-31 (from quarters)', 'LTM 2025-03-31 (from quarters)']);
    expect(periods[1]!.statementId).toBeNull();
    expect(periods[1]!.statement.ebitda).toBe(M(40)); // 4 × 10m
    expect(periods[1]!.statement.total_debt).toBe(M(200)); // balance items from the last quarter
    // A stored FY on the same date wins over the quarters.
    expect(annualPeriods([...rows, row('FY24', '2024-12-31', 'FY')]).map((p) => p.key)).toEqual(['FY:2023-12-31', 'FY:2024-12-31', 'LTM*:2025-03-31']);
  });

  it('leaves out statements in another currency than the latest and returns nothing without statements', () => {
    expect(annualPeriods([])).toEqual([]);
    expect(annualPeriods([row('A', '2023-12-31', 'FY', {}, 'EUR'), row('B', '2024-12-31', 'FY')]).map((p) => p.statementId)).toEqual(['B']);
  });
});

describe('analysePeriod (Harbor, docs/credit.md)', () => {
  const [period] = annualPeriods([row('S', '2024-12-31', 'FY')]);
  const out = analysePeriod(period!, [covenant('LEV', 'total_leverage', 'max', 6), covenant('ICR', 'interest_coverage', 'min', 2)], DEFAULT_METHODOLOGY);

  it('shows the ratios and covenant headroom exactly as the workspace prints them', () => {
    expect(fmtRatio('total_leverage', out.ratios.total_leverage)).toBe('5.00×');
    expect(fmtRatio('net_leverage', out.ratios.net_leverage)).toBe('4.50×');
    expect(fmtRatio('ltv', out.ratios.ltv)).toBe('50.0%');
    expect(fmtRatio('ffo_to_debt', out.ratios.ffo_to_debt)).toBe('11.0%');
    const lev = out.covenants.find((c) => c.covenant_id === 'LEV')!;
    expect(lev.headroom).toBeCloseTo(1 / 6, 12);
    expect(fmtHeadroomUnits('total_leverage', lev.headroom_units)).toBe('1.00×');
    expect(fmtThreshold('total_leverage', 'max', 6)).toBe('≤ 6.00×');
    expect(fmtThreshold('ffo_to_debt', 'min', 0.08)).toBe('≥ 8.0%');
  });

  it('computes the heatmap over the workspace axes: no breach unstressed, leverage breaks at EBITDA −20 %', () => {
    expect(out.grid!.ebitda_declines).toEqual([...GRID_DECLINES]);
    expect(out.grid!.rate_shocks_bp).toEqual([...GRID_SHOCKS_BP]);
    expect(out.grid!.cells[0]![0]!.breach_count).toBe(0);
    const at20 = GRID_DECLINES.indexOf(0.2);
    expect(out.grid!.by_covenant.LEV![at20]![0]).toBe('breach'); // 200 ÷ 32 = 6.25× > 6.00×
    expect(out.grid!.by_covenant.LEV![GRID_DECLINES.indexOf(0.15)]![0]).toBe('pass'); // 200 ÷ 34 = 5.88×
  });

  it('says n.m. for a ratio that is not meaningful and — for a missing input', () => {
    const [neg] = annualPeriods([row('N', '2024-12-31', 'FY', { ebitda: -M(5), ebit: -M(10), ebita: -M(8), collateral_value: null })]);
    const r = analysePeriod(neg!, [], DEFAULT_METHODOLOGY).ratios;
    expect(fmtRatio('total_leverage', r.total_leverage)).toBe('n.m.');
    expect(fmtRatio('ltv', r.ltv)).toBe('—');
  });
});

describe('figures typed in the grid', () => {
  it('parses amounts exactly, shares as percentages or fractions, and an empty collateral value as not appraised', () => {
    expect(parseFigure('ebitda', '40,000,000')).toEqual({ ok: true, value: M(40) });
    expect(parseFigure('ebitda', '40m')).toEqual({ ok: true, value: M(40) });
    expect(parseFigure('ebitda', '-1.5m')).toEqual({ ok: true, value: -M(1.5) });
    expect(parseFigure('floating_rate_share', '80%')).toEqual({ ok: true, value: 0.8 });
    expect(parseFigure('floating_rate_share', '0.8')).toEqual({ ok: true, value: 0.8 });
    expect(parseFigure('collateral_value', '')).toEqual({ ok: true, value: null });
    expect(parseFigure('revenue', '12.345').ok).toBe(false);
    expect(parseFigure('revenue', '').ok).toBe(false);
    expect(parseFigure('floating_rate_share', 'most').ok).toBe(false);
  });

  it('formats what the editor starts from, so pressing Enter on it changes nothing', () => {
    expect(formatFigure('revenue', M(250))).toBe('250,000,000.00');
    expect(formatFigure('floating_rate_share', 0.8)).toBe('80.0%');
    expect(formatFigure('collateral_value', null)).toBe('—');
    expect(parseFigure('revenue', formatFigure('revenue', M(250)))).toEqual({ ok: true, value: M(250) });
  });
});

describe('diffVersions', () => {
  it('lists every compared field side by side and marks exactly what changed', () => {
    const [period] = annualPeriods([row('S', '2024-12-31', 'FY')]);
    const covs = [covenant('LEV', 'total_leverage', 'max', 6)];
    const base = analysePeriod(period!, covs, DEFAULT_METHODOLOGY);
    const overridden = analysePeriod(period!, covs, DEFAULT_METHODOLOGY, { rating: 'ccc', reason: 'Sponsor support withdrawn' });
    const side = (v: number, outputs: typeof base, override: { rating: string; reason: string } | null, recommendation: string): DiffSide => ({
      analysis_version: v,
      period_end: '2024-12-31',
      recommendation,
      model_rating: outputs.scorecard.model_rating,
      rating_override: override?.rating ?? null,
      override_reason: override?.reason ?? null,
      final_rating: outputs.scorecard.final_rating,
      created_at: `2025-03-0${v}T10:00:00.000Z`,
      created_by: 'ana',
      inputs: { statement: period!.statement, covenants: covs },
      outputs,
    });
    const lines = diffVersions(side(1, base, null, 'Hold'), side(2, overridden, { rating: 'ccc', reason: 'Sponsor support withdrawn' }, 'Downgrade'), (c) => String(c));
    const changed = lines.filter((l) => l.changed).map((l) => l.label);
    expect(changed).toEqual(['Saved', 'Final rating', 'Override', 'Override reason', 'PD (final)', 'Recommendation']);
    const final = lines.find((l) => l.label === 'Final rating')!;
    expect([final.left, final.right]).toEqual([base.scorecard.model_rating.toUpperCase(), 'CCC']);
    expect(lines.find((l) => l.label === 'Total leverage')).toMatchObject({ left: '5.00×', right: '5.00×', changed: false });
    expect(lines.find((l) => l.section === 'Covenants')).toMatchObject({ label: 'Term loan: Total leverage', left: 'pass · 16.7% (≤ 6.00×)', changed: false });
    expect(lines.filter((l) => l.section === 'Inputs')).toHaveLength(17);
  });
});
