/** Shared set-up of the credit integration tests: a workstation with the example borrowers and Harbor's covenants. */
import path from 'node:path';
import { importFinancials } from '../../electron/core/credit/import-financials';
import type { Workstation } from '../../electron/core/workstation';
import type { Actor } from '../../shared/mutators';

export const EXAMPLE_FINANCIALS = path.resolve('docs/examples/financials.csv');

/** The header of docs/examples/financials.csv. */
export const HEADER =
  'borrower_id,period_end,period_type,currency,revenue,ebitda,ebit,ebita,interest_expense,cash_interest,scheduled_principal,total_debt,senior_debt,cash,current_assets,current_liabilities,capex,cash_taxes,rent,collateral_value,floating_rate_share';

/** ACME's LTM 2024 line is docs/credit.md's Harbor example (USD millions). */
export const ACME_LTM = 'ACME,2024-12-31,LTM,USD,250000000.00,40000000.00,28000000.00,31000000.00,16000000.00,14000000.00,2000000.00,200000000.00,150000000.00,20000000.00,60000000.00,40000000.00,6000000.00,4000000.00,5000000.00,400000000.00,0.8';

/** The covenants of docs/credit.md §3 (Harbor) on ACME. */
export const ACME_COVENANTS = [
  { id: 'acme-lev', metric: 'total_leverage', threshold: 6 },
  { id: 'acme-senior', metric: 'senior_leverage', threshold: 4.5 },
  { id: 'acme-ic', metric: 'interest_coverage', threshold: 2 },
  { id: 'acme-fccr', metric: 'fixed_charge_coverage', threshold: 1.25 },
] as const;

export async function seedBorrowers(ws: Workstation): Promise<void> {
  await ws.mutate({ name: 'createDeal', args: { id: 'ACME', name: 'Acme Robotics', sector: 'Industrials', country: 'US' } });
  await ws.mutate({ name: 'createDeal', args: { id: 'DUNE', name: 'Dune Logistics', sector: 'Industrials', country: 'DE' } });
}

export async function seedCredit(ws: Workstation, actor: Actor = ws.actor): Promise<void> {
  await seedBorrowers(ws);
  await importFinancials(ws.db, EXAMPLE_FINANCIALS, { actor });
  for (const c of ACME_COVENANTS) {
    await ws.mutate({
      name: 'upsertCovenant',
      args: { id: c.id, borrowerId: 'ACME', facility: 'Unitranche term loan', metric: c.metric, threshold: c.threshold, cureRightsNote: 'Equity cure: 2 in any 4 quarters' },
    });
  }
}
