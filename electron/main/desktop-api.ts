/**
 * What the desktop main process answers over IPC: the contract (the
 * Workstation), the proposed UI additions (the web host's implementation,
 * shared), sign-in (./desktop-session) and the desktop's own flows —
 * exports through a native save dialog, imports through a native open
 * dialog. Plain Node: dialogs come in through `DesktopShell`, so this is
 * exercised by the unit tests without Electron.
 *
 * Only the methods in shared/api/contract.ts's `contractInputs` are
 * reachable from the page (the preload exposes those, ./ipc-policy checks
 * them); the rest are ready for when the lead merges the proposed
 * additions into the contract.
 */
import type { ImportReportView, MeridianApi } from '../../shared/api/contract';
import { isMeridianError, type MeridianError } from '../../shared/errors';
import type { ImportKind } from '../../shared/imports/kinds';
import type { Workstation } from '../core/workstation';
import type { Downloads } from '../hosts/web/downloads';
import { safeFileName } from '../hosts/web/security';
import { createUiApi } from '../hosts/web/ui-api';
import type { MeridianUiApi, SyncStatusView, UiContractInput } from '../hosts/web/ui-contract';
import type { SyncPort } from '../hosts/web/sync-port';
import type { DesktopSession } from './desktop-session';
import type { HandlerTable } from './ipc-policy';
import type { DesktopSessionView, SignInApi, SignInInput } from './sign-in-contract';
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
  session: DesktopSession;
  shell: DesktopShell;
  grants: PathGrantStore;
  profile: string;
  today?: () => string;
}

export type DesktopApi = MeridianApi & MeridianUiApi & SignInApi;

const CSV_FILTERS = [{ name: 'CSV files', extensions: ['csv'] }];

/** The UI's export flow can never reach the web host's temporary downloads under Electron. */
const NO_DOWNLOADS = new Proxy(
  {},
  {
    get() {
      throw new Error('downloads are a web-host feature; the desktop saves through a native dialog');
    },
  },
) as Downloads;

export function desktopSyncPort(session: DesktopSession): SyncPort {
  return {
    status: () => session.syncPort().status(),
    syncNow: () => session.syncNow(),
    listRejections: () => session.syncPort().listRejections(),
    discardRejection: (id) => session.syncPort().discardRejection(id),
    resubmitRejection: (id, args) => session.syncPort().resubmitRejection(id, args),
    serverHistory: (entity, id) => session.syncPort().serverHistory?.(entity, id) ?? Promise.resolve([]),
    onStatus: (listener) => {
      session.on('syncStatus', listener);
      return () => {
        session.off('syncStatus', listener);
      };
    },
  };
}

export function createDesktopApi(o: DesktopApiOptions): { api: DesktopApi; handlers: HandlerTable; importFromDialog(kind: ImportKind): Promise<ImportOutcome>; exportAllocationsFromDialog(): Promise<{ rows: number; file: string } | null> } {
  const { ws, session, shell, grants } = o;
  const ui = createUiApi(ws, {
    sync: desktopSyncPort(session),
    downloads: NO_DOWNLOADS,
    profile: o.profile,
    today: o.today,
  });

  const api: DesktopApi = {
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

    // Proposed UI additions: the shared implementation, with the desktop's session, sync and save flow.
    ...ui,
    session: async (): Promise<DesktopSessionView> => session.session(),
    syncStatus: async (): Promise<SyncStatusView> => session.syncPort().status(),
    syncNow: async (): Promise<SyncStatusView> => session.syncNow(),
    async saveExport(input: UiContractInput<'saveExport'>) {
      const file = await shell.chooseSaveFile({ title: 'Export to CSV', suggestedName: safeFileName(input.suggestedName), filters: CSV_FILTERS });
      if (!file) return null;
      grants.write.add(file);
      const r = await ws.exportCsv({ kind: input.kind, file, fundId: input.fundId, id: input.id, bom: input.bom });
      return { rows: r.rows, file: r.file };
    },

    // Proposed sign-in additions.
    signIn: (i: SignInInput<'signIn'>) => session.signIn(i),
    signOut: () => session.signOut(),
  };

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
