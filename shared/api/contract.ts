/**
 * The workstation's contract with its hosts: the renderer reaches it through
 * window.meridian (Electron preload or the web host's WebSocket bridge), the
 * CLI calls the Workstation directly. Inputs are zod schemas, validated on
 * the main side; output types come from ./views.
 */
import { z } from 'zod';
import type { Problem } from '../errors';
import { businessDateSchema, idSchema } from '../domain/primitives';
import type { AllocationView, CallPreviewView, CapitalCallView, FundMetricsView, FundSummaryView } from './views';
import type { DealRow, InvestorRow } from '../domain/entities';
import { IMPORT_KINDS } from '../imports/kinds';

export const EXPORT_KINDS = ['allocations', 'capital-call'] as const;

export const contractInputs = {
  listFunds: z.strictObject({ asOf: businessDateSchema.optional() }),
  fundMetrics: z.strictObject({ fundId: idSchema, asOf: businessDateSchema.optional(), index: z.string().optional() }),
  listDeals: z.strictObject({}),
  listInvestors: z.strictObject({}),
  listIndexNames: z.strictObject({}),
  listAllocations: z.strictObject({ fundId: idSchema.optional() }),
  listCapitalCalls: z.strictObject({ fundId: idSchema.optional() }),
  getCapitalCall: z.strictObject({ id: idSchema }),
  previewCapitalCall: z.strictObject({ fundId: idSchema, amount: z.number().int().positive() }),
  checkAllocation: z.strictObject({ fundId: idSchema, dealId: idSchema, amount: z.number().int(), excludeId: idSchema.optional() }),
  mutate: z.strictObject({ name: z.string().min(1), args: z.unknown() }),
  importCsv: z.strictObject({ kind: z.enum(IMPORT_KINDS), file: z.string().min(1), skipInvalid: z.boolean().default(false) }),
  exportCsv: z.strictObject({ kind: z.enum(EXPORT_KINDS), file: z.string().min(1), fundId: idSchema.optional(), id: idSchema.optional(), bom: z.boolean().default(false) }),
  cancelJob: z.strictObject({ jobId: z.string() }),
} as const;

export type ContractMethod = keyof typeof contractInputs;
export type ContractInput<M extends ContractMethod> = z.input<(typeof contractInputs)[M]>;

export interface ImportReportView {
  kind: string;
  file: string;
  rows: number;
  imported: number;
  skipped: number;
  problems: Problem[];
}

export interface ContractOutputs {
  listFunds: FundSummaryView[];
  fundMetrics: FundMetricsView;
  listDeals: DealRow[];
  listInvestors: InvestorRow[];
  listIndexNames: string[];
  listAllocations: AllocationView[];
  listCapitalCalls: CapitalCallView[];
  getCapitalCall: CapitalCallView;
  previewCapitalCall: CallPreviewView;
  checkAllocation: Problem[];
  mutate: { mutationId: number; name: string; result: unknown };
  importCsv: ImportReportView;
  exportCsv: { rows: number; file: string };
  cancelJob: boolean;
}

/** What window.meridian offers: one async method per contract entry. */
export type MeridianApi = { [M in ContractMethod]: (input: ContractInput<M>) => Promise<ContractOutputs[M]> };

export interface JobProgressEvent {
  jobId: string;
  kind: string;
  done: number;
  total: number | null;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  message?: string;
}

/** Events the workstation pushes to its hosts. */
export interface ContractEvents {
  jobProgress: JobProgressEvent;
  dataChanged: { entities: string[] };
}
