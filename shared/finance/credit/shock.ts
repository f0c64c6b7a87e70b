/**
 * The two shocks of a stress scenario, as pure transforms of a period's
 * figures (used by covenants.ts for the EBITDA decline to breach and by
 * stress.ts for scenarios):
 *
 *   EBITDA decline d (a fraction; 0.2 = 20 %, negative = a rise):
 *     δ = |EBITDA| × d;  EBITDA' = EBITDA − δ;  EBIT' = EBIT − δ;  EBITA' = EBITA − δ.
 *     Measured on |EBITDA| so that "down" lowers a negative EBITDA too.
 *     EBIT and EBITA fall by the same absolute amount: depreciation and
 *     amortisation are fixed charges that do not shrink with earnings.
 *     Revenue, capex, cash taxes, rent, debt, cash and working capital are
 *     unchanged (conservative: no tax shield, no capex cut).
 *   Rate shock y bp (≥ 0):
 *     extra interest = total_debt × floating_rate_share × y ÷ 10,000 (a year),
 *     added to interest_expense and cash_interest.
 *     Cuts are not modelled: loan base-rate floors make them asymmetric.
 *
 * Amounts come out in fractional cents (see ratios.ts).
 */
import type { CreditFigures } from '../../domain/credit';
import { MeridianError } from '../../errors';

function assertFinite(value: number, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MeridianError('INVALID_INPUT', `${field}: ${String(value)} is not a finite number`, { field, value });
  }
}

/** The figures with EBITDA (and EBIT, EBITA by the same amount) down by `decline` × |EBITDA|. */
export function applyEbitdaDecline(figures: CreditFigures, decline: number): CreditFigures {
  assertFinite(decline, 'ebitda_decline');
  if (decline === 0) return { ...figures };
  const delta = Math.abs(figures.ebitda) * decline;
  return {
    ...figures,
    ebitda: figures.ebitda - delta,
    ebit: figures.ebit - delta,
    ebita: figures.ebita - delta,
  };
}

/** Extra annual interest (cents) from floating rates up `bp` basis points. */
export function extraInterest(figures: CreditFigures, bp: number): number {
  assertFinite(bp, 'rate_shock_bp');
  if (bp < 0) {
    throw new MeridianError('INVALID_INPUT', `rate_shock_bp: ${bp} must not be negative (rate cuts are not modelled)`, { field: 'rate_shock_bp', value: bp });
  }
  return (figures.total_debt * figures.floating_rate_share * bp) / 10_000;
}

/** The figures with floating rates up `bp` basis points. */
export function applyRateShock(figures: CreditFigures, bp: number): CreditFigures {
  const extra = extraInterest(figures, bp);
  if (extra === 0) return { ...figures };
  return {
    ...figures,
    interest_expense: figures.interest_expense + extra,
    cash_interest: figures.cash_interest + extra,
  };
}
