/**
 * Stress scenarios (DESIGN §4): EBITDA down a fraction, floating rates up
 * some basis points; every ratio and covenant recomputed on the stressed
 * figures, and a grid of scenarios for a heatmap of covenant breaches.
 * The shocks are defined in shock.ts (EBIT and EBITA fall by the same
 * absolute amount as EBITDA; extra interest = total_debt ×
 * floating_rate_share × bp ÷ 10,000, on both interest lines). The two shocks
 * are independent, so their order does not matter.
 */
import {
  CREDIT_FIGURE_FIELDS,
  type CovenantStatus,
  type CreditFigures,
  type RatioSet,
  type ScenarioCell,
  type ScenarioGrid,
  type ScenarioResult,
  type StressScenario,
} from '../../domain/credit';
import { MeridianError } from '../../errors';
import { testCovenants, type CovenantTerms } from './covenants';
import { assertFigures, computeRatios, pickFigures } from './ratios';
import { applyEbitdaDecline, applyRateShock, extraInterest } from './shock';

/** The stressed figures (just the figures, even when given a whole statement), exact (fractional cents). */
export function stressFigures(figures: CreditFigures, scenario: StressScenario): CreditFigures {
  assertFigures(figures);
  return applyEbitdaDecline(applyRateShock(pickFigures(figures), scenario.rate_shock_bp), scenario.ebitda_decline);
}

/** Figures rounded to whole cents (half away from zero) for display and storage. */
export function roundFigures(figures: CreditFigures): CreditFigures {
  const out = { ...figures };
  for (const field of CREDIT_FIGURE_FIELDS) {
    if (field === 'floating_rate_share') continue;
    const v = out[field];
    if (v !== null) out[field] = Math.sign(v) * Math.round(Math.abs(v)) + 0;
  }
  return out;
}

/**
 * Runs one scenario: stressed figures, every ratio and every covenant
 * recomputed on them (covenant headroom and EBITDA decline to breach are
 * then measured from the stressed position).
 */
export function runScenario(figures: CreditFigures, covenants: readonly CovenantTerms[], scenario: StressScenario): ScenarioResult {
  const stressed = stressFigures(figures, scenario);
  const ratios = computeRatios(stressed);
  const tests = testCovenants(stressed, covenants, { ratios });
  return {
    scenario,
    figures: roundFigures(stressed),
    extra_interest: extraInterest(figures, scenario.rate_shock_bp),
    ratios,
    covenants: tests,
    breached_covenant_ids: tests.filter((t) => t.status === 'breach').map((t) => t.covenant_id),
  };
}

function assertAxis(values: readonly number[], field: string, nonNegative: boolean): void {
  if (!Array.isArray(values) || values.length === 0) {
    throw new MeridianError('INVALID_INPUT', `${field}: give at least one value`, { field, value: values });
  }
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || (nonNegative && v < 0)) {
      throw new MeridianError('INVALID_INPUT', `${field}.${i}: ${String(v)} is not a ${nonNegative ? 'non-negative ' : ''}finite number`, {
        field: `${field}.${i}`,
        value: v,
      });
    }
  });
}

/**
 * Every combination of the EBITDA declines (rows, fractions) and rate shocks
 * (columns, bp): cells[i][j] holds the ratios and the covenants breached
 * under decline i and shock j; by_covenant[id][i][j] is that covenant's
 * status, ready for a heatmap.
 */
export function scenarioGrid(
  figures: CreditFigures,
  covenants: readonly CovenantTerms[],
  ebitdaDeclines: readonly number[],
  rateShocksBp: readonly number[],
): ScenarioGrid {
  assertFigures(figures);
  assertAxis(ebitdaDeclines, 'ebitda_declines', false);
  assertAxis(rateShocksBp, 'rate_shocks_bp', true);
  const ids = new Set<string>();
  for (const c of covenants) {
    if (ids.has(c.id)) throw new MeridianError('INVALID_INPUT', `covenant ${c.id} appears twice`, { field: 'covenants', value: c.id });
    ids.add(c.id);
  }
  const byCovenant: Record<string, CovenantStatus[][]> = {};
  for (const c of covenants) byCovenant[c.id] = ebitdaDeclines.map(() => rateShocksBp.map((): CovenantStatus => 'not_tested'));
  const cells: ScenarioCell[][] = ebitdaDeclines.map((decline, i) =>
    rateShocksBp.map((bp, j) => {
      const stressed = applyEbitdaDecline(applyRateShock(figures, bp), decline);
      const ratios: RatioSet = computeRatios(stressed);
      const tests = testCovenants(stressed, covenants, { ratios });
      let minHeadroom: number | null = null;
      const breached: string[] = [];
      for (const t of tests) {
        byCovenant[t.covenant_id]![i]![j] = t.status;
        if (t.status === 'breach') breached.push(t.covenant_id);
        if (t.headroom !== null && (minHeadroom === null || t.headroom < minHeadroom)) minHeadroom = t.headroom;
      }
      return { ebitda_decline: decline, rate_shock_bp: bp, breached_covenant_ids: breached, breach_count: breached.length, min_headroom: minHeadroom, ratios };
    }),
  );
  return { ebitda_declines: [...ebitdaDeclines], rate_shocks_bp: [...rateShocksBp], cells, by_covenant: byCovenant };
}
