/**
 * Contract piece of the credit workspace (issue 7): the reads the renderer
 * needs for a borrower's credit analysis. Writes (financial statements,
 * analysis versions, comments) go through the contract's `mutate` with the
 * credit mutations of shared/mutators/credit.ts, like every other change.
 *
 * Computations that follow an edit at once (ratios, covenant tests, the
 * stress grid, the scorecard) run in the renderer with shared/finance/credit
 * on the rows returned here: one implementation, no round trip per cell.
 * Saved analysis versions carry their own frozen inputs and outputs.
 *
 * Spread into shared/api/contract.ts (`...creditContractInputs`,
 * `extends CreditContractOutputs`); implemented by
 * electron/hosts/web/credit-api.ts over electron/core/credit/read-models.ts.
 */
import { z } from 'zod';
import { idSchema } from '../domain/primitives';
import type {
  CovenantRow,
  CreditAnalysisInputs,
  CreditAnalysisOutputs,
  CreditAnalysisRow,
  CreditCommentRow,
  FinancialStatementRow,
  ScorecardMethodology,
  ScorecardResult,
} from '../domain/credit';

export const creditContractInputs = {
  /** Every borrower (a deal) with its latest credit position, for the workspace's list. */
  creditBorrowers: z.strictObject({}),
  /** One borrower's statements, covenants, methodology in force, analysis versions and comments. */
  creditWorkspace: z.strictObject({ borrowerId: idSchema }),
  /** One saved analysis version with its frozen inputs and outputs parsed (history and diff). */
  creditAnalysis: z.strictObject({ analysisId: idSchema }),
} as const;

export type CreditContractMethod = keyof typeof creditContractInputs;
export type CreditContractInput<M extends CreditContractMethod> = z.input<(typeof creditContractInputs)[M]>;

/** One row of the borrower list. */
export interface CreditBorrowerView {
  borrowerId: string;
  name: string;
  sector: string;
  /** Currency of the latest statement; null without statements. */
  currency: string | null;
  statementCount: number;
  /** Latest period end over the borrower's statements. */
  latestPeriodEnd: string | null;
  covenantCount: number;
  analysisCount: number;
  /** The latest analysis version, its final rating and when it was saved; null when never analysed. */
  latestVersion: number | null;
  finalRating: string | null;
  lastAnalysedAt: string | null;
}

/** An analysis version without its JSON blobs (history lists). */
export type CreditAnalysisSummaryView = Omit<CreditAnalysisRow, 'inputs' | 'outputs' | 'scorecard'> & {
  /** Weighted score and PD from the stored scorecard (null when it cannot be read). */
  weightedScore: number | null;
  finalPd: number | null;
  commentCount: number;
};

/** An analysis version with its inputs, outputs and scorecard parsed. */
export type CreditAnalysisView = Omit<CreditAnalysisRow, 'inputs' | 'outputs' | 'scorecard'> & {
  inputs: CreditAnalysisInputs;
  outputs: CreditAnalysisOutputs;
  scorecard: ScorecardResult;
};

export interface CreditWorkspaceView {
  borrower: { id: string; name: string; sector: string };
  /** Statements (live rows), oldest period first. */
  statements: FinancialStatementRow[];
  /** Covenants (live rows), by facility then metric. */
  covenants: CovenantRow[];
  /** The scorecard methodology in force (the firm's default when none is stored). */
  methodology: ScorecardMethodology;
  /** Analysis versions, newest first. */
  analyses: CreditAnalysisSummaryView[];
  /** Comments on every version, oldest first. */
  comments: CreditCommentRow[];
}

export interface CreditContractOutputs {
  creditBorrowers: CreditBorrowerView[];
  creditWorkspace: CreditWorkspaceView;
  creditAnalysis: CreditAnalysisView;
}

export type MeridianCreditApi = { [M in CreditContractMethod]: (input: CreditContractInput<M>) => Promise<CreditContractOutputs[M]> };
