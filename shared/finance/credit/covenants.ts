/**
 * Covenant tests (DESIGN §4). A covenant is a 'max' (leverage, LTV) or 'min'
 * (coverage, current ratio, FFO ÷ debt) test of one ratio against a positive
 * threshold, on annual-basis figures (FY or LTM).
 *
 *   pass        max: actual ≤ threshold;  min: actual ≥ threshold
 *               (sitting exactly on the threshold passes: "shall not exceed")
 *   headroom    max: (threshold − actual) ÷ threshold;  min: (actual − threshold) ÷ threshold
 *               ≥ 0 exactly when the covenant passes
 *   headroom_units  the same distance in the metric's units (turns for leverage/coverage)
 *
 * A ratio that is not meaningful (ratios.ts) passes when its limit is 'best'
 * (e.g. no interest to cover), breaches when 'worst' (e.g. debt against
 * negative EBITDA) and is 'not_tested' when an input is missing; headroom is
 * then null.
 *
 * EBITDA decline to breach, d*: with the shock of shock.ts (EBITDA, EBIT and
 * EBITA down by δ = |EBITDA| × d, everything else fixed), d* is the decline at
 * which the metric sits exactly at the threshold: any decline ≤ d* passes,
 * any decline > d* breaches. Every metric is linear in EBITDA' or in
 * 1 ÷ EBITDA', so d* = (EBITDA − EBITDA_b) ÷ |EBITDA| with the boundary
 * EBITDA_b in closed form:
 *
 *   total / net / senior leverage   EBITDA_b = debt ÷ t       (net debt floored at 0)
 *   EBITDA ÷ interest               EBITDA_b = t × interest
 *   EBIT ÷ interest                 EBITDA_b = EBITDA − EBIT + t × interest   (EBITA likewise)
 *   fixed-charge coverage           EBITDA_b = t × fixed charges − rent + capex + cash taxes
 *   DSCR                            EBITDA_b = t × debt service + capex + cash taxes
 *   FFO ÷ debt                      EBITDA_b = t × debt + cash interest + cash taxes
 *
 * For a max-leverage covenant d* equals the headroom: 1 − actual ÷ t.
 * d* < 0 when the covenant is breached (−d* is the rise that cures it).
 * Null with a reason when the metric does not depend on EBITDA (LTV, current
 * ratio), when EBITDA is 0 (a relative decline is undefined), or when no
 * EBITDA puts the metric on the threshold (no debt; no charges to cover).
 * solveEbitdaDeclineNumeric finds the same point by bracketing and bisection
 * for any metric, and is how the closed forms are cross-checked.
 */
import {
  operatorFor,
  type CovenantOperator,
  type CovenantStatus,
  type CovenantTest,
  type CreditFigures,
  type DeclineNullReason,
  type RatioKey,
  type RatioResult,
  type RatioSet,
} from '../../domain/credit';
import { MeridianError } from '../../errors';
import { assertFigures, computeRatio, computeRatios, debtService, fixedCharges, netDebt } from './ratios';
import { applyEbitdaDecline } from './shock';

/** What a covenant test needs (a Covenant row has all of it). */
export interface CovenantTerms {
  id: string;
  metric: RatioKey;
  operator: CovenantOperator;
  threshold: number;
  facility?: string;
  effective_from?: string | null;
  effective_to?: string | null;
}

/** Throws INVALID_INPUT unless the threshold is finite and > 0 and the operator suits the metric. */
export function assertCovenant(c: CovenantTerms): void {
  if (typeof c.threshold !== 'number' || !Number.isFinite(c.threshold) || c.threshold <= 0) {
    throw new MeridianError('INVALID_INPUT', `covenant ${c.id}: threshold ${String(c.threshold)} must be a number greater than zero`, {
      field: 'threshold',
      value: c.threshold,
    });
  }
  const expected = operatorFor(c.metric);
  if (c.operator !== expected) {
    throw new MeridianError('INVALID_INPUT', `covenant ${c.id}: a ${c.metric} covenant must be a '${expected}' test, not '${c.operator}'`, {
      field: 'operator',
      value: c.operator,
    });
  }
}

