/**
 * The credit workspace's writes: the credit mutations of
 * shared/mutators/credit.ts, run through the contract's `mutate` (locally
 * at once, then synced). Ids of new records are made here (UUIDv7), so a
 * replay on the server creates the same records.
 */
import { newId } from '../../../../shared/ids';
import { pickFigures } from '../../../../shared/finance/credit';
import type { CovenantRow, FinancialStatementRow, RatingOverride, ScorecardMethodology } from '../../../../shared/domain/credit';
import { mutate } from '../../lib/mutate';
import { GRID_DECLINES, GRID_SHOCKS_BP, covenantTerms, type AnnualPeriod } from './model';

/** Saves one statement with its edited figures; refused if someone changed it since it was read. */
export async function saveStatement(s: FinancialStatementRow): Promise<unknown> {
  return (
    await mutate('upsertFinancialStatement', {
      id: s.id,
      borrowerId: s.borrower_id,
      periodEnd: s.period_end,
      periodType: s.period_type,
      currency: s.currency,
      figures: pickFigures(s),
      ...(s.version > 0 ? { expectedVersion: s.version } : {}),
    })
  ).result;
}

export interface SaveVersionInput {
  borrowerId: string;
  period: AnnualPeriod;
  covenants: CovenantRow[];
  methodology: ScorecardMethodology;
  recommendation: string;
  override: RatingOverride | null;
}

/**
 * Saves the next analysis version of a borrower: the inputs as the workspace
 * shows them (statement, covenants, methodology, the heatmap's grid, the
 * override) are frozen; the mutator computes the outputs from them.
 */
export async function saveAnalysisVersion(v: SaveVersionInput): Promise<{ id: string }> {
  const id = newId();
  await mutate('saveCreditAnalysis', {
    id,
    borrowerId: v.borrowerId,
    statementId: v.period.statementId,
    recommendation: v.recommendation,
    inputs: {
      statement: v.period.statement,
      covenants: covenantTerms(v.covenants),
      methodology: v.methodology,
      scenarios: [],
      grid: { ebitda_declines: [...GRID_DECLINES], rate_shocks_bp: [...GRID_SHOCKS_BP] },
      override: v.override,
    },
  });
  return { id };
}

/** Adds a comment to an analysis version (comments are never edited or deleted). */
export async function addComment(analysisId: string, body: string): Promise<{ id: string }> {
  const id = newId();
  await mutate('addCreditComment', { id, analysisId, body });
  return { id };
}
