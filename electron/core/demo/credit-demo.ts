/**
 * Credit demo data (issue 7): three borrowers among the demo's lending deals
 * with financial statements and covenants, the firm's scorecard methodology
 * stored as revision 1, and one saved analysis version, so the credit
 * workspace has something to show on first run (docs/demo-data.md, docs/credit.md).
 *
 * - a steady borrower: two fiscal years (docs/credit.md's Harbor figures for
 *   the latest), four maintenance covenants, all passing, one analysis;
 * - a quarterly reporter: four quarters (the LTM is built from them), a
 *   leverage covenant with 10 % headroom and a DSCR covenant;
 * - a stretched borrower: 7.0x leverage, breaching its covenants.
 *
 * Pure planning: the steps run through Workstation.mutate like every demo step.
 */
import { REPORT_GRID } from '../../../shared/api/credit-views';
import { DEFAULT_METHODOLOGY, operatorFor, type Covenant, type CreditFigures, type RatioKey } from '../../../shared/domain/credit';
import { newId } from '../../../shared/ids';
import type { PlannedStep } from './plan';

const M = (millions: number) => Math.round(millions * 100_000_000);

function figures(f: Omit<CreditFigures, 'collateral_value'> & { collateral_value: number | null }): CreditFigures {
  return f;
}

/** docs/credit.md's Harbor example (USD millions). */
const STEADY_LATEST = figures({
  revenue: M(250), ebitda: M(40), ebit: M(28), ebita: M(31), interest_expense: M(16), cash_interest: M(14), scheduled_principal: M(2),
  total_debt: M(200), senior_debt: M(150), cash: M(20), current_assets: M(60), current_liabilities: M(40), capex: M(6), cash_taxes: M(4), rent: M(5),
  collateral_value: M(400), floating_rate_share: 0.8,
});
const STEADY_PRIOR = figures({
  revenue: M(230), ebitda: M(36), ebit: M(25), ebita: M(28), interest_expense: M(15), cash_interest: M(13), scheduled_principal: M(2),
  total_debt: M(205), senior_debt: M(155), cash: M(15), current_assets: M(55), current_liabilities: M(38), capex: M(5.5), cash_taxes: M(3.5), rent: M(5),
  collateral_value: M(380), floating_rate_share: 0.8,
});
const QUARTER = (ebitda: number, debt: number) =>
  figures({
    revenue: M(30), ebitda: M(ebitda), ebit: M(ebitda - 1.5), ebita: M(ebitda - 1), interest_expense: M(1.5), cash_interest: M(1.4), scheduled_principal: M(0.5),
    total_debt: M(debt), senior_debt: M(debt - 20), cash: M(10), current_assets: M(25), current_liabilities: M(18), capex: M(0.8), cash_taxes: M(0.4), rent: M(0.3),
    collateral_value: null, floating_rate_share: 0.6,
  });
const STRETCHED = figures({
  revenue: M(120), ebitda: M(15), ebit: M(9), ebita: M(10), interest_expense: M(11), cash_interest: M(10), scheduled_principal: M(1.5),
  total_debt: M(105), senior_debt: M(80), cash: M(4), current_assets: M(20), current_liabilities: M(22), capex: M(3), cash_taxes: M(0.5), rent: M(1),
  collateral_value: M(110), floating_rate_share: 1,
});

const DEBT_TYPES = new Set(['senior_debt', 'unitranche', 'mezzanine']);

/** Quarter ends (Mar 31, Jun 30, Sep 30, Dec 31) strictly before `today`, the latest four, oldest first. */
function lastFourQuarterEnds(today: string): string[] {
  const ends: string[] = [];
  let year = Number(today.slice(0, 4));
  const all = (y: number) => [`${y}-03-31`, `${y}-06-30`, `${y}-09-30`, `${y}-12-31`];
  while (ends.length < 4) {
    for (const d of all(year).reverse()) if (d < today && ends.length < 4) ends.push(d);
    year--;
  }
  return ends.reverse();
}

/**
 * The credit steps for a planned demo: borrowers are the first deals the
 * plan lends to (senior, unitranche or mezzanine allocations), else its
 * first deals. Returns [] when the plan has fewer than three deals.
 */
