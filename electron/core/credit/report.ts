/**
 * The credit report of one borrower (shared/api/credit-views.ts): ratios per
 * annual-basis period, covenant tests with headroom and the EBITDA decline
 * to breach, the requested stress, the standard stress grid and the
 * scorecard. Pure reads plus the shared finance code; nothing is written.
 *
 * Basis: the latest FY or LTM period ending on or before `asOf` (all
 * periods when not given). LTMs are also built from four consecutive stored
 * quarters; on the same period end a stored statement wins over a built
 * LTM, and a stored LTM over a stored FY.
 */
import { creditReportOptionsSchema, REPORT_GRID, type CreditReport, type CreditReportOptions, type CreditReportPeriod } from '../../../shared/api/credit-views';
import { isBusinessDate } from '../../../shared/dates';
import { type FinancialStatement } from '../../../shared/domain/credit';
import { MeridianError } from '../../../shared/errors';
import { computeRatios, creditTrend, pickFigures, rollingLtm, runScenario, scenarioGrid, scoreRatios, testCovenants } from '../../../shared/finance/credit';
import { parseOrThrow } from '../../../shared/validation';
import { getBorrower, listAnalyses, listCovenants, listStatements, methodologyInForce, toCovenant, toStatement, type Db } from './read-models';

export interface Candidate {
  statement: FinancialStatement;
  source: 'statement' | 'ltm_from_quarters';
  statementId: string | null;
  quarters: string[];
  /** Lower wins on the same period end. */
  rank: number;
}

