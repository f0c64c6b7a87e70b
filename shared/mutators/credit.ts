/**
 * Credit mutations (issue 7; docs/credit.md §9): financial statements and
 * covenants (editable data), scorecard methodology revisions, analysis
 * versions and comments (insert-only: CREDIT_INSERT_ONLY). Written once
 * against the mutator context, so they run on the client's SQLite and on
 * the server's PostgreSQL unchanged. A borrower is a deal.
 */
import type { z } from 'zod';
import { CREDIT_FIGURE_FIELDS, operatorFor, type CreditFigures, type FinancialStatementRow } from '../domain/credit';
import { MeridianError } from '../errors';
import { runCreditAnalysis } from '../finance/credit/analysis';
import type {
  addCreditCommentArgs,
  deleteCovenantArgs,
  deleteFinancialStatementArgs,
  importFinancialStatementsArgs,
  saveCreditAnalysisArgs,
  saveScorecardMethodologyArgs,
  upsertCovenantArgs,
  upsertFinancialStatementArgs,
} from './credit-args';
import type { MutationContext } from './context';
import { getRow, insertRow, updateRow } from './writer';

type StatementInput = Omit<z.infer<typeof upsertFinancialStatementArgs>, 'expectedVersion'>;

function sameFigures(row: FinancialStatementRow, figures: CreditFigures, currency: string): boolean {
  return row.currency === currency && CREDIT_FIGURE_FIELDS.every((f) => row[f] === figures[f]);
}

/** Upserts one statement by its period key; returns the row and whether anything was written. */
async function writeStatement(ctx: MutationContext, s: StatementInput, expectedVersion?: number): Promise<{ row: FinancialStatementRow; written: boolean }> {
  await getRow(ctx, 'deal', s.borrowerId);
  // The unique key covers soft-deleted rows too: a deleted period is revived, keeping its id.
  const existing = await ctx.db
    .selectFrom('financial_statement')
    .selectAll()
    .where('borrower_id', '=', s.borrowerId)
    .where('period_end', '=', s.periodEnd)
    .where('period_type', '=', s.periodType)
    .executeTakeFirst();
  const figures = Object.fromEntries(CREDIT_FIGURE_FIELDS.map((f) => [f, s.figures[f]])) as CreditFigures;
  if (!existing) {
    const row = await insertRow(ctx, 'financial_statement', {
      id: s.id,
      borrower_id: s.borrowerId,
      period_end: s.periodEnd,
      period_type: s.periodType,
      currency: s.currency,
      ...figures,
    });
    return { row, written: true };
  }
  await ctx.lockRow('financial_statement', existing.id);
  if (expectedVersion !== undefined && existing.deleted_at === null) await ctx.checkVersion('financial_statement', existing, expectedVersion);
  if (existing.deleted_at === null && sameFigures(existing, figures, s.currency)) return { row: existing, written: false };
  const patch = { currency: s.currency, ...figures, ...(existing.deleted_at !== null ? { deleted_at: null } : {}) };
  const row = await updateRow(ctx, 'financial_statement', existing, patch as Partial<FinancialStatementRow>);
  return { row, written: true };
}

export async function upsertFinancialStatement(ctx: MutationContext, args: z.infer<typeof upsertFinancialStatementArgs>) {
  const { expectedVersion, ...s } = args;
  return (await writeStatement(ctx, s, expectedVersion)).row;
}

