/**
 * Contract piece for documents (issue 8): save a PDF report, or a CSV
 * export of any kind the CLI offers, to a file the user chose in a save
 * dialog. Both run as jobs on the main side (progress through the
 * `jobProgress` event, cancel with `cancelJob`); the file is written to a
 * temporary name and renamed, so a cancelled or failed job leaves none.
 *
 * To be spread into shared/api/contract.ts (`...reportContractInputs`,
 * `extends ReportContractOutputs`); implemented by
 * electron/core/reports/report-api.ts (`reportApi(ws)`). docs/reports.md.
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

export const reportContractInputs = {
  /** Writes a PDF report to `file` (a job: progress and cancel). */
  saveReport: reportRequestSchema,
  /** Writes a CSV export to `file` (a job: progress and cancel). */
  saveCsvExport: csvExportRequestSchema,
} as const;

export type ReportContractMethod = keyof typeof reportContractInputs;
export type ReportContractInput<M extends ReportContractMethod> = z.input<(typeof reportContractInputs)[M]>;

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

export interface ReportContractOutputs {
  saveReport: ReportResultView;
  saveCsvExport: CsvExportResultView;
}
