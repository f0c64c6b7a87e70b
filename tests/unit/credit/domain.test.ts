import { describe, expect, it } from 'vitest';
import {
  CREDIT_ENTITY_SCHEMAS,
  DEFAULT_METHODOLOGY,
  covenantRow,
  covenantSchema,
  creditAnalysisRow,
  creditCommentRow,
  financialStatementRow,
  financialStatementSchema,
  parseMethodologyRow,
  scorecardMethodologyRow,
} from '../../../shared/domain/credit';
import { HARBOR, HARBOR_COVENANTS } from './fixtures';

const sync = { version: 1, updated_at: '2025-01-15T10:00:00.000Z', updated_by: 'u1', deleted_at: null };

describe('credit schemas', () => {
  it('accepts a statement and its row', () => {
    expect(financialStatementSchema.parse(HARBOR)).toEqual(HARBOR);
    expect(financialStatementRow.parse({ id: 's1', ...HARBOR, ...sync })).toMatchObject({ id: 's1', ebitda: 4_000_000_000 });
  });

  it('refuses fractional cents, negative debt, senior above total, a share above 1, a bad date', () => {
    expect(financialStatementSchema.safeParse({ ...HARBOR, ebitda: 1.5 }).success).toBe(false);
    expect(financialStatementSchema.safeParse({ ...HARBOR, total_debt: -1 }).success).toBe(false);
    expect(financialStatementSchema.safeParse({ ...HARBOR, senior_debt: HARBOR.total_debt + 1 }).success).toBe(false);
    expect(financialStatementSchema.safeParse({ ...HARBOR, floating_rate_share: 1.01 }).success).toBe(false);
    expect(financialStatementSchema.safeParse({ ...HARBOR, period_end: '2024-02-30' }).success).toBe(false);
    expect(financialStatementSchema.safeParse({ ...HARBOR, period_type: 'H1' }).success).toBe(false);
    expect(financialStatementSchema.safeParse({ ...HARBOR, collateral_value: null }).success).toBe(true);
    expect(financialStatementSchema.safeParse({ ...HARBOR, ebitda: -5, cash_taxes: -3 }).success).toBe(true);
  });

  it('covenants: operator must suit the metric, threshold > 0, step-down dates in order', () => {
    const c = HARBOR_COVENANTS[0]!;
    expect(covenantSchema.parse(c)).toEqual(c);
    expect(covenantRow.parse({ ...c, ...sync })).toMatchObject({ id: 'cov-lev' });
    expect(covenantSchema.safeParse({ ...c, operator: 'min' }).success).toBe(false);
    expect(covenantSchema.safeParse({ ...c, threshold: 0 }).success).toBe(false);
    expect(covenantSchema.safeParse({ ...c, metric: 'ebitda' }).success).toBe(false);
    expect(covenantSchema.safeParse({ ...c, effective_from: '2025-01-01', effective_to: '2024-12-31' }).success).toBe(false);
  });

  it('methodology rows carry the body as JSON and must agree with it', () => {
    const row = { id: 'r1', methodology_id: DEFAULT_METHODOLOGY.id, revision: 1, name: DEFAULT_METHODOLOGY.name, effective_from: '2025-01-01', body: JSON.stringify(DEFAULT_METHODOLOGY), ...sync };
    expect(scorecardMethodologyRow.parse(row)).toEqual(row);
    expect(parseMethodologyRow(row)).toEqual(DEFAULT_METHODOLOGY);
    expect(() => parseMethodologyRow({ ...row, revision: 2 })).toThrow(/does not match/);
  });

  it('analysis rows: an override needs a reason and decides the final rating', () => {
    const row = {
      id: 'a1',
      borrower_id: 'harbor',
      analysis_version: 1,
      statement_id: 's1',
      period_end: '2024-12-31',
      methodology_id: DEFAULT_METHODOLOGY.id,
      methodology_version: 1,
      inputs: '{}',
      outputs: '{}',
      scorecard: '{}',
      recommendation: 'Approve at 5.0x; monitor fixed-charge cover.',
      model_rating: 'b+',
      rating_override: null,
      override_reason: null,
      final_rating: 'b+',
      created_at: '2025-01-15T10:00:00.000Z',
      created_by: 'analyst-1',
      ...sync,
    };
    expect(creditAnalysisRow.safeParse(row).success).toBe(true);
    expect(creditAnalysisRow.safeParse({ ...row, rating_override: 'b', final_rating: 'b' }).success).toBe(false);
    expect(creditAnalysisRow.safeParse({ ...row, rating_override: 'b', override_reason: 'Customer concentration', final_rating: 'b' }).success).toBe(true);
    expect(creditAnalysisRow.safeParse({ ...row, rating_override: 'b', override_reason: 'x', final_rating: 'b+' }).success).toBe(false);
    expect(creditAnalysisRow.safeParse({ ...row, analysis_version: 0 }).success).toBe(false);
  });

  it('comments need an author and a body', () => {
    const c = { id: 'c1', analysis_id: 'a1', borrower_id: 'harbor', analysis_version: 1, author: 'pm-1', body: 'Agree.', created_at: '2025-01-15T10:00:00.000Z', ...sync };
    expect(creditCommentRow.parse(c)).toEqual(c);
    expect(creditCommentRow.safeParse({ ...c, body: '  ' }).success).toBe(false);
  });

  it('every credit table has the sync columns and snake_case columns', () => {
    for (const [name, schema] of Object.entries(CREDIT_ENTITY_SCHEMAS)) {
      expect(name).toMatch(/^[a-z_]+$/);
      const keys = Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape);
      for (const k of ['id', 'version', 'updated_at', 'updated_by', 'deleted_at']) expect(keys).toContain(k);
      for (const k of keys) expect(k).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });
});
