import type { Covenant, CreditFigures, FinancialStatement } from '../../../shared/domain/credit';
import { pickFigures } from '../../../shared/finance/credit/ratios';
import { MeridianError } from '../../../shared/errors';

/**
 * The worked example of docs/credit.md: Harbor Components, LTM to 2024-12-31,
 * USD. Amounts in cents (USD 40,000,000.00 EBITDA = 4_000_000_000).
 */
export const HARBOR: FinancialStatement = {
  borrower_id: 'harbor',
  period_end: '2024-12-31',
  period_type: 'LTM',
  currency: 'USD',
  revenue: 25_000_000_000,
  ebitda: 4_000_000_000,
  ebit: 2_800_000_000,
  ebita: 3_100_000_000,
  interest_expense: 1_600_000_000,
  cash_interest: 1_400_000_000,
  scheduled_principal: 200_000_000,
  total_debt: 20_000_000_000,
  senior_debt: 15_000_000_000,
  cash: 2_000_000_000,
  current_assets: 6_000_000_000,
  current_liabilities: 4_000_000_000,
  capex: 600_000_000,
  cash_taxes: 400_000_000,
  rent: 500_000_000,
  collateral_value: 40_000_000_000,
  floating_rate_share: 0.8,
};

export const HARBOR_FIGURES: CreditFigures = pickFigures(HARBOR);

function covenant(id: string, metric: Covenant['metric'], operator: Covenant['operator'], threshold: number): Covenant {
  return {
    id,
    borrower_id: 'harbor',
    facility: 'Unitranche term loan',
    metric,
    operator,
    threshold,
    test_frequency: 'quarterly',
    cure_rights_note: 'Equity cure: 2 in any 4 consecutive quarters, 5 over the life',
    effective_from: null,
    effective_to: null,
  };
}

/** Harbor's maintenance covenants. */
export const HARBOR_COVENANTS: Covenant[] = [
  covenant('cov-lev', 'total_leverage', 'max', 6),
  covenant('cov-senior', 'senior_leverage', 'max', 4.5),
  covenant('cov-ic', 'interest_coverage', 'min', 2),
  covenant('cov-fccr', 'fixed_charge_coverage', 'min', 1.25),
];

export { covenant };

/** Strong Co: every default-methodology factor lands inside a known band (weighted score 7.5 → 'bb'). */
export const STRONG: CreditFigures = {
  revenue: 60_000_000_000,
  ebitda: 10_000_000_000,
  ebit: 7_000_000_000,
  ebita: 8_000_000_000,
  interest_expense: 2_000_000_000,
  cash_interest: 1_900_000_000,
  scheduled_principal: 1_100_000_000,
  total_debt: 35_000_000_000,
  senior_debt: 30_000_000_000,
  cash: 3_000_000_000,
  current_assets: 8_000_000_000,
  current_liabilities: 5_000_000_000,
  capex: 1_500_000_000,
  cash_taxes: 1_000_000_000,
  rent: 500_000_000,
  collateral_value: 87_500_000_000,
  floating_rate_share: 1,
};

/** The MeridianError code `fn` throws, 'NO_ERROR' when it returns, 'OTHER' for any other throw. */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof MeridianError ? e.code : 'OTHER';
  }
  return 'NO_ERROR';
}
