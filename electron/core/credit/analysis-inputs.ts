/**
 * Builds the inputs snapshot of a new analysis version from what is stored
 * for a borrower: the basis period of the credit report (the latest FY or
 * LTM, or an LTM built from quarters), the covenants, the methodology in
 * force, the report's scenario grid and the caller's scenarios and
 * override. The saveCreditAnalysis mutation freezes it and computes the
 * outputs from it.
 */
import { REPORT_GRID } from '../../../shared/api/credit-views';
import type { CreditAnalysisInputs, RatingOverride, StressScenario } from '../../../shared/domain/credit';
import { MeridianError } from '../../../shared/errors';
import { getBorrower, listCovenants, methodologyInForce, toCovenant, type Db } from './read-models';
import { annualPeriods } from './report';

export interface AnalysisInputsRequest {
  borrowerId: string;
  /** Basis: the latest period ending on or before this date (default: the latest). */
  asOf?: string;
  scenarios?: StressScenario[];
  override?: RatingOverride | null;
  /** Stress grid to store (default: the report's 0–30 % × 0–300 bp); null for none. */
  grid?: { ebitda_declines: number[]; rate_shocks_bp: number[] } | null;
}

/** The inputs and the stored statement they came from (null for an LTM built from quarters). */
export function buildAnalysisInputs(db: Db, req: AnalysisInputsRequest): { inputs: CreditAnalysisInputs; statementId: string | null } {
  const deal = getBorrower(db, req.borrowerId);
  const periods = annualPeriods(db, deal.id, req.asOf, []);
  const basis = periods[periods.length - 1];
  if (!basis) {
    throw new MeridianError('INSUFFICIENT_DATA', `Borrower ${deal.name} (${deal.id}) has no FY or LTM statement to analyse${req.asOf ? ` ending on or before ${req.asOf}` : ''}.`, {
      borrowerId: deal.id,
    });
  }
  return {
    statementId: basis.statementId,
    inputs: {
      statement: basis.statement,
      covenants: listCovenants(db, deal.id).map(toCovenant),
      methodology: methodologyInForce(db).methodology,
      scenarios: req.scenarios ?? [],
      grid: req.grid === undefined ? { ebitda_declines: [...REPORT_GRID.ebitda_declines], rate_shocks_bp: [...REPORT_GRID.rate_shocks_bp] } : req.grid,
      override: req.override ?? null,
    },
  };
}
