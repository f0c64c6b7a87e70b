/**
 * What the desktop main process answers over IPC: the whole contract
 * (shared/api/contract.ts) — its core piece by the Workstation, the UI piece
 * by the hosts' shared implementation (electron/hosts/web/ui-api), sign-in
 * and sync by the SyncSession — plus the desktop's own flows —
 * exports through a native save dialog, imports through a native open
 * dialog. Plain Node: dialogs come in through `DesktopShell`, so this is
 * exercised by the unit tests without Electron.
 *
 * Only the methods in `contractInputs` are reachable from the page (the
 * preload exposes those, ./ipc-policy checks them); `satisfies MeridianApi`
 * makes a contract method without a handler a type error.
 */
import type { ContractInput, ImportReportView, MeridianApi } from '../../shared/api/contract';
import { uiContractInputs, type SessionView, type SyncStatusView } from '../../shared/api/ui-contract';
import { isMeridianError, type MeridianError } from '../../shared/errors';
import type { ImportKind } from '../../shared/imports/kinds';
import type { Workstation } from '../core/workstation';
import type { Downloads } from '../hosts/web/downloads';
import { safeFileName } from '../hosts/web/security';
import { createCreditApi } from '../hosts/web/credit-api';
import { allocationViewExporter, createUiApi, withExtension, writeGridCsv } from '../hosts/web/ui-api';
import { reportApi } from '../core/reports/report-api';
import { saveGridCsvSchema, type ReportUiInput } from '../../shared/api/report-contract';
import { parseOrThrow } from '../../shared/validation';
import type { SyncSession } from '../hosts/web/sync-session';
import type { HandlerTable } from './ipc-policy';
import type { DialogModel } from './update-policy';

/** Native dialogs, provided by the Electron glue (tests pass fakes). */
export interface DesktopShell {
  /** A save dialog; the chosen path, or null when cancelled. */
  chooseSaveFile(options: { title: string; suggestedName: string; filters: Array<{ name: string; extensions: string[] }> }): Promise<string | null>;
  /** An open dialog for one file; the chosen path, or null when cancelled. */
  chooseOpenFile(options: { title: string; filters: Array<{ name: string; extensions: string[] }> }): Promise<string | null>;
}

/** Paths the user picked in this session's dialogs (./ipc-policy pathGrantDecision). */
export class PathGrantStore {
  readonly read = new Set<string>();
  readonly write = new Set<string>();
}

export interface DesktopApiOptions {
  ws: Workstation;
  session: SyncSession;
  shell: DesktopShell;
  grants: PathGrantStore;
  profile: string;
  today?: () => string;
}

export type DesktopApi = MeridianApi;

const CSV_FILTERS = [{ name: 'CSV files', extensions: ['csv'] }];
const PDF_FILTERS = [{ name: 'PDF documents', extensions: ['pdf'] }];

/** The UI's export flow can never reach the web host's temporary downloads under Electron. */
const NO_DOWNLOADS = new Proxy(
  {},
  {
    get() {
      throw new Error('downloads are a web-host feature; the desktop saves through a native dialog');
    },
  },
) as Downloads;

