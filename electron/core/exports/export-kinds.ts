/**
 * Every CSV export the CLI and the save dialog offer (docs/reports.md §6),
 * on top of export-csv.ts: the same format (RFC 4180, CRLF, optional BOM,
 * amounts as plain decimals, formula injection neutralised), streamed from
 * a prepared statement's iterate() on a read-only connection and written
 * atomically.
 *
 * | kind | rows |
 * |---|---|
 * | allocations | exportAllocationsCsv (imports back: `import allocations`) |
 * | capital-call | one call's LP lines (exportCapitalCallCsv) |
 * | capital-calls | every LP line of every live call (of a fund, or all) |
 * | payments | every live payment (of a fund, or all) |
 * | lp-statement | one row per LP of a fund: the capital account for a period |
 * | financials | borrower financial statements (imports back: `import financials`) |
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { LocalDatabase } from '../../../db/sqlite/open';
import { effectiveCallStatus } from '../../../shared/domain/capital-call-status';
import type { CallStatus } from '../../../shared/domain/entities';
import { CREDIT_FIGURE_FIELDS } from '../../../shared/domain/credit';
import { MeridianError } from '../../../shared/errors';
import { formatCents } from '../../../shared/money';
import type { CsvExportKind } from '../../../shared/api/report-contract';
import { loadFundLpRecords, loadLpCalls, loadLpPayments } from '../reports/lp-data';
import { lpCapitalAccount } from '../reports/lp-figures';
import { quarterStart } from '../reports/lp-statement';
import { neutraliseCell, type CellValue } from './csv-safe';
import { CAPITAL_CALL_EXPORT_COLUMNS, exportAllocationsCsv, exportCapitalCallCsv, exportTableCsv, type ExportOptions, type ExportResult } from './export-csv';
import { writeFileAtomic } from './write-atomic';

/** Writes rows from any iterable (already in memory or generated) as CSV, atomically. */
export async function exportRowsCsv(columns: readonly string[], rows: Iterable<CellValue[]>, outFile: string, opts: ExportOptions = {}): Promise<ExportResult> {
  let count = 0;
  function* records(): Generator<string[]> {
    for (const r of rows) {
      count++;
      yield r.map(neutraliseCell);
    }
  }
  const csv = stringify({ header: true, columns: [...columns], bom: opts.bom ?? false, record_delimiter: 'windows' });
  const { file } = await writeFileAtomic(outFile, [Readable.from(records(), { objectMode: true }), csv], { signal: opts.signal });
  opts.onProgress?.({ done: count, total: count });
  return { rows: count, file };
}

function assertFund(db: LocalDatabase, fundId: string | undefined): void {
  if (fundId !== undefined && !db.raw.prepare('SELECT 1 FROM fund WHERE id = ? AND deleted_at IS NULL').get(fundId)) {
    throw new MeridianError('NOT_FOUND', `fund ${fundId} does not exist`, { entity: 'fund', id: fundId });
  }
}

export const CAPITAL_CALLS_EXPORT_COLUMNS = [...CAPITAL_CALL_EXPORT_COLUMNS, 'description'] as const;

/**
 * One row per LP line of every live call (of `fundId`, or all), ordered by
 * fund, call date, call id, investor name. Columns as the single-call export
 * plus the call's description; call_status is the effective status on `today`.
 */
