/**
 * `meridian credit report --borrower ID [--as-of DATE] [--ebitda-shock PCT]
 * [--rate-shock-bp BP] [--json]` and `meridian import financials FILE`
 * (issue 7; docs/credit.md §9).
 *
 * --json prints the report object exactly as shared/api/credit-views.ts
 * defines it (snake_case, money in integer cents), so scripts and the memo
 * renderer read one shape; the human output is a set of aligned tables.
 */
import type { Command } from 'commander';
import type { CreditReport } from '../../../../shared/api/credit-views';
import { FRACTION_RATIOS, RATIO_DIRECTION, RATIO_KEYS, type RatioKey, type RatioResult } from '../../../../shared/domain/credit';
import { formatMoney } from '../../../../shared/money';
import { importFinancials } from '../../../core/credit/import-financials';
import { creditReport } from '../../../core/credit/report';
import { withWorkstation, type GlobalOptions } from '../context';
import { printJson, problemLine, table } from '../output';
import { UsageError } from '../usage';

const RATIO_LABEL: Record<RatioKey, string> = {
  total_leverage: 'Total leverage (debt ÷ EBITDA)',
  net_leverage: 'Net leverage',
  senior_leverage: 'Senior leverage',
  interest_coverage: 'EBITDA ÷ interest',
  ebit_interest_coverage: 'EBIT ÷ interest',
  ebita_interest_coverage: 'EBITA ÷ interest',
  fixed_charge_coverage: 'Fixed-charge coverage',
  dscr: 'DSCR',
  ltv: 'LTV',
  current_ratio: 'Current ratio',
  ffo_to_debt: 'FFO ÷ debt',
};


const pct = (v: number | null, digits = 1) => (v === null ? 'n/a' : `${(v * 100).toFixed(digits)}%`);

function ratioText(key: RatioKey, r: RatioResult | undefined): string {
  if (!r) return '';
  if (r.value === null) return r.limit ? `n.m. (${r.limit})` : 'n/a';
  return FRACTION_RATIOS.has(key) ? pct(r.value) : `${r.value.toFixed(2)}x`;
}

function thresholdText(key: RatioKey, t: number): string {
  return FRACTION_RATIOS.has(key) ? pct(t) : `${t.toFixed(2)}x`;
}

