/**
 * Credit ratios of one period (DESIGN §4). Inputs are the figures of an
 * annual-basis period (FY or LTM) in cents; ratios are floats. Definitions
 * (docs/credit.md has a worked example of each):
 *
 *   total_leverage          = total_debt ÷ EBITDA
 *   net_leverage            = max(total_debt − cash, 0) ÷ EBITDA
 *   senior_leverage         = senior_debt ÷ EBITDA
 *   interest_coverage       = EBITDA ÷ interest_expense
 *   ebit_interest_coverage  = EBIT ÷ interest_expense
 *   ebita_interest_coverage = EBITA ÷ interest_expense
 *   fixed_charge_coverage   = (EBITDA + rent − capex − cash_taxes) ÷ (cash_interest + scheduled_principal + rent)
 *   dscr                    = (EBITDA − capex − cash_taxes) ÷ (cash_interest + scheduled_principal)
 *   ltv                     = total_debt ÷ collateral_value
 *   current_ratio           = current_assets ÷ current_liabilities
 *   ffo_to_debt             = (EBITDA − cash_interest − cash_taxes) ÷ total_debt
 *
 * Null, never NaN or ±Infinity, when a ratio is not meaningful; the result
 * then says why (`reason`) and which end of the credit scale it stands for
 * (`limit`):
 *
 *   leverage and LTV (lower is better): no debt → 0 whatever the denominator;
 *     debt over EBITDA (or collateral) ≤ 0 → null, zero_/negative_denominator,
 *     limit 'worst'; collateral unknown → null, missing_input, limit null.
 *   coverage (interest, EBIT, EBITA, fixed charge, DSCR): charges > 0 and a
 *     negative earnings measure → null, negative_numerator, 'worst' (shown as
 *     "n.m.", as data vendors do); charges = 0 → null, zero_denominator,
 *     'best' when the earnings measure is positive, else 'worst'.
 *   current ratio and FFO ÷ debt: denominator 0 → null, zero_denominator,
 *     'best' when the numerator is positive, else 'worst'. FFO ÷ debt may be
 *     negative (negative FFO against debt is meaningful and is reported).
 *
 * Amounts may be fractional cents here (stress scenarios scale EBITDA): the
 * stored statements are whole cents by schema, the arithmetic is on floats,
 * and nothing here is stored back as money.
 */
import {
  CREDIT_FIGURE_FIELDS,
  RATIO_KEYS,
  type CreditFigures,
  type FinancialStatement,
  type NotMeaningfulReason,
  type RatioKey,
  type RatioLimit,
  type RatioResult,
  type RatioSet,
} from '../../domain/credit';
import { MeridianError } from '../../errors';

/** Fields that must not be negative (everything except the earnings measures, revenue and cash taxes). */
const NON_NEGATIVE: readonly (keyof CreditFigures)[] = [
  'interest_expense',
  'cash_interest',
  'scheduled_principal',
  'total_debt',
  'senior_debt',
  'cash',
  'current_assets',
  'current_liabilities',
  'capex',
  'rent',
  'collateral_value',
];

function invalid(field: string, value: unknown, why: string): MeridianError {
  return new MeridianError('INVALID_INPUT', `${field}: ${String(value)} ${why}`, { field, value });
}

/**
 * Throws INVALID_INPUT unless every figure is a finite number (collateral may
 * be null), costs and balances are ≥ 0 and floating_rate_share is in 0..1.
 * Fractional cents are accepted (see the module note).
 */