/** True when the covenant applies to a period ending on `periodEnd` (effective dates inclusive; null = open). */
export function covenantInForce(c: CovenantTerms, periodEnd: string): boolean {
  if (c.effective_from != null && periodEnd < c.effective_from) return false;
  if (c.effective_to != null && periodEnd > c.effective_to) return false;
  return true;
}

/** Pass / breach / not tested for a ratio against a threshold. */
export function covenantStatus(r: RatioResult, operator: CovenantOperator, threshold: number): CovenantStatus {
  if (r.value === null) return r.limit === 'best' ? 'pass' : r.limit === 'worst' ? 'breach' : 'not_tested';
  return (operator === 'max' ? r.value <= threshold : r.value >= threshold) ? 'pass' : 'breach';
}

/** Headroom as a fraction of the threshold and in the metric's units; null when the ratio is null. */
export function headroom(r: RatioResult, operator: CovenantOperator, threshold: number): { fraction: number | null; units: number | null } {
  if (r.value === null) return { fraction: null, units: null };
  const units = operator === 'max' ? threshold - r.value : r.value - threshold;
  return { fraction: units / threshold + 0, units: units + 0 };
}

/**
 * EBITDA at which the metric equals the threshold (cents, unrounded), or a
 * reason why there is none. See the module note for the formulas.
 */
export function boundaryEbitda(f: CreditFigures, metric: RatioKey, threshold: number): { ebitda: number } | { reason: DeclineNullReason } {
  const none = { reason: 'no_threshold_crossing' as const };
  const t = threshold;
  switch (metric) {
    case 'total_leverage':
      return f.total_debt > 0 ? { ebitda: f.total_debt / t } : none;
    case 'net_leverage': {
      const nd = Math.max(netDebt(f), 0);
      return nd > 0 ? { ebitda: nd / t } : none;
    }
    case 'senior_leverage':
      return f.senior_debt > 0 ? { ebitda: f.senior_debt / t } : none;
    case 'interest_coverage':
      return f.interest_expense > 0 ? { ebitda: t * f.interest_expense } : none;
    case 'ebit_interest_coverage':
      return f.interest_expense > 0 ? { ebitda: f.ebitda - f.ebit + t * f.interest_expense } : none;
    case 'ebita_interest_coverage':
      return f.interest_expense > 0 ? { ebitda: f.ebitda - f.ebita + t * f.interest_expense } : none;
    case 'fixed_charge_coverage': {
      const fc = fixedCharges(f);
      return fc > 0 ? { ebitda: t * fc - f.rent + f.capex + f.cash_taxes } : none;
    }
    case 'dscr': {
      const ds = debtService(f);
      return ds > 0 ? { ebitda: t * ds + f.capex + f.cash_taxes } : none;
    }
    case 'ffo_to_debt':
      return f.total_debt > 0 ? { ebitda: t * f.total_debt + f.cash_interest + f.cash_taxes } : none;
    case 'ltv':
    case 'current_ratio':
      return { reason: 'not_ebitda_sensitive' };
  }
}

/**
 * The EBITDA decline d* (fraction of |EBITDA|) that puts the covenant exactly
 * at its threshold, in closed form, with the boundary EBITDA; or the reason
 * there is none.
 */
export function ebitdaDeclineToBreach(
  f: CreditFigures,
  c: CovenantTerms,
): { decline: number; breach_ebitda: number } | { decline: null; breach_ebitda: null; reason: DeclineNullReason } {
  const b = boundaryEbitda(f, c.metric, c.threshold);
  if ('reason' in b) return { decline: null, breach_ebitda: null, reason: b.reason };
  if (f.ebitda === 0) return { decline: null, breach_ebitda: null, reason: 'ebitda_zero' };
  return { decline: (f.ebitda - b.ebitda) / Math.abs(f.ebitda) + 0, breach_ebitda: b.ebitda };
}

