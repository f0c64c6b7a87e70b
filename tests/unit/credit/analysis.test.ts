import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY, creditAnalysisOutputsSchema, type CreditAnalysisInputs } from '../../../shared/domain/credit';
import { runCreditAnalysis } from '../../../shared/finance/credit';
import { HARBOR, HARBOR_COVENANTS, errorCode } from './fixtures';

const inputs: CreditAnalysisInputs = {
  statement: HARBOR,
  covenants: HARBOR_COVENANTS,
  methodology: DEFAULT_METHODOLOGY,
  scenarios: [{ label: 'base', ebitda_decline: 0, rate_shock_bp: 0 }, { label: 'downside', ebitda_decline: 0.2, rate_shock_bp: 200 }],
  grid: { ebitda_declines: [0, 0.1, 0.2, 0.3], rate_shocks_bp: [0, 100, 200, 300] },
  override: null,
};

describe('runCreditAnalysis', () => {
  it('computes every output from the inputs snapshot, JSON round-trippable', () => {
    const out = runCreditAnalysis(inputs);
    expect(out.ratios.total_leverage.value).toBe(5);
    expect(out.covenants.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(out.scenarios[1]!.breached_covenant_ids).toHaveLength(4);
    expect(out.grid!.cells).toHaveLength(4);
    expect(out.scorecard).toMatchObject({ model_rating: 'b+', final_rating: 'b+' });
    const stored = JSON.parse(JSON.stringify(out)) as unknown;
    expect(creditAnalysisOutputsSchema.parse(stored)).toEqual(out);
    // recomputing the stored inputs gives the stored outputs
    expect(runCreditAnalysis(JSON.parse(JSON.stringify(inputs)) as CreditAnalysisInputs)).toEqual(out);
  });

  it('applies an override, leaves out covenants not in force, refuses other borrowers and quarters', () => {
    const out = runCreditAnalysis({
      ...inputs,
      covenants: [...HARBOR_COVENANTS, { ...HARBOR_COVENANTS[0]!, id: 'later', threshold: 5.5, effective_from: '2025-01-01' }],
      override: { rating: 'b', reason: 'Sponsor has not supported prior portfolio companies' },
    });
    expect(out.covenants.map((c) => c.covenant_id)).not.toContain('later');
    expect(out.scorecard).toMatchObject({ model_rating: 'b+', final_rating: 'b' });
    expect(errorCode(() => runCreditAnalysis({ ...inputs, covenants: [{ ...HARBOR_COVENANTS[0]!, borrower_id: 'other' }] }))).toBe('INVALID_INPUT');
    expect(errorCode(() => runCreditAnalysis({ ...inputs, statement: { ...HARBOR, period_type: 'Q' } }))).toBe('INVALID_INPUT');
    expect(errorCode(() => runCreditAnalysis({ ...inputs, statement: { ...HARBOR, ebitda: 0.5 } }))).toBe('INVALID_INPUT');
  });
});
