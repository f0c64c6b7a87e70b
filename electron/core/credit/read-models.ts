/**
 * Credit read models over the local SQLite database (issue 7): statements,
 * covenants, the methodology in force, analysis versions and comments, and
 * the three views of shared/api/credit-contract.ts (borrower list,
 * workspace, one analysis). Only live rows (deleted_at IS NULL).
 */
import type Database from 'better-sqlite3';
import type {
  CreditAnalysisSummaryView,
  CreditAnalysisView,
  CreditBorrowerView,
  CreditWorkspaceView,
} from '../../../shared/api/credit-contract';
import {
  covenantSchema,
  creditAnalysisInputsSchema,
  creditAnalysisOutputsSchema,
  DEFAULT_METHODOLOGY,
  parseMethodologyRow,
  scorecardResultSchema,
  type Covenant,
  type CovenantRow,
  type CreditAnalysisRow,
  type CreditCommentRow,
  type FinancialStatement,
  type FinancialStatementRow,
  type ScorecardMethodology,
  type ScorecardMethodologyRow,
} from '../../../shared/domain/credit';
import type { DealRow } from '../../../shared/domain/entities';
import { MeridianError } from '../../../shared/errors';

export type Db = Database.Database;

/** The borrower (a live deal), or NOT_FOUND. */
export function getBorrower(db: Db, borrowerId: string): DealRow {
  const row = db.prepare<[string], DealRow>('SELECT * FROM deal WHERE id = ? AND deleted_at IS NULL').get(borrowerId);
  if (!row) throw new MeridianError('NOT_FOUND', `Borrower (deal) ${borrowerId} does not exist.`, { entity: 'deal', id: borrowerId });
  return row;
}

/** A borrower's statements, oldest period first (FY before LTM before Q on the same date). */
export function listStatements(db: Db, borrowerId: string): FinancialStatementRow[] {
  return db
    .prepare<[string], FinancialStatementRow>(
      `SELECT * FROM financial_statement WHERE borrower_id = ? AND deleted_at IS NULL
       ORDER BY period_end, CASE period_type WHEN 'FY' THEN 0 WHEN 'LTM' THEN 1 ELSE 2 END`,
    )
    .all(borrowerId);
}

/** A borrower's covenants, by facility then metric. */
export function listCovenants(db: Db, borrowerId: string): CovenantRow[] {
  return db
    .prepare<[string], CovenantRow>('SELECT * FROM covenant WHERE borrower_id = ? AND deleted_at IS NULL ORDER BY facility, metric, effective_from, id')
    .all(borrowerId);
}

/** Every stored methodology revision, newest first. */
export function listMethodologies(db: Db): ScorecardMethodologyRow[] {
  return db
    .prepare<[], ScorecardMethodologyRow>('SELECT * FROM scorecard_methodology WHERE deleted_at IS NULL ORDER BY effective_from DESC, revision DESC, id')
    .all();
}

/**
 * The methodology in force: the stored revision with the latest
 * effective_from (then the highest revision), or the firm's default when
 * none is stored. A stored body that does not parse is an error, never a
 * silent fallback.
 */
export function methodologyInForce(db: Db): { methodology: ScorecardMethodology; stored: boolean } {
  const row = listMethodologies(db)[0];
  if (!row) return { methodology: DEFAULT_METHODOLOGY, stored: false };
  try {
    return { methodology: parseMethodologyRow(row), stored: true };
  } catch (e) {
    throw new MeridianError('INVALID_INPUT', `Stored scorecard methodology ${row.methodology_id} revision ${row.revision} is invalid: ${e instanceof Error ? e.message : String(e)}`, {
      id: row.id,
    });
  }
}

/** A borrower's analysis versions, newest first. */
export function listAnalyses(db: Db, borrowerId: string): CreditAnalysisRow[] {
  return db
    .prepare<[string], CreditAnalysisRow>('SELECT * FROM credit_analysis WHERE borrower_id = ? AND deleted_at IS NULL ORDER BY analysis_version DESC')
    .all(borrowerId);
}

/** Comments on a borrower's analyses (or on one analysis), oldest first. */
export function listComments(db: Db, borrowerId: string, analysisId?: string): CreditCommentRow[] {
  const sql = `SELECT * FROM credit_comment WHERE borrower_id = ? AND deleted_at IS NULL ${analysisId ? 'AND analysis_id = ?' : ''}
    ORDER BY created_at, id`;
  return db.prepare<unknown[], CreditCommentRow>(sql).all(...(analysisId ? [borrowerId, analysisId] : [borrowerId]));
}

/** A stored statement as the finance layer's FinancialStatement (no row bookkeeping). */
export function toStatement(row: FinancialStatementRow): FinancialStatement {
  const { id: _id, version: _v, updated_at: _u, updated_by: _b, deleted_at: _d, ...statement } = row;
  return statement;
}

/** A stored covenant as the finance layer's Covenant. */
export function toCovenant(row: CovenantRow): Covenant {
  return covenantSchema.parse({
    id: row.id,
    borrower_id: row.borrower_id,
    facility: row.facility,
    metric: row.metric,
    operator: row.operator,
    threshold: row.threshold,
    test_frequency: row.test_frequency,
    cure_rights_note: row.cure_rights_note,
    effective_from: row.effective_from,
    effective_to: row.effective_to,
  });
}

