/**
 * `meridian export`: every document and CSV export (docs/reports.md §7).
 *
 *   meridian export <fund-report|capital-call-notice|lp-statement|credit-memo> [--fund ID] [--id ID]
 *       [--investor ID] [--borrower ID] [--as-of DATE] --format pdf --out FILE
 *   meridian export <allocations|capital-call|capital-calls|payments|lp-statement|financials>
 *       --format csv --out FILE [--bom]
 *
 * Both go through electron/core/reports/report-api.ts (the same code as the
 * UI's save dialog): a job, written to a temporary name and renamed. Ctrl-C
 * cancels the job and leaves no file.
 */
import type { Command } from 'commander';
import { CSV_EXPORT_KINDS, REPORT_KINDS, type CsvExportKind, type ReportKind } from '../../../../shared/api/report-contract';
import { parseCents } from '../../../../shared/money';
import { reportApi } from '../../../core/reports/report-api';
import { withWorkstation, type GlobalOptions } from '../context';
import { printJson } from '../output';
import { UsageError } from '../usage';

interface ExportOptions {
  fund?: string;
  id?: string;
  investor?: string;
  borrower?: string;
  asOf?: string;
  from?: string;
  index?: string;
  fees?: string;
  managementFees?: string;
  fundExpenses?: string;
  other?: string;
  format?: string;
  out: string;
  bom?: boolean;
  json?: boolean;
}

const ALL_KINDS = [...new Set<string>([...REPORT_KINDS, ...CSV_EXPORT_KINDS])];
const isPdfKind = (k: string): k is ReportKind => (REPORT_KINDS as readonly string[]).includes(k);
const isCsvKind = (k: string): k is CsvExportKind => (CSV_EXPORT_KINDS as readonly string[]).includes(k);

/** The format asked for, or the kind's only one (lp-statement has both: csv unless --format pdf). */
function formatFor(kind: string, format: string | undefined): 'pdf' | 'csv' {
  const f = format ?? (isCsvKind(kind) ? 'csv' : 'pdf');
  if (f !== 'pdf' && f !== 'csv') throw new UsageError(`format "${f}" is not supported (pdf or csv)`);
  if (f === 'pdf' && !isPdfKind(kind)) throw new UsageError(`format "pdf" is not supported for ${kind} (csv)`);
  if (f === 'csv' && !isCsvKind(kind)) throw new UsageError(`format "csv" is not supported for ${kind} (pdf)`);
  return f;
}

const cents = (v: string | undefined, flag: string) => (v === undefined ? undefined : parseCents(v, flag));

export function registerExportCommands(program: Command, globals: () => GlobalOptions) {
  program
    .command('export')
    .description(`export a PDF document (${REPORT_KINDS.join(', ')}) or a CSV file (${CSV_EXPORT_KINDS.join(', ')})`)
    .argument('<kind>', ALL_KINDS.join('|'))
    .option('--fund <id>', 'fund id (fund-report, lp-statement; filter for allocations, capital-calls, payments)')
    .option('--id <id>', 'capital call id (capital-call-notice, capital-call)')
    .option('--investor <id>', 'investor id (lp-statement PDF; capital-call-notice: one LP, default every LP)')
    .option('--borrower <id>', 'borrower (deal) id (credit-memo; filter for financials)')
    .option('--as-of <date>', 'as-of date YYYY-MM-DD; lp-statement: last day of the period (default: today)')
    .option('--from <date>', 'lp-statement: first day of the period (default: start of the as-of quarter)')
    .option('--index <name>', 'fund-report: benchmark index for the PME figures')
    .option('--fees <amount>', 'lp-statement: fees charged to the LP in the period')
    .option('--management-fees <amount>', 'capital-call-notice: the part of the call for management fees')
    .option('--fund-expenses <amount>', 'capital-call-notice: the part of the call for fund expenses')
    .option('--other <amount>', 'capital-call-notice: the part of the call for other purposes')
    .option('--format <format>', 'pdf or csv (default: the kind’s format; csv for lp-statement)')
    .option('--bom', 'CSV: start the file with a UTF-8 byte order mark (for Excel)')
    .requiredOption('--out <file>', 'output file')
    .option('--json', 'machine-readable output')
    .action(async (kind: string, o: ExportOptions) => {
      if (!ALL_KINDS.includes(kind)) throw new UsageError(`unknown export kind "${kind}" (expected ${ALL_KINDS.join(', ')})`);
      const format = formatFor(kind, o.format);
      if (kind === 'capital-call' && !o.id) throw new UsageError('export capital-call needs --id');
      await withWorkstation(globals(), async (ws) => {
        const api = reportApi(ws);
        // Ctrl-C cancels the running job: the temporary file is removed and nothing is left.
        const onSigint = () => {
          for (const id of running) ws.jobs.cancel(id);
        };
        const running = new Set<string>();
        const onProgress = (p: { jobId: string; state: string }) => (p.state === 'running' ? running.add(p.jobId) : running.delete(p.jobId));
        ws.jobs.on('progress', onProgress);
        process.once('SIGINT', onSigint);
        try {
          if (format === 'pdf') {
            const purposes =
              o.managementFees || o.fundExpenses || o.other
                ? { managementFees: cents(o.managementFees, 'management-fees'), fundExpenses: cents(o.fundExpenses, 'fund-expenses'), other: cents(o.other, 'other') }
                : undefined;
            const r = await api.saveReport({
              kind: kind as ReportKind,
              file: o.out,
              fundId: o.fund,
              id: o.id,
              investorId: o.investor,
              borrowerId: o.borrower,
              asOf: o.asOf,
              from: o.from,
              index: o.index,
              purposes,
              fees: cents(o.fees, 'fees'),
            });
            if (o.json) printJson(r, new Set());
            else console.log(`wrote ${r.pages} page${r.pages === 1 ? '' : 's'} to ${r.file}`);
          } else {
            const r = await api.saveCsvExport({
              kind: kind as CsvExportKind,
              file: o.out,
              fundId: o.fund,
              id: o.id,
              borrowerId: o.borrower,
              asOf: o.asOf,
              from: o.from,
              bom: o.bom ?? false,
            });
            if (o.json) printJson({ rows: r.rows, file: r.file }, new Set());
            else console.log(`wrote ${r.rows} rows to ${r.file}`);
          }
        } finally {
          process.off('SIGINT', onSigint);
          ws.jobs.off('progress', onProgress);
        }
      });
    });
}
