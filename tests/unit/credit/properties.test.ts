import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RATIO_DIRECTION, RATIO_KEYS, type CreditFigures, type RatioKey } from '../../../shared/domain/credit';
import { DEFAULT_METHODOLOGY } from '../../../shared/domain/credit';
import { covenantStatus, ebitdaDeclineToBreach, solveEbitdaDeclineNumeric, testCovenant } from '../../../shared/finance/credit/covenants';
import { computeRatio, computeRatios, EBITDA_SENSITIVE } from '../../../shared/finance/credit/ratios';
import { applyScorecard } from '../../../shared/finance/credit/scorecard';
import { stressFigures } from '../../../shared/finance/credit/stress';
import { operatorFor } from '../../../shared/domain/credit';

const COVERAGE: RatioKey[] = ['interest_coverage', 'ebit_interest_coverage', 'ebita_interest_coverage', 'fixed_charge_coverage', 'dscr', 'ffo_to_debt'];

/** Figures shaped like a real borrower (cents), with EBITDA sometimes negative or zero. */
const figuresArb: fc.Arbitrary<CreditFigures> = fc
  .record({
    ebitda: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1_000_000, max: 100_000_000_000 }) }, { weight: 1, arbitrary: fc.integer({ min: -5_000_000_000, max: 0 }) }),
    daShare: fc.double({ min: 0, max: 0.6, noNaN: true }),
    amortShare: fc.double({ min: 0, max: 1, noNaN: true }),
    leverage: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 12, noNaN: true })),
    seniorShare: fc.double({ min: 0, max: 1, noNaN: true }),
    rate: fc.double({ min: 0, max: 0.15, noNaN: true }),
    pikShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
    amortisation: fc.double({ min: 0, max: 0.1, noNaN: true }),
    cashShare: fc.double({ min: 0, max: 1.5, noNaN: true }),
    capexShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
    taxShare: fc.double({ min: -0.05, max: 0.3, noNaN: true }),
    rentShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
    ca: fc.integer({ min: 0, max: 50_000_000_000 }),
    cl: fc.integer({ min: 0, max: 50_000_000_000 }),
    collateral: fc.option(fc.integer({ min: 0, max: 500_000_000_000 })),
    floating: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((r) => {
    const scale = Math.max(Math.abs(r.ebitda), 1_000_000);
    const da = Math.round(scale * r.daShare);
    const debt = Math.round(scale * r.leverage);
    const interest = Math.round(debt * r.rate);
    return {
      revenue: scale * 5,
      ebitda: r.ebitda,
      ebit: r.ebitda - da,
      ebita: r.ebitda - Math.round(da * r.amortShare),
      interest_expense: interest,
      cash_interest: Math.round(interest * (1 - r.pikShare)),
      scheduled_principal: Math.round(debt * r.amortisation),
      total_debt: debt,
      senior_debt: Math.round(debt * r.seniorShare),
      cash: Math.round(debt * r.cashShare),
      current_assets: r.ca,
      current_liabilities: r.cl,
      capex: Math.round(scale * r.capexShare),
      cash_taxes: Math.round(scale * r.taxShare),
      rent: Math.round(scale * r.rentShare),
      collateral_value: r.collateral,
      floating_rate_share: r.floating,
    };
  });

/** Higher is better, for comparing two defined values of a ratio. */
const goodness = (key: RatioKey, v: number): number => (RATIO_DIRECTION[key] === 'lower_better' ? -v : v);