export function planCreditDemo(steps: readonly PlannedStep[], today: string): PlannedStep[] {
  const deals = steps.filter((s) => s.name === 'createDeal').map((s) => s.args as { id: string; name: string });
  const lent = [...new Set(steps.filter((s) => s.name === 'createAllocation' && DEBT_TYPES.has(String(s.args.securityType))).map((s) => String(s.args.dealId)))];
  const ids = [...lent, ...deals.map((d) => d.id).filter((id) => !lent.includes(id))].slice(0, 3);
  if (ids.length < 3) return [];
  const [steady, quarterly, stretched] = ids as [string, string, string];
  const out: PlannedStep[] = [];
  let seq = 1_000_000;
  const add = (name: PlannedStep['name'], args: Record<string, unknown>) => out.push({ date: today, order: 99, seq: seq++, name, args });

  const year = Number(today.slice(0, 4)) - 1;
  const fyLatest = `${year}-12-31`;
  const statement = (borrowerId: string, periodEnd: string, periodType: 'FY' | 'Q', f: CreditFigures, id = newId()) =>
    add('upsertFinancialStatement', { id, borrowerId, periodEnd, periodType, currency: 'USD', figures: f });
  const covenants: Covenant[] = [];
  const covenant = (borrowerId: string, metric: RatioKey, threshold: number, facility: string) => {
    const c: Covenant = {
      id: newId(), borrower_id: borrowerId, facility, metric, operator: operatorFor(metric), threshold, test_frequency: 'quarterly',
      cure_rights_note: 'Equity cure: up to 2 in any 4 consecutive quarters, 5 over the life of the loan', effective_from: null, effective_to: null,
    };
    covenants.push(c);
    add('upsertCovenant', { id: c.id, borrowerId, facility, metric, threshold, testFrequency: 'quarterly', cureRightsNote: c.cure_rights_note });
  };

  add('saveScorecardMethodology', { id: newId(), methodology: DEFAULT_METHODOLOGY });

  statement(steady, `${year - 1}-12-31`, 'FY', STEADY_PRIOR);
  const steadyStatementId = newId();
  statement(steady, fyLatest, 'FY', STEADY_LATEST, steadyStatementId);
  covenant(steady, 'total_leverage', 6, 'Unitranche term loan');
  covenant(steady, 'senior_leverage', 4.5, 'Unitranche term loan');
  covenant(steady, 'interest_coverage', 2, 'Unitranche term loan');
  covenant(steady, 'fixed_charge_coverage', 1.25, 'Unitranche term loan');

  lastFourQuarterEnds(today).forEach((end, i) => statement(quarterly, end, 'Q', QUARTER([5, 5.2, 4.8, 5][i]!, [92, 91.5, 91, 90][i]!)));
  covenant(quarterly, 'total_leverage', 5, 'Senior term loan B');
  covenant(quarterly, 'dscr', 1.1, 'Senior term loan B');

  statement(stretched, fyLatest, 'FY', STRETCHED);
  covenant(stretched, 'total_leverage', 6.5, 'Second-lien term loan');
  covenant(stretched, 'interest_coverage', 1.5, 'Second-lien term loan');

  add('saveCreditAnalysis', {
    id: newId(),
    borrowerId: steady,
    statementId: steadyStatementId,
    recommendation: 'Approve. Leverage of 5.0x sits inside the 6.0x covenant with 17 % headroom; a 20 % EBITDA fall with rates 200 bp higher would breach every maintenance covenant, so monitor quarterly.',
    inputs: {
      statement: { borrower_id: steady, period_end: fyLatest, period_type: 'FY', currency: 'USD', ...STEADY_LATEST },
      covenants: covenants.filter((c) => c.borrower_id === steady),
      methodology: DEFAULT_METHODOLOGY,
      scenarios: [{ label: 'Downside: EBITDA −20 %, +200 bp', ebitda_decline: 0.2, rate_shock_bp: 200 }],
      grid: { ebitda_declines: [...REPORT_GRID.ebitda_declines], rate_shocks_bp: [...REPORT_GRID.rate_shocks_bp] },
      override: null,
    },
  });
  return out;
}
