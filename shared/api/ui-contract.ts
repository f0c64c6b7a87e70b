/**
 * Contract additions of the analyst UI (issue 5): session, rules, paged
 * allocation rows, cash flows, investor positions, record history, sync
 * status, the rejection inbox and saving exports. One definition, used by
 * the web host (which validates inputs with these schemas), the desktop main
 * process and, type-only, the renderer. Still to merge into contractInputs
 * (shared/api/contract.ts) so the Electron preload exposes them too.
 *
 * Money is integer cents in the fund's currency, as everywhere else.
 */
import { z } from 'zod';
import { EXPORT_KINDS } from './contract';
import { businessDateSchema, idSchema } from '../domain/primitives';
import { ENTITY_NAMES, type AllocationStatus, type SecurityType } from '../domain/entities';
import type { Role } from '../domain/roles';
import type { ErrorCode, Problem } from '../errors';
import type { BusinessRules } from '../rules/business-rules';

export const uiContractInputs = {
  /** Who is acting (user and role) — the UI enables approve/issue buttons from it. */
  session: z.strictObject({}),
  /** The business rules in force (the grid shows limits and who may approve before a round trip). */
  businessRules: z.strictObject({}),
  /**
   * One fund's allocations as compact rows (deal name joined, no repeated
   * fund columns), in the grid's default order (date, id). A page
   * (`offset`, `limit`) lets the UI show the first rows of a large fund at
   * once and fetch the rest behind them.
   */
  allocationRows: z.strictObject({
    fundId: idSchema,
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().positive().max(1_000_000).optional(),
  }),
  /** Raw dated flows of one fund (J-curve): paid-in contributions, distributions, NAV marks, as of a date. */
  fundCashflows: z.strictObject({ fundId: idSchema, asOf: businessDateSchema.optional() }),
  /** Per investor × fund: commitment, called, paid, unfunded. */
  investorPositions: z.strictObject({ investorId: idSchema.optional(), fundId: idSchema.optional() }),
  /** History of one record: local pending mutations and (once synced) the server's audit entries. */
  recordHistory: z.strictObject({ entity: z.enum(ENTITY_NAMES as [string, ...string[]]), id: idSchema }),
  syncStatus: z.strictObject({}),
  /** Push then pull now; resolves with the status after the attempt. */
  syncNow: z.strictObject({}),
  listRejections: z.strictObject({}),
  discardRejection: z.strictObject({ id: z.string().min(1).max(300) }),
  /** Runs the rejected mutation again as a new local mutation with (edited) args. */
  resubmitRejection: z.strictObject({ id: z.string().min(1).max(300), args: z.unknown() }),
  /**
   * Exports CSV through the host's save flow: Electron shows a save dialog
   * (resolving null when cancelled), the browser host writes a temporary
   * file and the bridge downloads it.
   */
  saveExport: z.strictObject({
    kind: z.enum(EXPORT_KINDS),
    fundId: idSchema.optional(),
    id: idSchema.optional(),
    suggestedName: z.string().min(1).max(200),
    bom: z.boolean().default(false),
  }),
} as const;

export type UiContractMethod = keyof typeof uiContractInputs;
export type UiContractInput<M extends UiContractMethod> = z.input<(typeof uiContractInputs)[M]>;

export interface SessionView {
  userId: string;
  role: Role;
  /** How to address the user in the UI ("Local (not signed in)", "jane@firm"). */
  displayName: string;
  /** Local profile name. */
  profile: string;
  /** Today's business date on the workstation (YYYY-MM-DD): default dates, overdue. */
  today: string;
  /** Which host runs the renderer. */
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
  /** All live allocations of the fund. */
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
  /** Paid-in capital: LP payments on calls and imported contributions. */
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
  /** Σ line amounts of issued, partially paid and paid calls. */
  called: number;
  /** Σ payments on those lines. */
  paid: number;
  /** commitment − called. */
  unfunded: number;
}

export interface HistoryEntryView {
  /** Instant (ISO-8601 UTC). */
  at: string;
  actor: string;
  /** Mutation name or audit action, e.g. "updateAllocation". */
  action: string;
  source: 'local' | 'server';
  state: 'pending' | 'applied' | 'rejected';
  mutationId: number | null;
  /** One line a person can read, e.g. "amount 2,500,000.00 → 3,000,000.00". */
  summary: string;
  details: Record<string, unknown> | null;
}

export type SyncState = 'standalone' | 'signed_out' | 'online' | 'syncing' | 'offline' | 'error';

export interface SyncStatusView {
  state: SyncState;
  /** Central server URL, or null for a standalone profile. */
  server: string | null;
  /** Mutations in the outbox not yet acknowledged by the server. */
  pending: number;
  /** Rejections waiting in the inbox. */
  rejections: number;
  /** Instant of the last completed sync, or null. */
  lastSyncAt: string | null;
  /** Progress of the sync under way; null when idle. */
  progress: { done: number; total: number | null } | null;
  /** What the state means and what to do, for people ("Server unreachable; changes are kept and sent when it is back."). */
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
  /** Instant the server refused it. */
  rejectedAt: string;
  /** Entity and record id the mutation was about, when known (for "open record"). */
  entity: string | null;
  recordId: string | null;
  /** What the change was about, for people ("Aurora Fintech · Growth Fund IV"), and its fund, when the host can tell. */
  context?: { label: string; fundId: string | null } | null;
}

export interface SaveExportResult {
  rows: number;
  /** Saved file path (desktop) or the download file name (browser). */
  file: string;
  /** Browser host only: same-origin URL the bridge downloads once. */
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

/** Events added to ContractEvents. */
export interface UiContractEvents {
  syncStatus: SyncStatusView;
  session: SessionView;
}