/** Options of the numeric solver. */
export interface NumericSolveOptions {
  /** Largest |decline| searched when bracketing (default 2^53: a tiny |EBITDA| can need a huge relative move). */
  maxDecline?: number;
  /** Bisection steps (default 200: the doubling bracket [d/2, d] shrinks to adjacent doubles in ~55). */
  maxIterations?: number;
}

/**
 * The same d* as ebitdaDeclineToBreach, found numerically for any metric:
 * bracket the pass → breach switch by doubling the decline (or the rise when
 * already breaching), then bisect to adjacent doubles; returns the largest
 * decline that still passes. Null when no switch is found within maxDecline,
 * when EBITDA is 0, or when the covenant cannot be tested.
 */
export function solveEbitdaDeclineNumeric(f: CreditFigures, c: CovenantTerms, options: NumericSolveOptions = {}): number | null {
  assertFigures(f);
  assertCovenant(c);
  if (f.ebitda === 0) return null;
  const maxDecline = options.maxDecline ?? 2 ** 53;
  const maxIterations = options.maxIterations ?? 200;
  const status = (d: number): CovenantStatus => covenantStatus(computeRatio(c.metric, applyEbitdaDecline(f, d)), c.operator, c.threshold);
  const s0 = status(0);
  if (s0 === 'not_tested') return null;
  let pass: number;
  let breach: number;
  if (s0 === 'pass') {
    pass = 0;
    let d = 0.5;
    while (d <= maxDecline && status(d) === 'pass') {
      pass = d;
      d *= 2;
    }
    if (d > maxDecline) return null;
    breach = d;
  } else {
    breach = 0;
    let d = -0.5;
    while (-d <= maxDecline && status(d) !== 'pass') {
      breach = d;
      d *= 2;
    }
    if (-d > maxDecline) return null;
    pass = d;
  }
  for (let i = 0; i < maxIterations; i++) {
    const mid = pass + (breach - pass) / 2;
    if (mid === pass || mid === breach) break;
    if (status(mid) === 'pass') pass = mid;
    else breach = mid;
  }
  return pass + 0;
}

/**
 * Tests one covenant on annual-basis figures. `ratios` may be passed when
 * already computed for these figures.
 */
export function testCovenant(figures: CreditFigures, covenant: CovenantTerms, ratios?: RatioSet): CovenantTest {
  assertCovenant(covenant);
  const r = ratios ? ratios[covenant.metric] : (assertFigures(figures), computeRatio(covenant.metric, figures));
  const status = covenantStatus(r, covenant.operator, covenant.threshold);
  const room = headroom(r, covenant.operator, covenant.threshold);
  const base = {
    covenant_id: covenant.id,
    facility: covenant.facility ?? '',
    metric: covenant.metric,
    operator: covenant.operator,
    threshold: covenant.threshold,
    actual: r.value,
    reason: r.reason,
    status,
    headroom: room.fraction,
    headroom_units: room.units,
  };
  if (status === 'not_tested') return { ...base, ebitda_decline_to_breach: null, breach_ebitda: null, decline_reason: 'not_tested' };
  const d = ebitdaDeclineToBreach(figures, covenant);
  if (d.decline === null) return { ...base, ebitda_decline_to_breach: null, breach_ebitda: null, decline_reason: d.reason };
  return { ...base, ebitda_decline_to_breach: d.decline, breach_ebitda: Math.round(d.breach_ebitda) + 0, decline_reason: null };
}

/**
 * Tests every covenant. With `periodEnd`, covenants not in force at that
 * date (step-downs) are skipped.
 */
export function testCovenants(figures: CreditFigures, covenants: readonly CovenantTerms[], options: { periodEnd?: string; ratios?: RatioSet } = {}): CovenantTest[] {
  const ratios = options.ratios ?? computeRatios(figures);
  const periodEnd = options.periodEnd;
  return covenants.filter((c) => periodEnd === undefined || covenantInForce(c, periodEnd)).map((c) => testCovenant(figures, c, ratios));
}
