/**
 * Arguments of the credit mutations (issue 7; docs/credit.md §9). Like
 * ./args: camelCase, ids of new records made by the caller so a replay on
 * the server creates the same records. The figures of a statement keep the
 * snake_case names of shared/domain/credit.ts (one definition of each).
 */
import { z } from 'zod';
import {
  creditAnalysisInputsSchema,
  creditFiguresSchema,
  operatorFor,
  periodTypeSchema,
  ratioKeySchema,
  covenantOperatorSchema,
  scorecardMethodologySchema,
  testFrequencySchema,
} from '../domain/credit';
import { businessDateSchema, currencySchema, idSchema, versionSchema } from '../domain/primitives';

/** Most statements in one importFinancialStatements mutation (a larger file becomes several). */
export const MAX_STATEMENTS_PER_IMPORT = 500;
/** Most rows or columns of a stored analysis's scenario grid (keeps a version's JSON small). */
export const MAX_GRID_STEPS = 12;
/** Most scenarios stored with one analysis version. */
export const MAX_SCENARIOS = 20;

const statementFields = {
  borrowerId: idSchema,
  periodEnd: businessDateSchema,
  periodType: periodTypeSchema.default('FY'),
  currency: currencySchema,
  figures: creditFiguresSchema,
};

function seniorWithinTotal(v: { figures: { senior_debt: number; total_debt: number } }, ctx: z.RefinementCtx): void {
  if (v.figures.senior_debt > v.figures.total_debt) {
    ctx.addIssue({ code: 'custom', path: ['figures', 'senior_debt'], message: 'senior_debt must not exceed total_debt' });
  }
}

/**
 * Creates or replaces the statement of (borrowerId, periodEnd, periodType).
 * `id` names a new statement; an existing one for the same period keeps its
 * id. With `expectedVersion` an edit of a row changed since is refused
 * (STALE_VERSION); without it the last writer wins (imports, data entry).
 */
export const upsertFinancialStatementArgs = z
  .strictObject({ id: idSchema, ...statementFields, expectedVersion: versionSchema.optional() })
  .superRefine(seniorWithinTotal);

/** Several statements at once (the CSV import): all or nothing. */
export const importFinancialStatementsArgs = z.strictObject({
  statements: z
    .array(z.strictObject({ id: idSchema, ...statementFields }).superRefine(seniorWithinTotal))
    .min(1)
    .max(MAX_STATEMENTS_PER_IMPORT),
});

export const deleteFinancialStatementArgs = z.strictObject({ id: idSchema, expectedVersion: versionSchema });

/** Creates a covenant (new id) or edits one (existing id). The operator defaults to the metric's only sensible one. */
export const upsertCovenantArgs = z
  .strictObject({
    id: idSchema,
    borrowerId: idSchema,
    facility: z.string().trim().min(1, 'must not be empty').max(200),
    metric: ratioKeySchema,
    operator: covenantOperatorSchema.optional(),
    threshold: z.number().finite().positive('must be greater than zero'),
    testFrequency: testFrequencySchema.default('quarterly'),
    cureRightsNote: z.string().max(2000).default(''),
    effectiveFrom: businessDateSchema.nullable().default(null),
    effectiveTo: businessDateSchema.nullable().default(null),
    expectedVersion: versionSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.operator !== undefined && v.operator !== operatorFor(v.metric)) {
      ctx.addIssue({ code: 'custom', path: ['operator'], message: `a ${v.metric} covenant must be a '${operatorFor(v.metric)}' test` });
    }
    if (v.effectiveFrom !== null && v.effectiveTo !== null && v.effectiveTo < v.effectiveFrom) {
      ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: 'effectiveTo must not be before effectiveFrom' });
    }
  });

export const deleteCovenantArgs = z.strictObject({ id: idSchema, expectedVersion: versionSchema });

/**
 * Publishes a new revision of a scorecard methodology (admin only). The
 * revision number is assigned by the database that runs the mutation (the
 * next one for methodology.id); methodology.version is set to it.
 */
export const saveScorecardMethodologyArgs = z.strictObject({
  /** Row id of the new revision. */
  id: idSchema,
  methodology: scorecardMethodologySchema,
});

/**
 * Saves a new version of a borrower's credit analysis: the inputs snapshot
 * is frozen as given and the outputs are computed from it by the mutator
 * (shared/finance/credit runCreditAnalysis), never taken from the caller.
 * The version number is the next one for the borrower where it runs.
 */
export const saveCreditAnalysisArgs = z
  .strictObject({
    id: idSchema,
    borrowerId: idSchema,
    /** The stored statement the inputs came from (null for an LTM built from quarters or an edited what-if). */
    statementId: idSchema.nullable().default(null),
    inputs: creditAnalysisInputsSchema,
    recommendation: z.string().max(20_000).default(''),
  })
  .superRefine((v, ctx) => {
    if (v.inputs.statement.borrower_id !== v.borrowerId) {
      ctx.addIssue({ code: 'custom', path: ['inputs', 'statement', 'borrower_id'], message: `the statement belongs to ${v.inputs.statement.borrower_id}, not ${v.borrowerId}` });
    }
    if (v.inputs.scenarios.length > MAX_SCENARIOS) {
      ctx.addIssue({ code: 'custom', path: ['inputs', 'scenarios'], message: `at most ${MAX_SCENARIOS} scenarios` });
    }
    const g = v.inputs.grid;
    if (g && (g.ebitda_declines.length > MAX_GRID_STEPS || g.rate_shocks_bp.length > MAX_GRID_STEPS)) {
      ctx.addIssue({ code: 'custom', path: ['inputs', 'grid'], message: `a grid has at most ${MAX_GRID_STEPS} declines and ${MAX_GRID_STEPS} shocks` });
    }
  });

/** A comment on an analysis version (insert-only). */
export const addCreditCommentArgs = z.strictObject({
  id: idSchema,
  analysisId: idSchema,
  body: z.string().trim().min(1, 'must not be empty').max(20_000),
});