/** Parses a number option or throws a usage error naming it. */
function numberOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} must be a number, got "${text}"`);
  return n;
}

function printReport(r: CreditReport): void {
  const money = (c: number | null) => (c === null ? 'n/a' : formatMoney(c, r.currency));
  const b = r.basis;
  console.log(`credit report — ${r.borrower.name} (${r.borrower.id})${r.borrower.sector ? `, ${r.borrower.sector}` : ''}`);
  console.log(
    `basis: ${b.period_type} ${b.period_end}${b.source === 'ltm_from_quarters' ? ` (LTM built from quarters ${b.quarters.join(', ')})` : ''}; as of ${r.as_of}; ${r.currency}; methodology ${r.methodology.name} v${r.methodology.version}${r.methodology.stored ? '' : ' (default)'}`,
  );
  const shocked = r.stress.scenario.ebitda_decline !== 0 || r.stress.scenario.rate_shock_bp !== 0;
  const d = r.stress.scenario.ebitda_decline;
  const stressLabel = `stressed (EBITDA ${d >= 0 ? '−' : '+'}${(Math.abs(d) * 100).toFixed(1)}%, +${r.stress.scenario.rate_shock_bp}bp)`;

  console.log('\nfigures');
  const figureRows = (['revenue', 'ebitda', 'ebit', 'interest_expense', 'cash_interest', 'scheduled_principal', 'total_debt', 'senior_debt', 'cash', 'capex', 'cash_taxes', 'rent', 'collateral_value'] as const).map(
    (f) => ({ figure: f, base: money(r.figures[f]), ...(shocked ? { stressed: money(r.stress.figures[f]) } : {}) }),
  );
  console.log(table(figureRows, ['figure', 'base', ...(shocked ? ['stressed'] : [])]));

  console.log('\nratios');
  const shown = r.periods.slice(-4);
  const periodCols = shown.map((p) => `${p.period_type} ${p.period_end}`);
  const ratioRows = RATIO_KEYS.map((k) => {
    const row: Record<string, string> = { ratio: RATIO_LABEL[k] };
    shown.forEach((p, i) => (row[periodCols[i]!] = ratioText(k, p.ratios[k])));
    if (shocked) row[stressLabel] = ratioText(k, r.stress.ratios[k]);
    row.better = RATIO_DIRECTION[k] === 'lower_better' ? 'lower' : 'higher';
    return row;
  });
  console.log(table(ratioRows, ['ratio', ...periodCols, ...(shocked ? [stressLabel] : []), 'better']));

  console.log('\ncovenants');
  if (r.covenants.length === 0) console.log('(none in force)');
  else {
    const stressed = new Map(r.stress.covenants.map((t) => [t.covenant_id, t]));
    const rows = r.covenants.map((t) => {
      const s = stressed.get(t.covenant_id);
      return {
        facility: t.facility,
        test: `${RATIO_LABEL[t.metric]} ${t.operator === 'max' ? '≤' : '≥'} ${thresholdText(t.metric, t.threshold)}`,
        actual: ratioText(t.metric, { value: t.actual, reason: t.reason, limit: null, numerator: null, denominator: null }),
        status: t.status,
        headroom: pct(t.headroom),
        'EBITDA decline to breach': t.ebitda_decline_to_breach === null ? (t.decline_reason ?? 'n/a') : pct(t.ebitda_decline_to_breach),
        ...(shocked && s ? { stressed: `${s.status} ${pct(s.headroom)}` } : {}),
      };
    });
    console.log(table(rows, ['facility', 'test', 'actual', 'status', 'headroom', 'EBITDA decline to breach', ...(shocked ? ['stressed'] : [])]));
  }

  console.log('\nscorecard');
  const sc = r.scorecard;
  console.log(
    table(
      sc.factors.map((f) => ({
        factor: f.label,
        value: ratioText(f.metric, { value: f.value, reason: f.reason, limit: null, numerator: null, denominator: null }),
        score: f.score === null ? 'n/a' : String(f.score),
        weight: pct(f.applied_weight),
        contribution: f.contribution.toFixed(3),
      })),
      ['factor', 'value', 'score', 'weight', 'contribution'],
    ),
  );
  console.log(`weighted score ${sc.weighted_score.toFixed(2)} → rating ${sc.model_rating} (risk rating ${sc.model_risk_rating}), one-year PD ${pct(sc.model_pd, 2)}`);
  if (r.latest_analysis) {
    const a = r.latest_analysis;
    console.log(`latest saved analysis: version ${a.analysis_version} (${a.period_end}) final rating ${a.final_rating}${a.rating_override ? ` (override of ${a.model_rating}: ${a.override_reason})` : ''}, by ${a.created_by} at ${a.created_at}`);
  }
  const breaches = r.grid.cells.flat().filter((c) => c.breach_count > 0);
  if (r.covenants.length) {
    const first = breaches[0];
    console.log(
      first
        ? `stress grid: first breach at EBITDA −${(first.ebitda_decline * 100).toFixed(0)}% / +${first.rate_shock_bp}bp (${breaches.length} of ${r.grid.cells.flat().length} scenarios breach)`
        : 'stress grid: no covenant breaks up to EBITDA −30% and +300bp',
    );
  }
  for (const n of r.notes) console.log(`note: ${n}`);
}

export function registerCreditCommands(program: Command, globals: () => GlobalOptions) {
  const credit = program.command('credit').description('credit analysis of borrowers (deals): reports');
  credit
    .command('report')
    .description('ratios, covenant tests with headroom, stressed figures and the scorecard rating of a borrower')
    .requiredOption('--borrower <id>', 'borrower (deal) id')
    .option('--as-of <date>', 'use periods ending on or before this date YYYY-MM-DD')
    .option('--ebitda-shock <pct>', 'EBITDA decline in percent (20 = down 20 %)')
    .option('--rate-shock-bp <bp>', 'floating-rate rise in basis points')
    .option('--json', 'the report object (shared/api/credit-views.ts: snake_case, money in cents)')
    .action(async (o: { borrower: string; asOf?: string; ebitdaShock?: string; rateShockBp?: string; json?: boolean }) => {
      const ebitdaShockPct = numberOption('--ebitda-shock', o.ebitdaShock);
      const rateShockBp = numberOption('--rate-shock-bp', o.rateShockBp);
      if (rateShockBp !== undefined && rateShockBp < 0) throw new UsageError('--rate-shock-bp must not be negative (rate cuts are not modelled: loan floors)');
      await withWorkstation(globals(), async (ws) => {
        const report = creditReport(ws.db.raw, { borrowerId: o.borrower, asOf: o.asOf, ebitdaShockPct, rateShockBp });
        if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printReport(report);
      });
    });

  // `meridian import financials FILE`: a subcommand of the existing `import`
  // (commander dispatches to it before the generic kinds). The parent's
  // --skip-invalid and --json are read with optsWithGlobals().
  const importCommand = program.commands.find((c) => c.name() === 'import');
  if (!importCommand) throw new Error('registerCreditCommands must run after the import command is registered');
  importCommand
    .command('financials')
    .description('import borrower financial statements (docs/credit.md); they sync through the outbox')
    .argument('<file>', 'CSV file (UTF-8, header row)')
    .option('--skip-invalid', 'import the valid rows and report the others')
    .option('--json', 'machine-readable output')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ skipInvalid?: boolean; json?: boolean }>();
      await withWorkstation(globals(), async (ws) => {
        const report = await ws.writes.run(() => importFinancials(ws.db, file, { actor: ws.actor, skipInvalid: o.skipInvalid ?? false }));
        if (o.json) printJson(report, new Set());
        else {
          console.log(
            `imported ${report.imported} of ${report.rows} financials rows from ${file}${report.skipped ? `, skipped ${report.skipped}` : ''}${report.unchanged ? ` (${report.unchanged} unchanged)` : ''}; ${report.mutations} change(s) queued for sync`,
          );
          for (const p of report.problems) console.error(problemLine(p));
        }
      });
    });
}
