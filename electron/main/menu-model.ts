/**
 * The native menu as plain data (./menu.ts turns it into Electron's Menu).
 *   File: Import ▸ <kind>…, Export allocations…, Sign in… / Sign out, (Quit)
 *   Edit: the standard roles
 *   View: zoom, full screen (reload and DevTools in development only)
 *   Sync: Sync now, Pause sync
 *   Help: About Meridian, Open logs folder
 * On macOS the app menu (About, Hide, Quit) comes first and Window is added.
 */
import { IMPORT_KINDS, type ImportKind } from '../../shared/imports/kinds';

export type MenuCommand =
  | { type: 'import'; kind: ImportKind }
  | { type: 'export-allocations' }
  | { type: 'sign-in' }
  | { type: 'sign-out' }
  | { type: 'sync-now' }
  | { type: 'sync-pause' }
  | { type: 'sync-resume' }
  | { type: 'about' }
  | { type: 'open-logs' };

/** Electron menu roles used here. */
export type MenuRole =
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'minimize'
  | 'zoom'
  | 'front'
  | 'windowMenu';

export interface MenuItemModel {
  id?: string;
  label?: string;
  role?: MenuRole;
  type?: 'normal' | 'separator' | 'checkbox';
  accelerator?: string;
  enabled?: boolean;
  checked?: boolean;
  command?: MenuCommand;
  submenu?: MenuItemModel[];
}

export interface MenuState {
  platform: NodeJS.Platform;
  /** Signed in to a central server (a token is held or a stored sign-in exists). */
  signedIn: boolean;
  /** A sync cycle is running. */
  syncing: boolean;
  /** Automatic sync paused by the user. */
  syncPaused: boolean;
  /** Development run: reload and DevTools in View. */
  dev: boolean;
  /** A long job (import/export) is running: no second import or export meanwhile. */
  busy?: boolean;
}

const IMPORT_LABEL: Record<ImportKind, string> = {
  funds: 'Funds…',
  deals: 'Deals…',
  investors: 'Investors…',
  commitments: 'LP Commitments…',
  allocations: 'Allocations…',
  cashflows: 'Cash Flows…',
  navs: 'NAV Marks…',
  index: 'Benchmark Index Levels…',
};

const SEP: MenuItemModel = { type: 'separator' };

export function menuTemplate(state: MenuState): MenuItemModel[] {
  const mac = state.platform === 'darwin';
  const busy = state.busy ?? false;

  const file: MenuItemModel = {
    id: 'file',
    label: '&File',
    submenu: [
      {
        id: 'file.import',
        label: 'Import',
        enabled: !busy,
        submenu: IMPORT_KINDS.map((kind) => ({ id: `file.import.${kind}`, label: IMPORT_LABEL[kind], command: { type: 'import', kind } }) satisfies MenuItemModel),
      },
      { id: 'file.export', label: 'Export Allocations…', accelerator: 'CmdOrCtrl+E', enabled: !busy, command: { type: 'export-allocations' } },
      SEP,
      state.signedIn
        ? { id: 'file.sign-out', label: 'Sign Out', command: { type: 'sign-out' } }
        : { id: 'file.sign-in', label: 'Sign In…', command: { type: 'sign-in' } },
      SEP,
      mac ? { role: 'close' } : { role: 'quit', label: 'E&xit' },
    ],
  };

  const edit: MenuItemModel = {
    id: 'edit',
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      SEP,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' as const }] : []),
      { role: 'delete' },
      SEP,
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemModel = {
    id: 'view',
    label: '&View',
    submenu: [
      ...(state.dev ? [{ role: 'reload' as const }, { role: 'forceReload' as const }, { role: 'toggleDevTools' as const }, SEP] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      SEP,
      { role: 'togglefullscreen' },
    ],
  };

  const sync: MenuItemModel = {
    id: 'sync',
    label: '&Sync',
    submenu: [
      { id: 'sync.now', label: 'Sync Now', accelerator: 'CmdOrCtrl+Shift+S', enabled: state.signedIn && !state.syncing, command: { type: 'sync-now' } },
      {
        id: 'sync.pause',
        label: 'Pause Sync',
        type: 'checkbox',
        checked: state.syncPaused,
        enabled: state.signedIn,
        command: state.syncPaused ? { type: 'sync-resume' } : { type: 'sync-pause' },
      },
    ],
  };

  const help: MenuItemModel = {
    id: 'help',
    label: '&Help',
    submenu: [
      ...(mac ? [] : [{ id: 'help.about', label: 'About Meridian', command: { type: 'about' } } satisfies MenuItemModel]),
      { id: 'help.logs', label: 'Open Logs Folder', command: { type: 'open-logs' } },
    ],
  };

  if (!mac) return [file, edit, view, sync, help];

  const appMenu: MenuItemModel = {
    id: 'app',
    label: 'Meridian',
    submenu: [
      { id: 'app.about', label: 'About Meridian', command: { type: 'about' } },
      SEP,
      { role: 'services' },
      SEP,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      SEP,
      { role: 'quit' },
    ],
  };
  const windowMenu: MenuItemModel = { id: 'window', role: 'windowMenu' };
  return [appMenu, file, edit, view, sync, windowMenu, help];
}

/** Every command reachable in a template (tests, and the glue's exhaustiveness). */
export function commandsOf(items: readonly MenuItemModel[]): MenuCommand[] {
  return items.flatMap((i) => [...(i.command ? [i.command] : []), ...commandsOf(i.submenu ?? [])]);
}