export function assertFigures(figures: CreditFigures, path = 'figures'): void {
  if (figures === null || typeof figures !== 'object') throw invalid(path, figures, 'is not a set of figures');
  for (const field of CREDIT_FIGURE_FIELDS) {
    const v: unknown = figures[field];
    if (field === 'collateral_value' && v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${path}.${field}`, v, 'is not a finite number');
  }
  for (const field of NON_NEGATIVE) {
    const v = figures[field];
    if (v !== null && v < 0) throw invalid(`${path}.${field}`, v, 'must not be negative');
  }
  const share = figures.floating_rate_share;
  if (share < 0 || share > 1) throw invalid(`${path}.floating_rate_share`, share, 'must be between 0 and 1');
}

/** Just the figures of a statement (drops borrower, period and currency). */
export function pickFigures(source: CreditFigures): CreditFigures {
  const out = {} as Record<keyof CreditFigures, number | null>;
  for (const field of CREDIT_FIGURE_FIELDS) out[field] = source[field];
  return out as CreditFigures;
}

/**
 * The figures of an annual-basis statement (FY or LTM). Throws INVALID_INPUT
 * for a quarter: leverage on one quarter's EBITDA is four times too high;
 * build an LTM from four quarters first (trends.ltmFromQuarters).
 */
export function annualFigures(statement: FinancialStatement): CreditFigures {
  if (statement.period_type === 'Q') {
    throw new MeridianError(
      'INVALID_INPUT',
      `statement ${statement.borrower_id} ${statement.period_end} is a quarter: credit ratios need an annual basis (FY or LTM); build an LTM from four quarters`,
      { field: 'period_type', value: statement.period_type },
    );
  }
  const figures = pickFigures(statement);
  assertFigures(figures, 'statement');
  return figures;
}

function result(value: number | null, reason: NotMeaningfulReason | null, limit: RatioLimit | null, numerator: number | null, denominator: number | null): RatioResult {
  return { value: value === null ? null : value + 0, reason, limit, numerator, denominator };
}

/** A lower-is-better ratio (debt over earnings or value). `numerator` is ≥ 0. */
export function lowerBetterRatio(numerator: number, denominator: number | null): RatioResult {
  if (denominator === null) return result(null, 'missing_input', null, numerator, null);
  if (numerator <= 0) return result(0, null, null, numerator, denominator);
  if (denominator === 0) return result(null, 'zero_denominator', 'worst', numerator, denominator);
  if (denominator < 0) return result(null, 'negative_denominator', 'worst', numerator, denominator);
  return result(numerator / denominator, null, null, numerator, denominator);
}

/**
 * A higher-is-better ratio. `negativeIsNm`: a negative numerator over a
 * positive denominator is "not meaningful" (coverage ratios) rather than a
 * negative value (FFO ÷ debt).
 */
export function higherBetterRatio(numerator: number, denominator: number, negativeIsNm: boolean): RatioResult {
  if (denominator === 0) return result(null, 'zero_denominator', numerator > 0 ? 'best' : 'worst', numerator, denominator);
  if (denominator < 0) return result(null, 'negative_denominator', 'worst', numerator, denominator);
  if (negativeIsNm && numerator < 0) return result(null, 'negative_numerator', 'worst', numerator, denominator);
  return result(numerator / denominator, null, null, numerator, denominator);
}

/** Net debt = total_debt − cash (cents; negative = net cash). Net leverage floors it at 0. */
export function netDebt(f: CreditFigures): number {
  return f.total_debt - f.cash;
}

/** Funds from operations = EBITDA − cash interest − cash taxes. */
export function ffo(f: CreditFigures): number {
  return f.ebitda - f.cash_interest - f.cash_taxes;
}

/** Fixed charges = cash interest + scheduled principal + rent. */
export function fixedCharges(f: CreditFigures): number {
  return f.cash_interest + f.scheduled_principal + f.rent;
}

/** Debt service = cash interest + scheduled principal. */
export function debtService(f: CreditFigures): number {
  return f.cash_interest + f.scheduled_principal;
}

/** One ratio of the figures (no input check: computeRatios checks). */
export function computeRatio(key: RatioKey, f: CreditFigures): RatioResult {
  switch (key) {
    case 'total_leverage':
      return lowerBetterRatio(f.total_debt, f.ebitda);
    case 'net_leverage':
      return lowerBetterRatio(Math.max(netDebt(f), 0), f.ebitda);
    case 'senior_leverage':
      return lowerBetterRatio(f.senior_debt, f.ebitda);
    case 'interest_coverage':
      return higherBetterRatio(f.ebitda, f.interest_expense, true);
    case 'ebit_interest_coverage':
      return higherBetterRatio(f.ebit, f.interest_expense, true);
    case 'ebita_interest_coverage':
      return higherBetterRatio(f.ebita, f.interest_expense, true);
    case 'fixed_charge_coverage':
      return higherBetterRatio(f.ebitda + f.rent - f.capex - f.cash_taxes, fixedCharges(f), true);
    case 'dscr':
      return higherBetterRatio(f.ebitda - f.capex - f.cash_taxes, debtService(f), true);
    case 'ltv':
      return lowerBetterRatio(f.total_debt, f.collateral_value);
    case 'current_ratio':
      return higherBetterRatio(f.current_assets, f.current_liabilities, false);
    case 'ffo_to_debt':
      return higherBetterRatio(ffo(f), f.total_debt, false);
  }
}

/** Every ratio of an annual-basis set of figures. Throws INVALID_INPUT on bad figures. */
export function computeRatios(figures: CreditFigures): RatioSet {
  assertFigures(figures);
  const out = {} as Record<RatioKey, RatioResult>;
  for (const key of RATIO_KEYS) out[key] = computeRatio(key, figures);
  return out;
}

/** The plain values (null when not meaningful), e.g. for a grid or a chart. */
export function ratioValues(ratios: RatioSet): Record<RatioKey, number | null> {
  const out = {} as Record<RatioKey, number | null>;
  for (const key of RATIO_KEYS) out[key] = ratios[key].value;
  return out;
}

/** Ratios whose value moves with EBITDA (the ones an EBITDA decline can breach). */
export const EBITDA_SENSITIVE: ReadonlySet<RatioKey> = new Set<RatioKey>([
  'total_leverage',
  'net_leverage',
  'senior_leverage',
  'interest_coverage',
  'ebit_interest_coverage',
  'ebita_interest_coverage',
  'fixed_charge_coverage',
  'dscr',
  'ffo_to_debt',
]);