export function createDesktopApi(o: DesktopApiOptions): { api: DesktopApi; handlers: HandlerTable; importFromDialog(kind: ImportKind): Promise<ImportOutcome>; exportAllocationsFromDialog(): Promise<{ rows: number; file: string } | null> } {
  const { ws, session, shell, grants } = o;
  const ui = createUiApi(ws, {
    sync: session.hostPort(),
    downloads: NO_DOWNLOADS,
    profile: o.profile,
    today: o.today,
  });

  const reports = reportApi(ws, o.today ? { today: o.today } : {});
  const exportView = allocationViewExporter(ws);

  const api = {
    // The contract, answered by the Workstation (it validates its input again).
    listFunds: (i) => ws.listFunds(i),
    fundMetrics: (i) => ws.fundMetrics(i),
    listDeals: () => ws.listDeals(),
    listInvestors: () => ws.listInvestors(),
    listIndexNames: () => ws.listIndexNames(),
    listAllocations: (i) => ws.listAllocations(i),
    listCapitalCalls: (i) => ws.listCapitalCalls(i),
    getCapitalCall: (i) => ws.getCapitalCall(i),
    previewCapitalCall: (i) => ws.previewCapitalCall(i),
    checkAllocation: (i) => ws.checkAllocation(i),
    mutate: (i) => ws.mutate(i),
    importCsv: (i) => ws.importCsv(i), // path granted by a dialog: ipc-policy pathGrantDecision
    exportCsv: (i) => ws.exportCsv(i),
    cancelJob: (i) => ws.cancelJob(i),

    // The host-provided pieces: the shared implementation, with the desktop's session, sync and save flow.
    ...ui,
    session: async (): Promise<SessionView> => session.session(),
    syncStatus: async (): Promise<SyncStatusView> => session.syncPort().status(),
    syncNow: async (): Promise<SyncStatusView> => session.syncNow(),
    async saveExport(input: ContractInput<'saveExport'>) {
      const file = await shell.chooseSaveFile({ title: 'Export to CSV', suggestedName: safeFileName(input.suggestedName), filters: CSV_FILTERS });
      if (!file) return null;
      grants.write.add(file);
      const view = input.kind === 'allocations' && input.fundId ? parseOrThrow(uiContractInputs.saveExport, input, 'saveExport input').query : undefined;
      const r = (view && input.fundId ? await exportView(input.fundId, view, file, input.bom ?? false) : null) ?? (await ws.exportCsv({ kind: input.kind, file, fundId: input.fundId, id: input.id, bom: input.bom }));
      return { rows: r.rows, file: r.file };
    },
    // Reports and grid CSVs (shared/api/report-contract.ts): a save dialog, a write grant, then the core's job / CSV writer.
    async saveReport(input: ReportUiInput<'saveReport'>) {
      const { suggestedName, ...req } = input;
      const file = await shell.chooseSaveFile({ title: 'Save report as PDF', suggestedName: safeFileName(withExtension(suggestedName, 'pdf'), 'report.pdf'), filters: PDF_FILTERS });
      if (!file) return null;
      grants.write.add(file);
      return reports.saveReport({ ...req, file });
    },
    async saveGridCsv(input: ReportUiInput<'saveGridCsv'>) {
      const { suggestedName, columns, rows, bom } = parseOrThrow(saveGridCsvSchema, input, 'saveGridCsv input');
      const file = await shell.chooseSaveFile({ title: 'Export to CSV', suggestedName: safeFileName(withExtension(suggestedName, 'csv')), filters: CSV_FILTERS });
      if (!file) return null;
      grants.write.add(file);
      const r = await writeGridCsv(columns, rows, file, bom);
      return { rows: r.rows, file: r.file };
    },

    // Sign-in: the desktop's session view (host 'desktop').
    signIn: (i: ContractInput<'signIn'>) => session.signIn(i),
    signOut: () => session.signOut(),

    // Credit workspace reads (shared/api/credit-contract.ts), the hosts' shared implementation.
    ...createCreditApi(ws),
  } satisfies MeridianApi;

  async function importFromDialog(kind: ImportKind): Promise<ImportOutcome> {
    const file = await shell.chooseOpenFile({ title: `Import ${kind} from CSV`, filters: CSV_FILTERS });
    if (!file) return { kind: 'cancelled' };
    grants.read.add(file);
    try {
      return { kind: 'done', report: await ws.importCsv({ kind, file, skipInvalid: false }) };
    } catch (e) {
      if (isMeridianError(e) && e.problems.length && e.code !== 'INTERNAL' && e.code !== 'CANCELLED') return { kind: 'invalid', file, importKind: kind, error: e };
      throw e;
    }
  }

  async function exportAllocationsFromDialog(): Promise<{ rows: number; file: string } | null> {
    const file = await shell.chooseSaveFile({ title: 'Export allocations to CSV', suggestedName: `allocations-${ws.actor.userId === 'local' ? 'local' : 'all'}.csv`, filters: CSV_FILTERS });
    if (!file) return null;
    grants.write.add(file);
    return ws.exportCsv({ kind: 'allocations', file });
  }

  const handlers = api as unknown as HandlerTable;
  return { api, handlers, importFromDialog, exportAllocationsFromDialog };
}

export type ImportOutcome =
  | { kind: 'cancelled' }
  | { kind: 'done'; report: ImportReportView }
  | { kind: 'invalid'; file: string; importKind: ImportKind; error: MeridianError };

/** The dialog after a menu import: what was imported, or what is wrong and whether to import the valid rows. */
export function importOutcomeDialog(outcome: Exclude<ImportOutcome, { kind: 'cancelled' }>): DialogModel {
  if (outcome.kind === 'done') {
    const r = outcome.report;
    const skipped = r.skipped > 0 ? ` ${r.skipped} invalid row${r.skipped === 1 ? ' was' : 's were'} skipped.` : '';
    return {
      type: r.skipped > 0 ? 'warning' : 'info',
      title: 'Import finished',
      message: `Imported ${r.imported} of ${r.rows} ${r.kind} row${r.rows === 1 ? '' : 's'}.`,
      detail: `${skipped} ${r.problems
        .slice(0, 10)
        .map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message))
        .join('\n')}`.trim(),
      buttons: ['OK'],
      defaultId: 0,
      cancelId: 0,
    };
  }
  const problems = outcome.error.problems;
  const lines = problems.slice(0, 10).map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message));
  if (problems.length > 10) lines.push(`… and ${problems.length - 10} more.`);
  return {
    type: 'warning',
    title: 'Import not done',
    message: `Nothing was imported: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the file.`,
    detail: lines.join('\n'),
    buttons: ['Import Valid Rows Only', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
  };
}
