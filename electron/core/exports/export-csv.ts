/**
 * CSV exports (docs/imports-exports.md): rows are streamed from SQLite
 * (statement.iterate) through csv-stringify into an atomically written file,
 * so a million rows use constant memory and a failed export leaves no file.
 *
 * - RFC 4180: comma, CRLF line ends, quotes where needed; optional UTF-8 BOM
 *   (Excel needs it to read UTF-8 names correctly).
 * - Amounts as plain decimals with two places (formatCents), ids beside names.
 * - Every text cell goes through neutraliseCell (DESIGN §6).
 * - Rows are read on a separate read-only connection to the same file, so
 *   the export sees one consistent snapshot and the main connection stays
 *   free for the app while the file is written (an in-memory database has
 *   no second connection: its export reads on the main handle).
 */
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify';
import type { LocalDatabase } from '../../../db/sqlite/open';
import { effectiveCallStatus } from '../../../shared/domain/capital-call-status';
import type { CallStatus } from '../../../shared/domain/entities';
import { MeridianError } from '../../../shared/errors';
import { formatCents } from '../../../shared/money';
import { neutraliseCell, type CellValue } from './csv-safe';
import { writeFileAtomic } from './write-atomic';

export interface ExportOptions {
  /** Start the file with a UTF-8 byte-order mark. */
  bom?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number | null }) => void;
}

export interface ExportResult {
  rows: number;
  /** Absolute path of the written file. */
  file: string;
}

export interface TableExport {
  /** Header, in order. */
  columns: readonly string[];
  /** A SELECT whose rows (as arrays) `row` turns into cells. */
  sql: string;
  params?: readonly unknown[];
  /** One SELECT row → one CSV row (same length as columns); default: as selected. */
  row?: (r: unknown[]) => CellValue[];
  /** Rows expected, for progress (optional). */
  total?: number | null;
}

const PROGRESS_EVERY = 10_000;

