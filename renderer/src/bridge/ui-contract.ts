/**
 * Type-only copy of the PROPOSED UI contract additions
 * (electron/hosts/web/ui-contract.ts, to move to shared/api/ui-contract.ts).
 * The renderer may import shared/ only, so it cannot import the host's file;
 * tests/web/ui-contract.test.ts fails when the two copies disagree. When the
 * lead moves the additions into shared/api, replace this file with a
 * re-export from there.
 */
import type { ExportKind } from './export-kinds';
import type { AllocationStatus, SecurityType } from '../../../shared/domain/entities';
import type { Role } from '../../../shared/domain/roles';
import type { ErrorCode, Problem } from '../../../shared/errors';
import type { BusinessRules } from '../../../shared/rules/business-rules';

export interface UiContractInputs {
  session: Record<string, never>;
  businessRules: Record<string, never>;
  allocationRows: { fundId: string; offset?: number; limit?: number };
  fundCashflows: { fundId: string; asOf?: string };
  investorPositions: { investorId?: string; fundId?: string };
  recordHistory: { entity: string; id: string };
  syncStatus: Record<string, never>;
  syncNow: Record<string, never>;
  listRejections: Record<string, never>;
  discardRejection: { id: string };
  resubmitRejection: { id: string; args?: unknown };
  saveExport: { kind: ExportKind; fundId?: string; id?: string; suggestedName: string; bom?: boolean };
}

export type UiContractMethod = keyof UiContractInputs;
export type UiContractInput<M extends UiContractMethod> = UiContractInputs[M];

export interface SessionView {
  userId: string;
  role: Role;
  displayName: string;
  profile: string;
  today: string;
  host: 'desktop' | 'web';
}

/** [id, dealId, dealName, securityType, amount (cents), status, date, approvedBy, approvedAt, version, updatedAt, updatedBy] */
export type AllocationTuple = [
  id: string,
  dealId: string,
  dealName: string,
  securityType: SecurityType,
  amount: number,
  status: AllocationStatus,
  date: string,
  approvedBy: string | null,
  approvedAt: string | null,
  version: number,
  updatedAt: string,
  updatedBy: string,
];

export interface AllocationRowsView {
  fundId: string;
  fundName: string;
  currency: string;
  total: number;
  offset: number;
  rows: AllocationTuple[];
}

export interface DatedAmountView {
  date: string;
  amount: number;
}

export interface FundCashflowsView {
  fundId: string;
  currency: string;
  asOf: string;
  contributions: DatedAmountView[];
  distributions: (DatedAmountView & { recallable: number })[];
  navMarks: { date: string; nav: number }[];
}

export interface InvestorPositionView {
  investorId: string;
  investorName: string;
  fundId: string;
  fundName: string;
  currency: string;
  commitment: number;
  called: number;
  paid: number;
  unfunded: number;
}

export interface HistoryEntryView {
  at: string;
  actor: string;
  action: string;
  source: 'local' | 'server';
  state: 'pending' | 'applied' | 'rejected';
  mutationId: number | null;
  summary: string;
  details: Record<string, unknown> | null;
}

export type SyncState = 'standalone' | 'signed_out' | 'online' | 'syncing' | 'offline' | 'error';

export interface SyncStatusView {
  state: SyncState;
  server: string | null;
  pending: number;
  rejections: number;
  lastSyncAt: string | null;
  progress: { done: number; total: number | null } | null;
  message: string | null;
}

export interface RejectionView {
  id: string;
  mutationId: number;
  name: string;
  args: Record<string, unknown>;
  code: ErrorCode;
  message: string;
  problems: Problem[];
  rejectedAt: string;
  entity: string | null;
  recordId: string | null;
  /** What the change was about, for people ("Aurora Fintech · Growth Fund IV"), and its fund, when the host can tell. */
  context?: { label: string; fundId: string | null } | null;
}

export interface SaveExportResult {
  rows: number;
  file: string;
  downloadUrl?: string;
}

export interface UiContractOutputs {
  session: SessionView;
  businessRules: BusinessRules;
  allocationRows: AllocationRowsView;
  fundCashflows: FundCashflowsView;
  investorPositions: InvestorPositionView[];
  recordHistory: HistoryEntryView[];
  syncStatus: SyncStatusView;
  syncNow: SyncStatusView;
  listRejections: RejectionView[];
  discardRejection: boolean;
  resubmitRejection: { mutationId: number; name: string };
  saveExport: SaveExportResult | null;
}

export type MeridianUiApi = { [M in UiContractMethod]: (input: UiContractInput<M>) => Promise<UiContractOutputs[M]> };

export interface UiContractEvents {
  syncStatus: SyncStatusView;
  session: SessionView;
}
