/**
 * Contract piece for documents (issue 8).
 *
 * Two layers:
 * - Main-side jobs (`reportJobInputs`: `saveReport`, `saveCsvExport` with a
 *   `file` path), implemented by electron/core/reports/report-api.ts
 *   (`reportApi(ws)`). They run on the JobRunner (progress through the
 *   `jobProgress` event, cancel with `cancelJob`); the file is written to a
 *   temporary name and renamed, so a cancelled or failed job leaves none.
 *   The renderer never calls these: they take a path.
 * - The renderer-facing, host-provided piece (`reportContractInputs`:
 *   `saveReport` without `file` plus `suggestedName`, and `saveGridCsv`),
 *   spread into shared/api/contract.ts. The host chooses the path — a save
 *   dialog on the desktop (null when cancelled), the downloads folder in the
 *   browser host (the bridge then downloads `downloadUrl`) — and runs the job.
 *
 * docs/reports.md ("From the app").
 */
import { z } from 'zod';
import { businessDateSchema, idSchema, nonNegativeCentsSchema } from '../domain/primitives';

export const REPORT_KINDS = ['fund-report', 'capital-call-notice', 'lp-statement', 'credit-memo'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Every CSV export (`capital-call`: one call's lines; `capital-calls`: every call of a fund, or all, with lines). */
export const CSV_EXPORT_KINDS = ['allocations', 'capital-call', 'capital-calls', 'payments', 'lp-statement', 'financials'] as const;
export type CsvExportKind = (typeof CSV_EXPORT_KINDS)[number];

export const reportRequestSchema = z.strictObject({
  kind: z.enum(REPORT_KINDS),
  /** Absolute path chosen in the save dialog. */
  file: z.string().min(1),
  /** fund-report, lp-statement. */
  fundId: idSchema.optional(),
  /** capital-call-notice: the call. */
  id: idSchema.optional(),
  /** capital-call-notice (omitted: one notice per LP in one file), lp-statement (required). */
  investorId: idSchema.optional(),
  /** credit-memo. */
  borrowerId: idSchema.optional(),
  /** Report date; lp-statement: the period's last day (default: today). */
  asOf: businessDateSchema.optional(),
  /** lp-statement: the period's first day (default: the first day of asOf's quarter). */
  from: businessDateSchema.optional(),
  /** fund-report: benchmark index for the PME figures (default: the first stored index). */
  index: z.string().min(1).optional(),
  /** capital-call-notice: the call's purposes in cents; investments = the rest of the call. */
  purposes: z.strictObject({ managementFees: nonNegativeCentsSchema.optional(), fundExpenses: nonNegativeCentsSchema.optional(), other: nonNegativeCentsSchema.optional() }).optional(),
  /** lp-statement: fees charged to the LP in the period, cents (default 0). */
  fees: nonNegativeCentsSchema.optional(),
  /** Replaces the document's confidentiality line. */
  confidentiality: z.string().min(1).max(300).optional(),
});
export type ReportRequest = z.input<typeof reportRequestSchema>;

export const csvExportRequestSchema = z.strictObject({
  kind: z.enum(CSV_EXPORT_KINDS),
  file: z.string().min(1),
  /** allocations, capital-calls, payments (optional filter); lp-statement (required). */
  fundId: idSchema.optional(),
  /** capital-call: the call. */
  id: idSchema.optional(),
  /** financials: one borrower (omitted: all). */
  borrowerId: idSchema.optional(),
  /** lp-statement: the period's last day (default: today). */
  asOf: businessDateSchema.optional(),
  from: businessDateSchema.optional(),
  /** Start the file with a UTF-8 byte order mark (Excel). */
  bom: z.boolean().default(false),
});
export type CsvExportRequest = z.input<typeof csvExportRequestSchema>;

/** The main-side jobs (reportApi(ws)); each writes to a path the host chose. Not part of the renderer contract. */
export const reportJobInputs = {
  /** Writes a PDF report to `file` (a job: progress and cancel). */
  saveReport: reportRequestSchema,
  /** Writes a CSV export to `file` (a job: progress and cancel). */
  saveCsvExport: csvExportRequestSchema,
} as const;

export type ReportJobMethod = keyof typeof reportJobInputs;
/** Input of a main-side job (with `file`). */
export type ReportContractInput<M extends ReportJobMethod> = z.input<(typeof reportJobInputs)[M]>;

export interface ReportResultView {
  kind: ReportKind;
  /** Absolute path of the written file. */
  file: string;
  pages: number;
  bytes: number;
}

export interface CsvExportResultView {
  kind: CsvExportKind;
  file: string;
  rows: number;
}

/** Outputs of the main-side jobs. */
export interface ReportContractOutputs {
  saveReport: ReportResultView;
  saveCsvExport: CsvExportResultView;
}

// ---- The renderer-facing piece (host-provided).

const suggestedNameSchema = z.string().min(1).max(200);

/** A report through the host's save flow: the report request without `file`, and the name to offer. */
export const saveReportSchema = reportRequestSchema.omit({ file: true }).extend({ suggestedName: suggestedNameSchema });

/** Most rows and columns a grid may send (the allocation grid, the only large one, exports on the host). */
export const GRID_CSV_MAX_ROWS = 200_000;
export const GRID_CSV_MAX_COLUMNS = 200;

/**
 * What a client-side grid shows, as CSV: its displayed columns in order
 * (header names) and its rows after filter and sort, each cell the text the
 * grid displays (formatted). The host writes it with the core's CSV writer
 * (RFC 4180, formula injection neutralised, atomic).
 */
export const saveGridCsvSchema = z
  .strictObject({
    suggestedName: suggestedNameSchema,
    columns: z
      .array(z.strictObject({ header: z.string().max(500) }))
      .min(1)
      .max(GRID_CSV_MAX_COLUMNS),
    rows: z.array(z.array(z.string().max(100_000))).max(GRID_CSV_MAX_ROWS),
    bom: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    const i = v.rows.findIndex((r) => r.length !== v.columns.length);
    if (i >= 0) ctx.addIssue({ code: 'custom', path: ['rows', i], message: `row ${i + 1} has ${v.rows[i]!.length} cells; the grid has ${v.columns.length} columns` });
  });

export const reportContractInputs = {
  /** Generates a PDF report into a file the host chooses (save dialog / download); null when the dialog was cancelled. A job: progress and cancel. */
  saveReport: saveReportSchema,
  /** Saves a grid's displayed rows as CSV into a file the host chooses; null when the dialog was cancelled. */
  saveGridCsv: saveGridCsvSchema,
} as const;

export type ReportUiMethod = keyof typeof reportContractInputs;
export type ReportUiInput<M extends ReportUiMethod> = z.input<(typeof reportContractInputs)[M]>;

export interface SavedReportView extends ReportResultView {
  /** Saved file path (desktop) or the download file name (browser). */
  file: string;
  /** Browser host only: same-origin URL the bridge downloads once. */
  downloadUrl?: string;
}

export interface SavedGridCsvView {
  rows: number;
  /** Saved file path (desktop) or the download file name (browser). */
  file: string;
  /** Browser host only: same-origin URL the bridge downloads once. */
  downloadUrl?: string;
}

/** Outputs of the renderer-facing piece (composed into ContractOutputs). */
export interface ReportUiContractOutputs {
  saveReport: SavedReportView | null;
  saveGridCsv: SavedGridCsvView | null;
}