describe('credit properties', () => {
  it('a larger EBITDA shock never improves any leverage or coverage ratio (when defined)', () => {
    fc.assert(
      fc.property(figuresArb, fc.double({ min: -1, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 500 }), (f, d1, extra, bp) => {
        const d2 = d1 + extra;
        const a = computeRatios(stressFigures(f, { ebitda_decline: d1, rate_shock_bp: bp }));
        const b = computeRatios(stressFigures(f, { ebitda_decline: d2, rate_shock_bp: bp }));
        for (const k of RATIO_KEYS) {
          const x = a[k].value;
          const y = b[k].value;
          if (x === null || y === null) continue;
          if (goodness(k, y) > goodness(k, x)) return false;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('a larger rate shock never improves a coverage ratio (when defined)', () => {
    fc.assert(
      fc.property(figuresArb, fc.double({ min: -0.5, max: 1.5, noNaN: true }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (f, d, y1, dy) => {
        const a = computeRatios(stressFigures(f, { ebitda_decline: d, rate_shock_bp: y1 }));
        const b = computeRatios(stressFigures(f, { ebitda_decline: d, rate_shock_bp: y1 + dy }));
        return COVERAGE.every((k) => a[k].value === null || b[k].value === null || b[k].value! <= a[k].value!);
      }),
      { numRuns: 500 },
    );
  });

  it('headroom is ≥ 0 exactly when the covenant passes; null headroom follows the ratio limit', () => {
    fc.assert(
      fc.property(figuresArb, fc.constantFrom(...RATIO_KEYS), fc.double({ min: 0.01, max: 12, noNaN: true }), (f, metric, threshold) => {
        const t = testCovenant(f, { id: 'c', metric, operator: operatorFor(metric), threshold });
        if (t.headroom === null) {
          const r = computeRatio(metric, f);
          return r.value === null && t.status === (r.limit === 'best' ? 'pass' : r.limit === 'worst' ? 'breach' : 'not_tested');
        }
        return (t.headroom >= 0) === (t.status === 'pass') && (t.headroom_units! >= 0) === (t.status === 'pass');
      }),
      { numRuns: 1000 },
    );
  });

  it('applying the computed breach decline puts the metric at the threshold (1e-9 relative), and the numeric solver agrees', () => {
    const sensitive = RATIO_KEYS.filter((k) => EBITDA_SENSITIVE.has(k));
    fc.assert(
      fc.property(figuresArb, fc.constantFrom(...sensitive), fc.double({ min: 0.05, max: 10, noNaN: true }), (f, metric, threshold) => {
        const c = { id: 'c', metric, operator: operatorFor(metric), threshold };
        const d = ebitdaDeclineToBreach(f, c);
        if (d.decline === null) return true;
        const at = stressFigures(f, { ebitda_decline: d.decline, rate_shock_bp: 0 });
        const r = computeRatio(metric, at);
        // Conditioning: the decline is a fraction of EBITDA, so the EBITDA-driven term of the
        // metric at the boundary (EBITDA' for leverage, the earnings numerator for coverage)
        // carries an error of about ε × |EBITDA|; 1e-9 relative needs that term ≥ |EBITDA| ÷ 1e6
        // (not, say, 1 cent of debt service against 880k of EBITDA). docs/credit.md states it.
        const driven = RATIO_DIRECTION[metric] === 'lower_better' ? r.denominator! : r.numerator!;
        fc.pre(Math.abs(driven) * 1e6 >= Math.abs(f.ebitda));
        expect(r.value).not.toBeNull();
        expect(Math.abs(r.value! - threshold) / threshold).toBeLessThanOrEqual(1e-9);
        // beyond the boundary the covenant breaches, short of it it passes
        const step = 1e-6 * Math.max(1, Math.abs(d.decline));
        expect(covenantStatus(computeRatio(metric, stressFigures(f, { ebitda_decline: d.decline + step, rate_shock_bp: 0 })), c.operator, threshold)).toBe('breach');
        expect(covenantStatus(computeRatio(metric, stressFigures(f, { ebitda_decline: d.decline - step, rate_shock_bp: 0 })), c.operator, threshold)).toBe('pass');
        const numeric = solveEbitdaDeclineNumeric(f, c);
        expect(numeric).not.toBeNull();
        expect(Math.abs(numeric! - d.decline)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(d.decline)));
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it('a larger EBITDA shock never improves the model rating', () => {
    fc.assert(
      fc.property(figuresArb, fc.double({ min: -0.5, max: 1.5, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (f, d1, extra) => {
        const withCollateral = { ...f, collateral_value: f.collateral_value ?? f.total_debt * 2 };
        const a = applyScorecard(stressFigures(withCollateral, { ebitda_decline: d1, rate_shock_bp: 0 }), DEFAULT_METHODOLOGY);
        const b = applyScorecard(stressFigures(withCollateral, { ebitda_decline: d1 + extra, rate_shock_bp: 0 }), DEFAULT_METHODOLOGY);
        return b.weighted_score <= a.weighted_score && b.model_risk_rating >= a.model_risk_rating && b.weighted_score >= 1 && b.weighted_score <= 10;
      }),
      { numRuns: 300 },
    );
  });
});
