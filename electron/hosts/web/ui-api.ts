/**
 * The hosts' implementation of the host-provided contract pieces (UI and
 * sign-in: shared/api/ui-contract.ts, shared/api/sign-in-contract.ts), used
 * by the web host and, with its own session, sync and save flow, by the
 * desktop main process. Reads are plain SQL over the local profile, like
 * electron/core/read-models; the lead may move them onto Workstation when
 * the contract additions move to shared/api.
 */
import { businessDateOf } from '../../../shared/dates';
import { MeridianError } from '../../../shared/errors';
import { formatMoney } from '../../../shared/money';
import { loadRules } from '../../../shared/mutators';
import { parseOrThrow } from '../../../shared/validation';
import type { Workstation } from '../../core/workstation';
import { createAllocationRowsReader } from '../../core/allocation-rows';
import { exportRowsCsv } from '../../core/exports/export-kinds';
import { ALLOCATION_EXPORT_COLUMNS } from '../../core/exports/export-csv';
import { formatCents } from '../../../shared/money';
import { neutraliseCell } from '../../core/exports/csv-safe';
import { reportApi } from '../../core/reports/report-api';
import type { Downloads } from './downloads';
import { signInMethods, signInStateOf, type SyncPort } from './sync-port';
import type { HostApi } from '../../../shared/api/contract';
import {
  uiContractInputs,
  type AllocationRowsView,
  type FundCashflowsView,
  type HistoryEntryView,
  type InvestorPositionView,
  type SessionView,
  type UiContractInput,
  type UiContractMethod,
} from '../../../shared/api/ui-contract';
import { reportContractInputs, type ReportUiInput, type ReportUiMethod } from '../../../shared/api/report-contract';
import type { z } from 'zod';

export interface UiApiOptions {
  sync: SyncPort;
  downloads: Downloads;
  profile: string;
  today?: () => string;
  /** Name to show for the signed-in user; defaults from the actor. */
  displayName?: () => string;
}

const MONEY_ARGS = new Set(['amount', 'size', 'nav', 'recallable']);
const QUIET_ARGS = new Set(['id', 'expectedVersion']);