/** A read-only connection on the same file, or the main handle for an in-memory database. */
function openReader(db: LocalDatabase): { reader: Database.Database; close(): void } {
  if (!db.file || db.file === ':memory:' || db.raw.memory) return { reader: db.raw, close: () => undefined };
  const reader = new Database(db.file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  return { reader, close: () => reader.close() };
}

/** Streams the rows of `spec.sql` to `outFile` as CSV (header first); returns the row count. */
export async function exportTableCsv(db: LocalDatabase, spec: TableExport, outFile: string, opts: ExportOptions = {}): Promise<ExportResult> {
  const { reader, close } = openReader(db);
  let rows = 0;
  let source: Generator<string[]> | undefined;
  try {
    const stmt = reader.prepare(spec.sql).raw(true);
    const map = spec.row ?? ((r: unknown[]) => r as CellValue[]);
    const total = spec.total ?? null;
    const { onProgress } = opts;
    function* records(): Generator<string[]> {
      for (const r of stmt.iterate(...(spec.params ?? [])) as Iterable<unknown[]>) {
        const cells = map(r);
        const out = new Array<string>(cells.length);
        for (let i = 0; i < cells.length; i++) out[i] = neutraliseCell(cells[i]);
        rows++;
        if (onProgress && rows % PROGRESS_EVERY === 0) onProgress({ done: rows, total });
        yield out;
      }
    }
    const csv = stringify({ header: true, columns: [...spec.columns], bom: opts.bom ?? false, record_delimiter: 'windows' });
    source = records();
    const { file } = await writeFileAtomic(outFile, [Readable.from(source, { objectMode: true, highWaterMark: 256 }), csv], {
      signal: opts.signal,
    });
    onProgress?.({ done: rows, total: rows });
    return { rows, file };
  } finally {
    source?.return(undefined); // ends the statement's iteration, so the connection is free again
    close();
  }
}

export const ALLOCATION_EXPORT_COLUMNS = [
  'id',
  'fund_id',
  'fund_name',
  'deal_id',
  'deal_name',
  'security_type',
  'amount',
  'status',
  'date',
  'version',
] as const;

/**
 * Live allocations (of one fund, or all), ordered by id. The file imports
 * back with importCsv('allocations'): the importer ignores fund_name,
 * deal_name and version.
 */
export async function exportAllocationsCsv(db: LocalDatabase, filter: { fundId?: string }, outFile: string, opts: ExportOptions = {}): Promise<ExportResult> {
  const { fundId } = filter;
  if (fundId !== undefined && !db.raw.prepare('SELECT 1 FROM fund WHERE id = ? AND deleted_at IS NULL').get(fundId)) {
    throw new MeridianError('NOT_FOUND', `fund ${fundId} does not exist`, { entity: 'fund', id: fundId });
  }
  const where = `a.deleted_at IS NULL${fundId !== undefined ? ' AND a.fund_id = ?' : ''}`;
  const params = fundId !== undefined ? [fundId] : [];
  const total = db.raw.prepare(`SELECT count(*) FROM allocation a WHERE ${where}`).pluck().get(...params) as number;
  return exportTableCsv(
    db,
    {
      columns: ALLOCATION_EXPORT_COLUMNS,
      sql: `SELECT a.id, a.fund_id, f.name, a.deal_id, d.name, a.security_type, a.amount, a.status, a.date, a.version
              FROM allocation a JOIN fund f ON f.id = a.fund_id JOIN deal d ON d.id = a.deal_id
             WHERE ${where}
             ORDER BY a.id`,
      params,
      total,
      row: (r) => {
        r[6] = formatCents(r[6] as number);
        return r as CellValue[];
      },
    },
    outFile,
    opts,
  );
}

export const CAPITAL_CALL_EXPORT_COLUMNS = [
  'call_id',
  'fund_id',
  'fund_name',
  'call_date',
  'due_date',
  'call_status',
  'investor_id',
  'investor_name',
  'commitment',
  'amount',
  'paid',
  'outstanding',
] as const;

/**
 * One row per LP line of a capital call. call_status is the effective status
 * ("overdue" when issued or partially paid, money outstanding and the due
 * date before `today`, default today's UTC date); commitment is the LP's
 * live commitment to the fund (empty when there is none).
 */
export async function exportCapitalCallCsv(
  db: LocalDatabase,
  target: { callId: string },
  outFile: string,
  opts: ExportOptions & { today?: string } = {},
): Promise<ExportResult> {
  const call = db.raw
    .prepare(
      `SELECT c.status, c.due_date, coalesce((SELECT sum(l.amount - l.paid) FROM capital_call_line l WHERE l.call_id = c.id AND l.deleted_at IS NULL), 0) AS outstanding,
              (SELECT count(*) FROM capital_call_line l WHERE l.call_id = c.id AND l.deleted_at IS NULL) AS lines
         FROM capital_call c WHERE c.id = ? AND c.deleted_at IS NULL`,
    )
    .get(target.callId) as { status: CallStatus; due_date: string; outstanding: number; lines: number } | undefined;
  if (!call) throw new MeridianError('NOT_FOUND', `capital call ${target.callId} does not exist`, { entity: 'capital_call', id: target.callId });
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const status = effectiveCallStatus(call.status, call.due_date, call.outstanding, today);
  return exportTableCsv(
    db,
    {
      columns: CAPITAL_CALL_EXPORT_COLUMNS,
      sql: `SELECT l.call_id, c.fund_id, f.name, c.call_date, c.due_date, l.investor_id, i.name, cm.amount, l.amount, l.paid
              FROM capital_call_line l
              JOIN capital_call c ON c.id = l.call_id
              JOIN fund f ON f.id = c.fund_id
              JOIN investor i ON i.id = l.investor_id
              LEFT JOIN commitment cm ON cm.fund_id = c.fund_id AND cm.investor_id = l.investor_id AND cm.deleted_at IS NULL
             WHERE l.call_id = ? AND l.deleted_at IS NULL
             ORDER BY i.name, l.investor_id`,
      params: [target.callId],
      total: call.lines,
      row: (r) => {
        const [callId, fundId, fundName, callDate, dueDate, investorId, investorName, commitment, amount, paid] = r as [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          number | null,
          number,
          number,
        ];
        return [
          callId,
          fundId,
          fundName,
          callDate,
          dueDate,
          status,
          investorId,
          investorName,
          commitment === null ? '' : formatCents(commitment),
          formatCents(amount),
          formatCents(paid),
          formatCents(amount - paid),
        ];
      },
    },
    outFile,
    opts,
  );
}