function summary(row: CreditAnalysisRow, commentCount: number): CreditAnalysisSummaryView {
  const { inputs: _i, outputs: _o, scorecard, ...rest } = row;
  let weightedScore: number | null = null;
  let finalPd: number | null = null;
  try {
    const sc = scorecardResultSchema.parse(JSON.parse(scorecard));
    weightedScore = sc.weighted_score;
    finalPd = sc.final_pd;
  } catch {
    // A version written by a newer program: listed without its score.
  }
  return { ...rest, weightedScore, finalPd, commentCount };
}

/** Every borrower (live deal) with its latest credit position, by name. */
export function listCreditBorrowers(db: Db): CreditBorrowerView[] {
  type Row = {
    id: string;
    name: string;
    sector: string;
    statement_count: number;
    latest_period_end: string | null;
    currency: string | null;
    covenant_count: number;
    analysis_count: number;
    latest_version: number | null;
    final_rating: string | null;
    last_analysed_at: string | null;
  };
  const rows = db
    .prepare<[], Row>(
      `SELECT d.id, d.name, d.sector,
         (SELECT count(*) FROM financial_statement s WHERE s.borrower_id = d.id AND s.deleted_at IS NULL) AS statement_count,
         (SELECT max(period_end) FROM financial_statement s WHERE s.borrower_id = d.id AND s.deleted_at IS NULL) AS latest_period_end,
         (SELECT currency FROM financial_statement s WHERE s.borrower_id = d.id AND s.deleted_at IS NULL ORDER BY period_end DESC LIMIT 1) AS currency,
         (SELECT count(*) FROM covenant c WHERE c.borrower_id = d.id AND c.deleted_at IS NULL) AS covenant_count,
         (SELECT count(*) FROM credit_analysis a WHERE a.borrower_id = d.id AND a.deleted_at IS NULL) AS analysis_count,
         a.analysis_version AS latest_version, a.final_rating, a.created_at AS last_analysed_at
       FROM deal d
       LEFT JOIN credit_analysis a ON a.borrower_id = d.id AND a.deleted_at IS NULL
         AND a.analysis_version = (SELECT max(analysis_version) FROM credit_analysis x WHERE x.borrower_id = d.id AND x.deleted_at IS NULL)
       WHERE d.deleted_at IS NULL
       ORDER BY d.name, d.id`,
    )
    .all();
  return rows.map((r) => ({
    borrowerId: r.id,
    name: r.name,
    sector: r.sector,
    currency: r.currency,
    statementCount: r.statement_count,
    latestPeriodEnd: r.latest_period_end,
    covenantCount: r.covenant_count,
    analysisCount: r.analysis_count,
    latestVersion: r.latest_version,
    finalRating: r.final_rating,
    lastAnalysedAt: r.last_analysed_at,
  }));
}

/** Everything the credit workspace shows for one borrower. */
export function creditWorkspace(db: Db, borrowerId: string): CreditWorkspaceView {
  const deal = getBorrower(db, borrowerId);
  const comments = listComments(db, borrowerId);
  const perAnalysis = new Map<string, number>();
  for (const c of comments) perAnalysis.set(c.analysis_id, (perAnalysis.get(c.analysis_id) ?? 0) + 1);
  return {
    borrower: { id: deal.id, name: deal.name, sector: deal.sector },
    statements: listStatements(db, borrowerId),
    covenants: listCovenants(db, borrowerId),
    methodology: methodologyInForce(db).methodology,
    analyses: listAnalyses(db, borrowerId).map((a) => summary(a, perAnalysis.get(a.id) ?? 0)),
    comments,
  };
}

/** One analysis version with its frozen inputs, outputs and scorecard parsed. */
export function getCreditAnalysis(db: Db, analysisId: string): CreditAnalysisView {
  const row = db.prepare<[string], CreditAnalysisRow>('SELECT * FROM credit_analysis WHERE id = ? AND deleted_at IS NULL').get(analysisId);
  if (!row) throw new MeridianError('NOT_FOUND', `Credit analysis ${analysisId} does not exist.`, { entity: 'credit_analysis', id: analysisId });
  try {
    return {
      ...row,
      inputs: creditAnalysisInputsSchema.parse(JSON.parse(row.inputs)),
      outputs: creditAnalysisOutputsSchema.parse(JSON.parse(row.outputs)),
      scorecard: scorecardResultSchema.parse(JSON.parse(row.scorecard)),
    };
  } catch (e) {
    throw new MeridianError('INVALID_INPUT', `Credit analysis ${analysisId} (version ${row.analysis_version}) cannot be read: ${e instanceof Error ? e.message : String(e)}`, {
      id: analysisId,
    });
  }
}

/** The analysis version `version` of a borrower (NOT_FOUND when absent). */
export function getCreditAnalysisByVersion(db: Db, borrowerId: string, version: number): CreditAnalysisView {
  const row = db
    .prepare<[string, number], { id: string }>('SELECT id FROM credit_analysis WHERE borrower_id = ? AND analysis_version = ? AND deleted_at IS NULL')
    .get(borrowerId, version);
  if (!row) throw new MeridianError('NOT_FOUND', `Borrower ${borrowerId} has no analysis version ${version}.`, { borrowerId, version });
  return getCreditAnalysis(db, row.id);
}
