/**
 * One credit analysis end to end: from the inputs snapshot an analysis
 * version stores (statement, covenants, methodology, scenarios, grid,
 * override) to its outputs (ratios, covenant tests, scenario results, grid,
 * scorecard). Recomputing a stored version's inputs gives its outputs again.
 */
import {
  creditAnalysisInputsSchema,
  type CreditAnalysisInputs,
  type CreditAnalysisOutputs,
} from '../../domain/credit';
import { MeridianError } from '../../errors';
import { testCovenants } from './covenants';
import { annualFigures, computeRatios } from './ratios';
import { scoreRatios } from './scorecard';
import { runScenario, scenarioGrid } from './stress';

/**
 * Validates the inputs and computes every output. Covenants of another
 * borrower are refused; covenants not in force at the statement's period end
 * are left out. Throws INVALID_INPUT (with every schema problem) or the
 * errors of the steps (e.g. a quarterly statement).
 */
export function runCreditAnalysis(inputs: CreditAnalysisInputs): CreditAnalysisOutputs {
  const parsed = creditAnalysisInputsSchema.safeParse(inputs);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ code: 'INVALID_INPUT' as const, message: `${i.path.join('.')}: ${i.message}`, path: i.path.join('.') }));
    throw new MeridianError('INVALID_INPUT', `invalid credit analysis inputs: ${problems.map((p) => p.message).join('; ')}`, {}, problems);
  }
  const { statement, methodology, scenarios, grid, override } = parsed.data;
  const figures = annualFigures(statement);
  for (const c of parsed.data.covenants) {
    if (c.borrower_id !== statement.borrower_id) {
      throw new MeridianError('INVALID_INPUT', `covenant ${c.id} belongs to borrower ${c.borrower_id}, not ${statement.borrower_id}`, {
        field: 'covenants',
        value: c.id,
      });
    }
  }
  const covenants = parsed.data.covenants;
  const ratios = computeRatios(figures);
  const inForce = testCovenants(figures, covenants, { periodEnd: statement.period_end, ratios });
  const forceIds = new Set(inForce.map((t) => t.covenant_id));
  const applicable = covenants.filter((c) => forceIds.has(c.id));
  return {
    ratios,
    covenants: inForce,
    scenarios: scenarios.map((s) => runScenario(figures, applicable, s)),
    grid: grid === null ? null : scenarioGrid(figures, applicable, grid.ebitda_declines, grid.rate_shocks_bp),
    scorecard: scoreRatios(ratios, methodology, override),
  };
}
