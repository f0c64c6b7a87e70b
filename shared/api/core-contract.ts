/**
 * The core piece of the contract: what the Workstation (electron/core)
 * implements. Every host answers these methods by calling the Workstation,
 * which validates its input again with these schemas. The CLI calls the
 * Workstation directly. The renderer sees the composed contract
 * (./contract.ts), never this piece alone.
 */
import { z } from 'zod';
import type { Problem } from '../errors';
import { businessDateSchema, idSchema } from '../domain/primitives';
import type { AllocationView, CallPreviewView, CapitalCallView, FundMetricsView, FundSummaryView } from './views';
import type { DealRow, InvestorRow } from '../domain/entities';
import { IMPORT_KINDS } from '../imports/kinds';
import type { JobProgressEvent } from './contract-events';

export type { JobProgressEvent } from './contract-events';

export const EXPORT_KINDS = ['allocations', 'capital-call'] as const;

export const coreContractInputs = {
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

export type CoreContractMethod = keyof typeof coreContractInputs;
export type CoreContractInput<M extends CoreContractMethod> = z.input<(typeof coreContractInputs)[M]>;

export interface ImportReportView {
  kind: string;
  file: string;
  rows: number;
  imported: number;
  skipped: number;
  problems: Problem[];
}

export interface CoreContractOutputs {
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

/** What the Workstation implements: one async method per core contract entry. */
export type WorkstationApi = { [M in CoreContractMethod]: (input: CoreContractInput<M>) => Promise<CoreContractOutputs[M]> };

/** Events the Workstation itself emits (the hosts add sync status and session). */
export interface CoreContractEvents {
  jobProgress: JobProgressEvent;
  dataChanged: { entities: string[] };
}
