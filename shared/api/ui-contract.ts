/**
 * The UI piece of the contract (issue 5), host-provided: session, rules,
 * paged allocation rows, cash flows, investor positions, record history,
 * sync status, the rejection inbox and saving exports. Composed into
 * `contractInputs` by ./contract.ts; implemented by
 * electron/hosts/web/ui-api.ts (shared by the web host and the desktop main
 * process, which overrides session, sync and saveExport).
 *
 * Money is integer cents in the fund's currency, as everywhere else.
 */
import { z } from 'zod';
import { EXPORT_KINDS } from './core-contract';
import { businessDateSchema, idSchema } from '../domain/primitives';
import { ENTITY_NAMES, type AllocationStatus, type SecurityType } from '../domain/entities';
import type { Role } from '../domain/roles';
import type { ErrorCode, Problem } from '../errors';
import type { BusinessRules } from '../rules/business-rules';

/** Allocation grid columns the host sorts and filters by (the grid's column ids). */
export const ALLOCATION_GRID_COLUMNS = ['deal_name', 'sector', 'security_type', 'amount', 'status', 'date', 'approved_by', 'updated_at', 'version', 'id'] as const;
export type AllocationGridColumn = (typeof ALLOCATION_GRID_COLUMNS)[number];
const textCondition = z.object({
  filterType: z.literal('text'),
  type: z.enum(['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith', 'blank', 'notBlank']),
  filter: z.string().max(200).nullish(),
});
const numberCondition = z.object({
  filterType: z.literal('number'),
  type: z.enum(['equals', 'notEqual', 'greaterThan', 'greaterThanOrEqual', 'lessThan', 'lessThanOrEqual', 'inRange', 'blank', 'notBlank']),
  filter: z.number().finite().nullish(),
  filterTo: z.number().finite().nullish(),
});
const filterCondition = z.discriminatedUnion('filterType', [textCondition, numberCondition]);
/** One column's filter, as AG Grid's text and number filters model it (one condition, or two joined). */
export const allocationColumnFilter = z.union([
  filterCondition,
  z.object({ filterType: z.enum(['text', 'number']), operator: z.enum(['AND', 'OR']), conditions: z.array(filterCondition).min(1).max(2) }),
]);
export type AllocationColumnFilter = z.infer<typeof allocationColumnFilter>;
export type AllocationFilterCondition = z.infer<typeof filterCondition>;
/** The allocation grid's sort model (applied in SQL, ties broken by id). */
const allocationSort = z.array(z.strictObject({ colId: z.enum(ALLOCATION_GRID_COLUMNS), sort: z.enum(['asc', 'desc']) })).max(ALLOCATION_GRID_COLUMNS.length);
/** The allocation grid's filter model per column (amount filters in cents). */
const allocationFilter = z.partialRecord(z.enum(ALLOCATION_GRID_COLUMNS), allocationColumnFilter);

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
    /** The grid's sort model, applied in SQL (ties broken by id); default date, id. */
    sort: allocationSort.default([]),
    /** The grid's filter model per column, applied in SQL. Amount filters are in cents. */
    filter: allocationFilter.default({}),
    /** Quick search: every word must occur (case-insensitively) in deal, sector, security type, status, date or approver. */
    search: z.string().max(200).default(''),
    /** Also return `totals` over every row matching filter and search (computed in SQL). */
    totals: z.boolean().default(false),
    /** Also return `summary`: the chart aggregates of the whole fund (computed in SQL). */
    summary: z.boolean().default(false),
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
    /**
     * kind 'allocations' with fundId: the allocation grid's sort, filters and
     * quick search, so the file holds the rows the grid shows, in its order
     * (same SQL as allocationRows). Omitted or empty: every live allocation by id.
     */
    query: z.strictObject({ sort: allocationSort.default([]), filter: allocationFilter.default({}), search: z.string().max(200).default('') }).optional(),
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
  /** Central server this profile syncs with; null for a standalone profile. */
  server: string | null;
  /** A sign-in is held by the host (access token in memory) or stored in the keychain. */
  signedIn: boolean;
  /** The stored sign-in ended (expired, revoked, signed out): work continues locally; sign in again to sync (#/sign-in). */
  signInRequired: boolean;
  /** Server to pre-fill in the sign-in form (the bound server, or MERIDIAN_SERVER_URL, e.g. the embedded demo server). */
  suggestedServer: string | null;
  /** Set when credentials cannot be kept in the OS keychain (shown in the sign-in screen). */
  credentialNotice: string | null;
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
  /** With `totals: true`: over the rows matching filter and search. */
  totals?: AllocationTotalsView;
  /** With `summary: true`: counted allocations of the whole fund, aggregated for the charts. */
  summary?: AllocationSummaryView;
}

export interface AllocationTotalsView {
  /** Rows matching filter and search. */
  rows: number;
  /** Sum of their amounts, cents. */
  amount: number;
  /** Sum of the counted ones (approved, committed, funded), cents. */
  counted: number;
  /** Whether any allocation of the fund (filters aside) awaits approval. */
  anyProposed: boolean;
}

export interface AllocationSummaryView {
  /** Counted allocations by deal sector ("Unclassified" when none), largest first. */
  bySector: { sector: string; amount: number; count: number }[];
  /** Counted allocations summed per date, in date order. */
  countedByDate: { date: string; amount: number }[];
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