/** Annual-basis candidates up to asOf, one per period end, oldest first. */
export function annualPeriods(db: Db, borrowerId: string, asOf: string | undefined, notes: string[]): Candidate[] {
  const rows = listStatements(db, borrowerId).filter((r) => asOf === undefined || r.period_end <= asOf);
  const byEnd = new Map<string, Candidate>();
  const offer = (c: Candidate) => {
    const cur = byEnd.get(c.statement.period_end);
    if (!cur || c.rank < cur.rank) byEnd.set(c.statement.period_end, c);
  };
  for (const r of rows) {
    if (r.period_type === 'Q') continue;
    offer({ statement: toStatement(r), source: 'statement', statementId: r.id, quarters: [], rank: r.period_type === 'LTM' ? 0 : 1 });
  }
  const quarters = rows.filter((r) => r.period_type === 'Q').map(toStatement);
  if (quarters.length >= 4) {
    try {
      for (const ltm of rollingLtm(quarters)) {
        const end = ltm.period_end;
        const used = quarters.filter((q) => q.period_end <= end).slice(-4).map((q) => q.period_end);
        offer({ statement: ltm, source: 'ltm_from_quarters', statementId: null, quarters: used, rank: 2 });
      }
    } catch (e) {
      notes.push(`LTMs could not be built from the quarterly statements: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else if (quarters.length > 0) {
    notes.push(`${quarters.length} quarterly statement(s) stored: an LTM needs four consecutive quarters.`);
  }
  return [...byEnd.values()].sort((a, b) => (a.statement.period_end < b.statement.period_end ? -1 : 1));
}

/** Builds the report; throws NOT_FOUND (no such borrower), INSUFFICIENT_DATA (no annual-basis period) or INVALID_INPUT. */
export function creditReport(db: Db, options: CreditReportOptions): CreditReport {
  const opts = parseOrThrow(creditReportOptionsSchema, options, 'credit report options');
  if (opts.asOf !== undefined && !isBusinessDate(opts.asOf)) {
    throw new MeridianError('INVALID_DATE', `as-of date "${opts.asOf}" is not a valid date YYYY-MM-DD`, { path: 'asOf', value: opts.asOf });
  }
  const deal = getBorrower(db, opts.borrowerId);
  const notes: string[] = [];
  let periods = annualPeriods(db, deal.id, opts.asOf, notes);
  if (periods.length === 0) {
    throw new MeridianError(
      'INSUFFICIENT_DATA',
      `Borrower ${deal.name} (${deal.id}) has no FY or LTM statement${opts.asOf ? ` ending on or before ${opts.asOf}` : ''} and no four consecutive quarters to build one; import them with "meridian import financials FILE".`,
      { borrowerId: deal.id, asOf: opts.asOf ?? null },
    );
  }
  const basis = periods[periods.length - 1]!;
  const currency = basis.statement.currency;
  const other = periods.filter((p) => p.statement.currency !== currency);
  if (other.length) {
    notes.push(`${other.length} period(s) reported in another currency than ${currency} are left out of the trend.`);
    periods = periods.filter((p) => p.statement.currency === currency);
  }
  const trend = creditTrend(periods.map((p) => p.statement));
  const reportPeriods: CreditReportPeriod[] = trend.points.map((pt, i) => ({
    period_end: pt.period_end,
    period_type: pt.period_type,
    source: periods[i]!.source,
    figures: pt.figures,
    ratios: pt.ratios,
    ebitda_margin: pt.ebitda_margin,
    revenue_growth: pt.revenue_growth,
    ebitda_growth: pt.ebitda_growth,
  }));

  const figures = pickFigures(basis.statement);
  const ratios = computeRatios(figures);
  const covenantRows = listCovenants(db, deal.id);
  const covenants = covenantRows.map(toCovenant);
  const tests = testCovenants(figures, covenants, { periodEnd: basis.statement.period_end, ratios });
  const inForce = new Set(tests.map((t) => t.covenant_id));
  const applicable = covenants.filter((c) => inForce.has(c.id));
  const byId = new Map(covenants.map((c) => [c.id, c]));
  if (covenants.length > applicable.length) {
    notes.push(`${covenants.length - applicable.length} covenant(s) not in force at ${basis.statement.period_end} are not tested.`);
  }

  const scenario = { ebitda_decline: (opts.ebitdaShockPct ?? 0) / 100, rate_shock_bp: opts.rateShockBp ?? 0 };
  const { methodology, stored } = methodologyInForce(db);
  const scorecard = scoreRatios(ratios, methodology, null);
  for (const f of scorecard.factors) {
    if (f.basis === 'missing_excluded') notes.push(`Scorecard factor "${f.label}" has no value (missing input); the other weights were scaled up.`);
    if (f.basis === 'missing_worst') notes.push(`Scorecard factor "${f.label}" has no value (missing input) and scores its worst band.`);
  }
  const latest = listAnalyses(db, deal.id)[0];

  return {
    borrower: { id: deal.id, name: deal.name, sector: deal.sector, country: deal.country },
    as_of: opts.asOf ?? basis.statement.period_end,
    currency,
    basis: {
      source: basis.source,
      statement_id: basis.statementId,
      period_end: basis.statement.period_end,
      period_type: basis.statement.period_type,
      quarters: basis.quarters,
    },
    figures,
    ratios,
    periods: reportPeriods,
    covenants: tests.map((t) => {
      const c = byId.get(t.covenant_id)!;
      return { ...t, test_frequency: c.test_frequency, cure_rights_note: c.cure_rights_note, effective_from: c.effective_from, effective_to: c.effective_to };
    }),
    stress: runScenario(figures, applicable, scenario),
    grid: scenarioGrid(figures, applicable, REPORT_GRID.ebitda_declines, REPORT_GRID.rate_shocks_bp),
    scorecard,
    methodology: { id: methodology.id, version: methodology.version, name: methodology.name, stored },
    latest_analysis: latest
      ? {
          id: latest.id,
          analysis_version: latest.analysis_version,
          period_end: latest.period_end,
          model_rating: latest.model_rating,
          rating_override: latest.rating_override,
          override_reason: latest.override_reason,
          final_rating: latest.final_rating,
          recommendation: latest.recommendation,
          created_at: latest.created_at,
          created_by: latest.created_by,
        }
      : null,
    notes,
  };
}