/** "amount USD 3,000,000.00 · securityType senior_debt" from a mutation's arguments. */
export function summariseArgs(args: Record<string, unknown>, currency: string | null): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(args)) {
    if (QUIET_ARGS.has(k) || v === undefined || v === null || v === '') continue;
    if (MONEY_ARGS.has(k) && typeof v === 'number' && Number.isSafeInteger(v) && currency) parts.push(`${k} ${formatMoney(v, currency)}`);
    else parts.push(`${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  return parts.join(' · ');
}

/** `name` ending in `.ext` (case-insensitive), appended when missing. */
export function withExtension(name: string, ext: string): string {
  return name.toLowerCase().endsWith(`.${ext}`) ? name : `${name}.${ext}`;
}

/** A grid's displayed rows as CSV through the core's writer (RFC 4180, neutralised cells and headers, atomic). */
export function writeGridCsv(columns: ReadonlyArray<{ header: string }>, rows: string[][], file: string, bom: boolean) {
  return exportRowsCsv(
    columns.map((c) => neutraliseCell(c.header)),
    rows,
    file,
    { bom },
  );
}

type ExportQuery = NonNullable<z.output<(typeof uiContractInputs)['saveExport']>['query']>;

/**
 * The allocation grid's export when it is sorted, filtered or searched: the
 * rows the grid shows, in its order, read with the grid's own SQL
 * (electron/core/allocation-rows) and written through the core's CSV writer
 * in the columns of the plain allocations export. Returns null for the
 * default view (no sort, filter or search): the caller then streams the
 * core's export (ws.exportCsv), as before.
 */
export function allocationViewExporter(ws: Workstation) {
  const read = createAllocationRowsReader(ws.db.raw);
  return async (fundId: string, query: ExportQuery | undefined, file: string, bom: boolean): Promise<{ rows: number; file: string } | null> => {
    if (!query || (!query.sort.length && !Object.keys(query.filter).length && !query.search.trim())) return null;
    const fund = ws.db.raw.prepare<[string], { name: string }>('SELECT name FROM fund WHERE id = ? AND deleted_at IS NULL').get(fundId);
    if (!fund) throw new MeridianError('NOT_FOUND', `fund ${fundId} does not exist`, { fundId });
    const { rows } = read({ fundId, offset: 0, limit: 1_000_000, sort: query.sort, filter: query.filter, search: query.search.trim(), totals: false, summary: false });
    // [id, dealId, dealName, securityType, amount, status, date, approvedBy, approvedAt, version, …] → ALLOCATION_EXPORT_COLUMNS
    const cells = rows.map((t) => [t[0], fundId, fund.name, t[1], t[2], t[3], formatCents(t[4]), t[5], t[6], t[9]]);
    return exportRowsCsv(ALLOCATION_EXPORT_COLUMNS, cells, file, { bom });
  };
}

export function createUiApi(ws: Workstation, options: UiApiOptions): HostApi {
  const today = options.today ?? (() => businessDateOf(new Date()));
  const raw = ws.db.raw;
  const input = <M extends UiContractMethod>(method: M, value: unknown) =>
    parseOrThrow(uiContractInputs[method] as z.ZodType, value ?? {}, `${method} input`) as z.output<(typeof uiContractInputs)[M]>;

  const fundRow = (id: string) => {
    const f = raw.prepare<[string], { id: string; name: string; currency: string }>('SELECT id, name, currency FROM fund WHERE id = ? AND deleted_at IS NULL').get(id);
    if (!f) throw new MeridianError('NOT_FOUND', `fund ${id} does not exist`, { fundId: id });
    return f;
  };

  const reportInput = <M extends ReportUiMethod>(method: M, value: unknown) =>
    parseOrThrow(reportContractInputs[method] as z.ZodType, value ?? {}, `${method} input`) as z.output<(typeof reportContractInputs)[M]>;
  const reports = reportApi(ws, { today });
  const exportView = allocationViewExporter(ws);

  // Pages, sort, filters, search and totals of the allocation grid, in SQL (electron/core/allocation-rows).
  const readAllocationRows = createAllocationRowsReader(raw);

  const session = (): SessionView => ({
    userId: ws.actor.userId,
    role: ws.actor.role,
    displayName: options.displayName?.() ?? (ws.actor.userId === 'local' ? 'Local user (not signed in)' : ws.actor.userId),
    profile: options.profile,
    today: today(),
    host: 'web',
    ...signInStateOf(options.sync),
  });

  const api = {
    async session(_: UiContractInput<'session'> = {}) {
      return session();
    },

    async businessRules(_: UiContractInput<'businessRules'> = {}) {
      return loadRules(ws.db.kysely);
    },

    async allocationRows(value: UiContractInput<'allocationRows'>): Promise<AllocationRowsView> {
      const q = input('allocationRows', value);
      const fund = fundRow(q.fundId);
      return { fundId: q.fundId, fundName: fund.name, currency: fund.currency, offset: q.offset, ...readAllocationRows(q) };
    },

    async fundCashflows(value: UiContractInput<'fundCashflows'>): Promise<FundCashflowsView> {
      const { fundId, asOf = today() } = input('fundCashflows', value);
      const fund = fundRow(fundId);
      const contributions = raw
        .prepare<[string, string, string, string], { date: string; amount: number }>(
          `SELECT p.date AS date, p.amount AS amount FROM payment p JOIN capital_call c ON c.id = p.call_id
             WHERE c.fund_id = ? AND p.date <= ? AND p.deleted_at IS NULL
           UNION ALL
           SELECT date, amount FROM contribution WHERE fund_id = ? AND date <= ? AND deleted_at IS NULL
           ORDER BY date`,
        )
        .all(fundId, asOf, fundId, asOf);
      const distributions = raw
        .prepare<[string, string], { date: string; amount: number; recallable: number }>(
          'SELECT date, amount, recallable FROM distribution WHERE fund_id = ? AND date <= ? AND deleted_at IS NULL ORDER BY date',
        )
        .all(fundId, asOf);
      const navMarks = raw
        .prepare<[string, string], { date: string; nav: number }>('SELECT date, nav FROM nav_mark WHERE fund_id = ? AND date <= ? AND deleted_at IS NULL ORDER BY date')
        .all(fundId, asOf);
      return { fundId, currency: fund.currency, asOf, contributions, distributions, navMarks };
    },

    async investorPositions(value: UiContractInput<'investorPositions'> = {}): Promise<InvestorPositionView[]> {
      const { investorId, fundId } = input('investorPositions', value);
      const rows = raw
        .prepare<[string | null, string | null, string | null, string | null], InvestorPositionView>(
          `WITH com AS (
             SELECT investor_id, fund_id, sum(amount) AS commitment FROM commitment
             WHERE deleted_at IS NULL GROUP BY investor_id, fund_id),
           calls AS (
             SELECT l.investor_id, c.fund_id, sum(l.amount) AS called, sum(l.paid) AS paid
             FROM capital_call_line l JOIN capital_call c ON c.id = l.call_id
             WHERE l.deleted_at IS NULL AND c.deleted_at IS NULL AND c.status IN ('issued', 'partially_paid', 'paid')
             GROUP BY l.investor_id, c.fund_id)
           SELECT com.investor_id AS investorId, i.name AS investorName, com.fund_id AS fundId, f.name AS fundName,
                  f.currency AS currency, com.commitment AS commitment,
                  coalesce(calls.called, 0) AS called, coalesce(calls.paid, 0) AS paid,
                  com.commitment - coalesce(calls.called, 0) AS unfunded
           FROM com JOIN investor i ON i.id = com.investor_id AND i.deleted_at IS NULL
                    JOIN fund f ON f.id = com.fund_id AND f.deleted_at IS NULL
                    LEFT JOIN calls ON calls.investor_id = com.investor_id AND calls.fund_id = com.fund_id
           WHERE (? IS NULL OR com.investor_id = ?) AND (? IS NULL OR com.fund_id = ?)
           ORDER BY i.name, f.name`,
        )
        .all(investorId ?? null, investorId ?? null, fundId ?? null, fundId ?? null);
      return rows;
    },

    async recordHistory(value: UiContractInput<'recordHistory'>): Promise<HistoryEntryView[]> {
      const { entity, id } = input('recordHistory', value);
      const row = raw
        .prepare<[string], { version: number; updated_at: string; updated_by: string; currency?: string }>(
          `SELECT t.version, t.updated_at, t.updated_by FROM "${entity}" t WHERE t.id = ?`,
        )
        .get(id);
      if (!row) throw new MeridianError('NOT_FOUND', `${entity.replace(/_/g, ' ')} ${id} does not exist`, { entity, id });
      const currency =
        entity === 'allocation' || entity === 'capital_call'
          ? (raw.prepare<[string], { currency: string }>(`SELECT f.currency FROM "${entity}" t JOIN fund f ON f.id = t.fund_id WHERE t.id = ?`).get(id)?.currency ?? null)
          : entity === 'fund'
            ? (raw.prepare<[string], { currency: string }>('SELECT currency FROM fund WHERE id = ?').get(id)?.currency ?? null)
            : null;
      const pending = raw
        .prepare<[string, string], { mutation_id: number; name: string; args: string; created_at: string }>(
          `SELECT mutation_id, name, args, created_at FROM outbox
           WHERE json_extract(args, '$.id') = ? OR json_extract(args, '$.callId') = ? ORDER BY mutation_id DESC`,
        )
        .all(id, id);
      const entries: HistoryEntryView[] = pending.map((m) => {
        const args = JSON.parse(m.args) as Record<string, unknown>;
        return {
          at: m.created_at,
          actor: 'this workstation',
          action: m.name,
          source: 'local',
          state: 'pending',
          mutationId: m.mutation_id,
          summary: summariseArgs(args, currency),
          details: args,
        };
      });
      const server = (await options.sync.serverHistory?.(entity, id)) ?? [];
      entries.push(...server);
      if (!server.length && row.version > 0) {
        entries.push({
          at: row.updated_at,
          actor: row.updated_by,
          action: 'synced',
          source: 'server',
          state: 'applied',
          mutationId: null,
          summary: `Server version ${row.version}`,
          details: null,
        });
      }
      entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
      return entries;
    },

    async syncStatus(_: UiContractInput<'syncStatus'> = {}) {
      return options.sync.status();
    },
    async syncNow(_: UiContractInput<'syncNow'> = {}) {
      return options.sync.syncNow();
    },
    async listRejections(_: UiContractInput<'listRejections'> = {}) {
      return options.sync.listRejections();
    },
    async discardRejection(value: UiContractInput<'discardRejection'>) {
      return options.sync.discardRejection(input('discardRejection', value).id);
    },
    async resubmitRejection(value: UiContractInput<'resubmitRejection'>) {
      const { id, args } = input('resubmitRejection', value);
      return options.sync.resubmitRejection(id, args);
    },

    async saveExport(value: UiContractInput<'saveExport'>) {
      const { kind, fundId, id, suggestedName, bom, query } = input('saveExport', value);
      const target = options.downloads.target(suggestedName);
      const r = (kind === 'allocations' && fundId ? await exportView(fundId, query, target.file, bom) : null) ?? (await ws.exportCsv({ kind, file: target.file, fundId, id, bom }));
      const token = options.downloads.register(target.file, target.name);
      return { rows: r.rows, file: target.name, downloadUrl: `/download/${token}` };
    },

    // Reports and grid CSVs (shared/api/report-contract.ts): written into the private downloads folder, then downloaded once.
    async saveReport(value: ReportUiInput<'saveReport'>) {
      const { suggestedName, ...req } = reportInput('saveReport', value);
      const target = options.downloads.target(withExtension(suggestedName, 'pdf'));
      const r = await reports.saveReport({ ...req, file: target.file });
      const token = options.downloads.register(target.file, target.name);
      return { ...r, file: target.name, downloadUrl: `/download/${token}` };
    },

    async saveGridCsv(value: ReportUiInput<'saveGridCsv'>) {
      const { suggestedName, columns, rows, bom } = reportInput('saveGridCsv', value);
      const target = options.downloads.target(withExtension(suggestedName, 'csv'));
      const r = await writeGridCsv(columns, rows, target.file, bom);
      const token = options.downloads.register(target.file, target.name);
      return { rows: r.rows, file: target.name, downloadUrl: `/download/${token}` };
    },

    ...signInMethods(options.sync, session),
  } satisfies HostApi;
  return api;
}