/** The CSV import's mutation: every statement or none; rows identical to the stored ones are left alone. */
export async function importFinancialStatements(ctx: MutationContext, args: z.infer<typeof importFinancialStatementsArgs>) {
  const seen = new Map<string, number>();
  args.statements.forEach((s, i) => {
    const key = `${s.borrowerId}\u0000${s.periodEnd}\u0000${s.periodType}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new MeridianError('DUPLICATE', `statements ${first} and ${i} are both ${s.periodType} ${s.periodEnd} of borrower ${s.borrowerId}`, {
        path: `statements.${i}`,
        firstIndex: first,
      });
    }
    seen.set(key, i);
  });
  let written = 0;
  for (const s of args.statements) if ((await writeStatement(ctx, s)).written) written++;
  return { statements: args.statements.length, written };
}

export async function deleteFinancialStatement(ctx: MutationContext, args: z.infer<typeof deleteFinancialStatementArgs>) {
  await ctx.lockRow('financial_statement', args.id);
  const row = await getRow(ctx, 'financial_statement', args.id);
  await ctx.checkVersion('financial_statement', row, args.expectedVersion);
  return updateRow(ctx, 'financial_statement', row, {}, 'delete');
}

export async function upsertCovenant(ctx: MutationContext, args: z.infer<typeof upsertCovenantArgs>) {
  await getRow(ctx, 'deal', args.borrowerId);
  const fields = {
    borrower_id: args.borrowerId,
    facility: args.facility,
    metric: args.metric,
    operator: args.operator ?? operatorFor(args.metric),
    threshold: args.threshold,
    test_frequency: args.testFrequency,
    cure_rights_note: args.cureRightsNote,
    effective_from: args.effectiveFrom,
    effective_to: args.effectiveTo,
  };
  const existing = await ctx.db.selectFrom('covenant').selectAll().where('id', '=', args.id).executeTakeFirst();
  if (!existing) return insertRow(ctx, 'covenant', { id: args.id, ...fields });
  if (existing.deleted_at !== null) throw new MeridianError('NOT_FOUND', `covenant ${args.id} was deleted`, { entity: 'covenant', id: args.id });
  if (existing.borrower_id !== args.borrowerId) {
    throw new MeridianError('INVALID_INPUT', `covenant ${args.id} belongs to borrower ${existing.borrower_id}, not ${args.borrowerId}`, { path: 'borrowerId' });
  }
  await ctx.lockRow('covenant', args.id);
  if (args.expectedVersion !== undefined) await ctx.checkVersion('covenant', existing, args.expectedVersion);
  return updateRow(ctx, 'covenant', existing, fields);
}

export async function deleteCovenant(ctx: MutationContext, args: z.infer<typeof deleteCovenantArgs>) {
  await ctx.lockRow('covenant', args.id);
  const row = await getRow(ctx, 'covenant', args.id);
  await ctx.checkVersion('covenant', row, args.expectedVersion);
  return updateRow(ctx, 'covenant', row, {}, 'delete');
}

export async function saveScorecardMethodology(ctx: MutationContext, args: z.infer<typeof saveScorecardMethodologyArgs>) {
  const m = args.methodology;
  const last = await ctx.db
    .selectFrom('scorecard_methodology')
    .select('revision')
    .where('methodology_id', '=', m.id)
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
  const revision = Number(last?.revision ?? 0) + 1;
  const body = { ...m, version: revision };
  return insertRow(ctx, 'scorecard_methodology', {
    id: args.id,
    methodology_id: m.id,
    revision,
    name: m.name,
    effective_from: m.effective_from,
    body: JSON.stringify(body),
  });
}

/** Next analysis version of a borrower where the mutation runs (the server's numbering is final). */
async function nextAnalysisVersion(ctx: MutationContext, borrowerId: string): Promise<number> {
  const last = await ctx.db
    .selectFrom('credit_analysis')
    .select('analysis_version')
    .where('borrower_id', '=', borrowerId)
    .orderBy('analysis_version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return Number(last?.analysis_version ?? 0) + 1;
}

export async function saveCreditAnalysis(ctx: MutationContext, args: z.infer<typeof saveCreditAnalysisArgs>) {
  await getRow(ctx, 'deal', args.borrowerId);
  if (args.statementId !== null) {
    const st = await getRow(ctx, 'financial_statement', args.statementId);
    if (st.borrower_id !== args.borrowerId) {
      throw new MeridianError('INVALID_INPUT', `statement ${args.statementId} belongs to borrower ${st.borrower_id}, not ${args.borrowerId}`, { path: 'statementId' });
    }
  }
  const outputs = runCreditAnalysis(args.inputs);
  const sc = outputs.scorecard;
  return insertRow(ctx, 'credit_analysis', {
    id: args.id,
    borrower_id: args.borrowerId,
    analysis_version: await nextAnalysisVersion(ctx, args.borrowerId),
    statement_id: args.statementId,
    period_end: args.inputs.statement.period_end,
    methodology_id: args.inputs.methodology.id,
    methodology_version: args.inputs.methodology.version,
    inputs: JSON.stringify(args.inputs),
    outputs: JSON.stringify(outputs),
    scorecard: JSON.stringify(sc),
    recommendation: args.recommendation,
    model_rating: sc.model_rating,
    rating_override: sc.override?.rating ?? null,
    override_reason: sc.override?.reason ?? null,
    final_rating: sc.final_rating,
    created_at: ctx.now,
    created_by: ctx.actor.userId,
  });
}

export async function addCreditComment(ctx: MutationContext, args: z.infer<typeof addCreditCommentArgs>) {
  const analysis = await getRow(ctx, 'credit_analysis', args.analysisId);
  return insertRow(ctx, 'credit_comment', {
    id: args.id,
    analysis_id: analysis.id,
    borrower_id: analysis.borrower_id,
    analysis_version: analysis.analysis_version,
    author: ctx.actor.userId,
    body: args.body,
    created_at: ctx.now,
  });
}