export async function exportCapitalCallsCsv(
  db: LocalDatabase,
  filter: { fundId?: string },
  outFile: string,
  opts: ExportOptions & { today?: string } = {},
): Promise<ExportResult> {
  assertFund(db, filter.fundId);
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const where = `l.deleted_at IS NULL AND c.deleted_at IS NULL${filter.fundId !== undefined ? ' AND c.fund_id = ?' : ''}`;
  const params = filter.fundId !== undefined ? [filter.fundId] : [];
  return exportTableCsv(
    db,
    {
      columns: CAPITAL_CALLS_EXPORT_COLUMNS,
      sql: `SELECT l.call_id, c.fund_id, f.name, c.call_date, c.due_date, c.status,
                   (SELECT coalesce(sum(x.amount - x.paid), 0) FROM capital_call_line x WHERE x.call_id = c.id AND x.deleted_at IS NULL),
                   l.investor_id, i.name, cm.amount, l.amount, l.paid, c.description
              FROM capital_call_line l
              JOIN capital_call c ON c.id = l.call_id
              JOIN fund f ON f.id = c.fund_id
              JOIN investor i ON i.id = l.investor_id
              LEFT JOIN commitment cm ON cm.fund_id = c.fund_id AND cm.investor_id = l.investor_id AND cm.deleted_at IS NULL
             WHERE ${where}
             ORDER BY c.fund_id, c.call_date, c.id, i.name, l.investor_id`,
      params,
      total: db.raw.prepare(`SELECT count(*) FROM capital_call_line l JOIN capital_call c ON c.id = l.call_id WHERE ${where}`).pluck().get(...params) as number,
      row: (r) => {
        const [callId, fundId, fundName, callDate, dueDate, status, outstanding, investorId, investorName, commitment, amount, paid, description] = r as [
          string,
          string,
          string,
          string,
          string,
          CallStatus,
          number,
          string,
          string,
          number | null,
          number,
          number,
          string,
        ];
        return [
          callId,
          fundId,
          fundName,
          callDate,
          dueDate,
          effectiveCallStatus(status, dueDate, status === 'cancelled' ? 0 : outstanding, today),
          investorId,
          investorName,
          commitment === null ? '' : formatCents(commitment),
          formatCents(amount),
          formatCents(paid),
          formatCents(amount - paid),
          description,
        ];
      },
    },
    outFile,
    opts,
  );
}

export const PAYMENT_EXPORT_COLUMNS = ['id', 'call_id', 'fund_id', 'fund_name', 'investor_id', 'investor_name', 'date', 'amount'] as const;

/** Every live payment (of `fundId`, or all), ordered by date and id. */
export async function exportPaymentsCsv(db: LocalDatabase, filter: { fundId?: string }, outFile: string, opts: ExportOptions = {}): Promise<ExportResult> {
  assertFund(db, filter.fundId);
  const where = `p.deleted_at IS NULL${filter.fundId !== undefined ? ' AND c.fund_id = ?' : ''}`;
  const params = filter.fundId !== undefined ? [filter.fundId] : [];
  return exportTableCsv(
    db,
    {
      columns: PAYMENT_EXPORT_COLUMNS,
      sql: `SELECT p.id, p.call_id, c.fund_id, f.name, p.investor_id, i.name, p.date, p.amount
              FROM payment p JOIN capital_call c ON c.id = p.call_id JOIN fund f ON f.id = c.fund_id JOIN investor i ON i.id = p.investor_id
             WHERE ${where} ORDER BY p.date, p.id`,
      params,
      row: (r) => {
        r[7] = formatCents(r[7] as number);
        return r as CellValue[];
      },
    },
    outFile,
    opts,
  );
}

export const LP_STATEMENT_EXPORT_COLUMNS = [
  'fund_id',
  'fund_name',
  'investor_id',
  'investor_name',
  'from',
  'to',
  'commitment',
  'opening',
  'contributions',
  'distributions',
  'fees',
  'gains',
  'closing',
  'unfunded',
] as const;

/** One row per LP of the fund (by investor name): the capital account for [from, to] (docs/reports.md §4). */
export async function exportLpStatementCsv(
  db: LocalDatabase,
  input: { fundId: string; asOf: string; from?: string },
  outFile: string,
  opts: ExportOptions = {},
): Promise<ExportResult> {
  const records = loadFundLpRecords(db.raw, input.fundId);
  const to = input.asOf;
  const from = input.from ?? quarterStart(to);
  if (from > to) throw new MeridianError('INVALID_DATE', `The period starts (${from}) after it ends (${to}).`, { path: 'from', from, to });
  const investors = [...records.investorNames].sort((a, b) => a[1].localeCompare(b[1]) || (a[0] < b[0] ? -1 : 1));
  function* rows(): Generator<CellValue[]> {
    for (const [investorId, name] of investors) {
      const a = lpCapitalAccount({
        investorId,
        from,
        to,
        commitments: records.commitments,
        lpCalls: loadLpCalls(db.raw, records.fund.id, investorId),
        lpPayments: loadLpPayments(db.raw, records.fund.id, investorId),
        fundContributions: records.fundContributions,
        fundDistributions: records.fundDistributions,
        navMarks: records.navMarks,
      });
      yield [
        records.fund.id,
        records.fund.name,
        investorId,
        name,
        from,
        to,
        ...[a.commitment, a.opening, a.contributions, a.distributions, a.fees, a.gains, a.closing, a.unfunded].map(formatCents),
      ];
    }
  }
  return exportRowsCsv(LP_STATEMENT_EXPORT_COLUMNS, rows(), outFile, opts);
}

