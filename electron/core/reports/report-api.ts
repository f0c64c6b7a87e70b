/**
 * The report piece of the contract (shared/api/report-contract.ts) over a
 * Workstation: `saveReport` writes a PDF, `saveCsvExport` a CSV, each as a
 * job on the workstation's JobRunner — progress reaches the hosts through
 * the `jobProgress` event and `cancelJob` stops it, leaving no file.
 * The hosts (electron/main, the web host) spread `reportApi(ws)` into their
 * implementation and add the save dialog / path grant in front.
 */
import { csvExportRequestSchema, reportRequestSchema, type ReportContractInput, type ReportContractOutputs } from '../../../shared/api/report-contract';
import { businessDateOf } from '../../../shared/dates';
import { parseOrThrow } from '../../../shared/validation';
import { exportCsvKind } from '../exports/export-kinds';
import type { Workstation } from '../workstation';
import { renderReport } from './render';

export interface ReportApiOptions {
  /** Today's business date (default: the machine's UTC date). */
  today?: () => string;
}

export interface ReportApi {
  saveReport(input: ReportContractInput<'saveReport'>): Promise<ReportContractOutputs['saveReport']>;
  saveCsvExport(input: ReportContractInput<'saveCsvExport'>): Promise<ReportContractOutputs['saveCsvExport']>;
}

export function reportApi(ws: Workstation, options: ReportApiOptions = {}): ReportApi {
  const today = options.today ?? (() => businessDateOf(new Date()));
  return {
    async saveReport(input) {
      const { file, ...req } = parseOrThrow(reportRequestSchema, input, 'saveReport input');
      const job = ws.jobs.start(`report ${req.kind}`, (signal, progress) =>
        renderReport(ws.db.raw, req, file, { signal, today: today(), onProgress: (p) => progress(p.done, p.total) }),
      );
      const r = await job.result;
      return { kind: req.kind, file: r.file, pages: r.pages, bytes: r.bytes };
    },
    async saveCsvExport(input) {
      const { file, bom, ...spec } = parseOrThrow(csvExportRequestSchema, input, 'saveCsvExport input');
      const job = ws.jobs.start(`export ${spec.kind}`, (signal, progress) =>
        exportCsvKind(ws.db, spec, file, { bom, signal, today: today(), onProgress: (p) => progress(p.done, p.total) }),
      );
      const r = await job.result;
      return { kind: spec.kind, file: r.file, rows: r.rows };
    },
  };
}
