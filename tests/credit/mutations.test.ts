// Credit mutations on a real local SQLite profile (the same mutators the
// server runs): statements, covenants, methodology revisions (admin only),
// insert-only analysis versions and comments, and the read models over them.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAnalysisInputs } from '../../electron/core/credit/analysis-inputs';
import {
  creditWorkspace,
  getCreditAnalysis,
  getCreditAnalysisByVersion,
  listCreditBorrowers,
  listStatements,
  methodologyInForce,
} from '../../electron/core/credit/read-models';
import { applyLocalMutation } from '../../electron/core/local-mutations';
import type { Workstation } from '../../electron/core/workstation';
import { DEFAULT_METHODOLOGY } from '../../shared/domain/credit';
import type { Actor } from '../../shared/mutators';
import { tempWorkstation } from '../helpers/temp-profile';
import { seedCredit } from './fixtures';

let ws: Workstation;
const analyst: Actor = { userId: 'ann', role: 'analyst' };
const admin: Actor = { userId: 'root', role: 'admin' };

const mutate = (actor: Actor, name: string, args: unknown) => applyLocalMutation(ws.db, actor, name, args);
const count = (table: string) => (ws.db.raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

beforeAll(async () => {
  ws = tempWorkstation();
  await seedCredit(ws);
});

describe('financial statements and covenants', () => {
  it('upserts a statement by its period key, with optimistic versions and soft deletes', async () => {
    const before = listStatements(ws.db.raw, 'ACME').find((s) => s.period_type === 'FY')!;
    const figures = Object.fromEntries(Object.entries(before).filter(([k]) => !['id', 'borrower_id', 'period_end', 'period_type', 'currency', 'version', 'updated_at', 'updated_by', 'deleted_at'].includes(k)));
    // A new id for an existing period edits that period's row (it keeps its id).
    await mutate(analyst, 'upsertFinancialStatement', { id: 'other-id', borrowerId: 'ACME', periodEnd: '2023-12-31', periodType: 'FY', currency: 'USD', figures: { ...figures, revenue: 231_000_000_00 }, expectedVersion: 0 });
    const after = listStatements(ws.db.raw, 'ACME').find((s) => s.period_type === 'FY')!;
    expect(after).toMatchObject({ id: before.id, revenue: 231_000_000_00, updated_by: 'ann' });
    await expect(mutate(analyst, 'upsertFinancialStatement', { id: 'x', borrowerId: 'ACME', periodEnd: '2023-12-31', currency: 'USD', figures: { ...figures, senior_debt: figures.total_debt as number + 1 } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(mutate(analyst, 'upsertFinancialStatement', { id: 'x', borrowerId: 'NOPE', periodEnd: '2023-12-31', currency: 'USD', figures })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(mutate(analyst, 'deleteFinancialStatement', { id: before.id, expectedVersion: 7 })).rejects.toMatchObject({ code: 'STALE_VERSION' });
    await mutate(analyst, 'deleteFinancialStatement', { id: before.id, expectedVersion: 0 });
    expect(listStatements(ws.db.raw, 'ACME').map((s) => s.period_type)).toEqual(['LTM']);
    // Re-entering the period revives the deleted row.
    await mutate(analyst, 'upsertFinancialStatement', { id: 'again', borrowerId: 'ACME', periodEnd: '2023-12-31', currency: 'USD', figures });
    expect(listStatements(ws.db.raw, 'ACME').map((s) => [s.id, s.period_type, s.revenue])).toEqual([
      [before.id, 'FY', before.revenue],
      [expect.any(String), 'LTM', 250_000_000_00],
    ]);
  });

  it('validates covenants: the metric decides the operator, and edits check the version', async () => {
    await expect(mutate(analyst, 'upsertCovenant', { id: 'bad', borrowerId: 'ACME', facility: 'TL', metric: 'total_leverage', operator: 'min', threshold: 5 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(mutate(analyst, 'upsertCovenant', { id: 'bad', borrowerId: 'ACME', facility: 'TL', metric: 'dscr', threshold: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const r = await mutate(analyst, 'upsertCovenant', { id: 'acme-dscr', borrowerId: 'ACME', facility: 'Revolver', metric: 'dscr', threshold: 1.2, testFrequency: 'annual' });
    expect(r.result).toMatchObject({ operator: 'min', threshold: 1.2, test_frequency: 'annual', cure_rights_note: '', effective_from: null });
    await mutate(analyst, 'upsertCovenant', { id: 'acme-dscr', borrowerId: 'ACME', facility: 'Revolver', metric: 'dscr', threshold: 1.1, expectedVersion: 0 });
    await expect(mutate(analyst, 'upsertCovenant', { id: 'acme-dscr', borrowerId: 'DUNE', facility: 'Revolver', metric: 'dscr', threshold: 1.1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await mutate(analyst, 'deleteCovenant', { id: 'acme-dscr', expectedVersion: 0 });
    expect(creditWorkspace(ws.db.raw, 'ACME').covenants.map((c) => c.id).sort()).toEqual(['acme-fccr', 'acme-ic', 'acme-lev', 'acme-senior']);
  });
});

describe('scorecard methodology revisions', () => {
  it('are admin-only, numbered by the database, and the latest is in force', async () => {
    const m = { ...DEFAULT_METHODOLOGY, id: 'house', name: 'House scorecard', effective_from: '2025-06-30' };
    await expect(mutate(analyst, 'saveScorecardMethodology', { id: 'm-1', methodology: m })).rejects.toMatchObject({ code: 'ROLE_FORBIDDEN' });
    const bad = { ...m, factors: m.factors.map((f, i) => (i === 0 ? { ...f, weight: 0.3 } : f)) };
    await expect(mutate(admin, 'saveScorecardMethodology', { id: 'm-1', methodology: bad })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await mutate(admin, 'saveScorecardMethodology', { id: 'm-1', methodology: { ...m, version: 7 } });
    await mutate(admin, 'saveScorecardMethodology', { id: 'm-2', methodology: { ...m, name: 'House scorecard (2)' } });
    const inForce = methodologyInForce(ws.db.raw);
    expect(inForce.stored).toBe(true);
    expect(inForce.methodology).toMatchObject({ id: 'house', version: 2, name: 'House scorecard (2)' });
    // Insert-only: the same row id again is refused, the stored revision is untouched.
    await expect(mutate(admin, 'saveScorecardMethodology', { id: 'm-1', methodology: m })).rejects.toMatchObject({ code: 'DUPLICATE' });
    expect(count('scorecard_methodology')).toBe(2);
  });
});

describe('credit analysis versions and comments', () => {
  it('saves insert-only versions 1, 2 with frozen inputs, computed outputs and an override', async () => {
    const first = buildAnalysisInputs(ws.db.raw, { borrowerId: 'ACME', scenarios: [{ label: 'downside', ebitda_decline: 0.2, rate_shock_bp: 200 }] });
    expect(first.statementId).toBe(listStatements(ws.db.raw, 'ACME').find((s) => s.period_type === 'LTM')!.id);
    const v1 = await mutate(analyst, 'saveCreditAnalysis', { id: 'an-1', borrowerId: 'ACME', statementId: first.statementId, inputs: first.inputs, recommendation: 'Approve at 5.0x.' });
    expect(v1.result).toMatchObject({ analysis_version: 1, model_rating: 'b+', final_rating: 'b+', rating_override: null, created_by: 'ann', period_end: '2024-12-31', methodology_id: 'house' });

    const second = buildAnalysisInputs(ws.db.raw, { borrowerId: 'ACME', override: { rating: 'b', reason: 'Customer concentration: top client 40 % of revenue.' }, grid: null });
    await mutate(analyst, 'saveCreditAnalysis', { id: 'an-2', borrowerId: 'ACME', statementId: second.statementId, inputs: second.inputs, recommendation: 'Approve, watch list.' });
    const v2 = getCreditAnalysisByVersion(ws.db.raw, 'ACME', 2);
    expect(v2).toMatchObject({ id: 'an-2', model_rating: 'b+', rating_override: 'b', override_reason: 'Customer concentration: top client 40 % of revenue.', final_rating: 'b' });
    expect(v2.scorecard).toMatchObject({ override_notches: 1, final_pd: 0.0325, model_pd: 0.02 });
    expect(v2.outputs.grid).toBeNull();
    const v1View = getCreditAnalysis(ws.db.raw, 'an-1');
    expect(v1View.outputs.scenarios[0]!.breached_covenant_ids.sort()).toEqual(['acme-fccr', 'acme-ic', 'acme-lev', 'acme-senior']);
    expect(v1View.inputs.statement.ebitda).toBe(40_000_000_00);

    // Insert-only: the same id cannot be written again (no update path exists).
    await expect(mutate(analyst, 'saveCreditAnalysis', { id: 'an-1', borrowerId: 'ACME', inputs: first.inputs })).rejects.toMatchObject({ code: 'DUPLICATE' });
    // Outputs are never taken from the caller; an override needs a reason and a grade of the scale.
    await expect(mutate(analyst, 'saveCreditAnalysis', { id: 'an-x', borrowerId: 'ACME', inputs: first.inputs, outputs: {} })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(mutate(analyst, 'saveCreditAnalysis', { id: 'an-x', borrowerId: 'ACME', inputs: { ...first.inputs, override: { rating: 'b', reason: ' ' } } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(mutate(analyst, 'saveCreditAnalysis', { id: 'an-x', borrowerId: 'ACME', inputs: { ...first.inputs, override: { rating: 'zz', reason: 'why' } } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(mutate(analyst, 'saveCreditAnalysis', { id: 'an-x', borrowerId: 'DUNE', inputs: first.inputs })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(mutate({ userId: 'v', role: 'viewer' }, 'saveCreditAnalysis', { id: 'an-x', borrowerId: 'ACME', inputs: first.inputs })).rejects.toMatchObject({ code: 'ROLE_FORBIDDEN' });
    expect(count('credit_analysis')).toBe(2);
  });

  it('adds comments to a version and lists everything in the workspace views', async () => {
    await mutate(analyst, 'addCreditComment', { id: 'c-1', analysisId: 'an-1', body: 'Why 5.0x and not 4.75x?' });
    await mutate(admin, 'addCreditComment', { id: 'c-2', analysisId: 'an-2', body: 'Agree with the override.' });
    await expect(mutate(analyst, 'addCreditComment', { id: 'c-3', analysisId: 'nope', body: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(mutate(analyst, 'addCreditComment', { id: 'c-3', analysisId: 'an-1', body: '   ' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(mutate(analyst, 'addCreditComment', { id: 'c-1', analysisId: 'an-1', body: 'edited' })).rejects.toMatchObject({ code: 'DUPLICATE' });

    const w = creditWorkspace(ws.db.raw, 'ACME');
    expect(w.borrower).toEqual({ id: 'ACME', name: 'Acme Robotics', sector: 'Industrials' });
    expect(w.analyses.map((a) => [a.analysis_version, a.final_rating, a.commentCount, a.weightedScore, a.finalPd])).toEqual([
      [2, 'b', 1, 5.5, 0.0325],
      [1, 'b+', 1, 5.5, 0.02],
    ]);
    expect(w.comments.map((c) => [c.id, c.author, c.analysis_version, c.body])).toEqual([
      ['c-1', 'ann', 1, 'Why 5.0x and not 4.75x?'],
      ['c-2', 'root', 2, 'Agree with the override.'],
    ]);
    expect(w.methodology.id).toBe('house');
    const list = listCreditBorrowers(ws.db.raw);
    expect(list.find((b) => b.borrowerId === 'ACME')).toMatchObject({ statementCount: 2, covenantCount: 4, analysisCount: 2, latestVersion: 2, finalRating: 'b', currency: 'USD', latestPeriodEnd: '2024-12-31' });
    expect(list.find((b) => b.borrowerId === 'DUNE')).toMatchObject({ statementCount: 4, analysisCount: 0, latestVersion: null, finalRating: null, currency: 'EUR' });
  });
});