/** The financials import's header (electron/core/credit/import-financials.ts FINANCIALS_HEADER), so an export imports back. */
export const FINANCIALS_EXPORT_COLUMNS = ['borrower_id', 'period_end', 'period_type', 'currency', ...CREDIT_FIGURE_FIELDS] as readonly string[];

/** Live financial statements (of one borrower, or all), ordered by borrower, period end, period type. */
export async function exportFinancialsCsv(db: LocalDatabase, filter: { borrowerId?: string }, outFile: string, opts: ExportOptions = {}): Promise<ExportResult> {
  if (filter.borrowerId !== undefined && !db.raw.prepare('SELECT 1 FROM deal WHERE id = ? AND deleted_at IS NULL').get(filter.borrowerId)) {
    throw new MeridianError('NOT_FOUND', `borrower ${filter.borrowerId} does not exist`, { entity: 'deal', id: filter.borrowerId });
  }
  const where = `deleted_at IS NULL${filter.borrowerId !== undefined ? ' AND borrower_id = ?' : ''}`;
  const money = new Set(CREDIT_FIGURE_FIELDS.filter((f) => f !== 'floating_rate_share').map((f) => FINANCIALS_EXPORT_COLUMNS.indexOf(f)));
  return exportTableCsv(
    db,
    {
      columns: FINANCIALS_EXPORT_COLUMNS,
      sql: `SELECT ${FINANCIALS_EXPORT_COLUMNS.join(', ')} FROM financial_statement WHERE ${where} ORDER BY borrower_id, period_end, period_type`,
      params: filter.borrowerId !== undefined ? [filter.borrowerId] : [],
      row: (r) => r.map((v, i) => (v === null ? '' : money.has(i) ? formatCents(v as number) : (v as CellValue))),
    },
    outFile,
    opts,
  );
}

export interface CsvExportSpec {
  kind: CsvExportKind;
  fundId?: string;
  id?: string;
  borrowerId?: string;
  asOf?: string;
  from?: string;
}

/** Runs the export of `spec.kind` (see the module table). */
export async function exportCsvKind(db: LocalDatabase, spec: CsvExportSpec, outFile: string, opts: ExportOptions & { today: string }): Promise<ExportResult> {
  const need = (v: string | undefined, what: string, path: string): string => {
    if (v === undefined) throw new MeridianError('INVALID_INPUT', `a ${spec.kind} export needs ${what}`, { path }, [{ code: 'INVALID_INPUT', path, message: `${path}: required for a ${spec.kind} export` }]);
    return v;
  };
  switch (spec.kind) {
    case 'allocations':
      return exportAllocationsCsv(db, { fundId: spec.fundId }, outFile, opts);
    case 'capital-call':
      return exportCapitalCallCsv(db, { callId: need(spec.id, 'the capital call id', 'id') }, outFile, opts);
    case 'capital-calls':
      return exportCapitalCallsCsv(db, { fundId: spec.fundId }, outFile, opts);
    case 'payments':
      return exportPaymentsCsv(db, { fundId: spec.fundId }, outFile, opts);
    case 'lp-statement':
      return exportLpStatementCsv(db, { fundId: need(spec.fundId, 'the fund id', 'fundId'), asOf: spec.asOf ?? opts.today, from: spec.from }, outFile, opts);
    case 'financials':
      return exportFinancialsCsv(db, { borrowerId: spec.borrowerId }, outFile, opts);
  }
}
