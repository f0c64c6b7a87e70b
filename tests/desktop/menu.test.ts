import { describe, expect, it } from 'vitest';
import { IMPORT_KINDS } from '../../shared/imports/kinds';
import { commandsOf, menuTemplate, type MenuItemModel, type MenuState } from '../../electron/main/menu-model';

const base: MenuState = { platform: 'win32', signedIn: true, syncing: false, syncPaused: false, dev: false };
const find = (items: readonly MenuItemModel[], id: string): MenuItemModel | undefined => {
  for (const i of items) {
    if (i.id === id) return i;
    const sub = find(i.submenu ?? [], id);
    if (sub) return sub;
  }
  return undefined;
};
const roles = (items: readonly MenuItemModel[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);

describe('menuTemplate()', () => {
  it('has File, Edit, View, Sync and Help on Windows and Linux', () => {
    expect(menuTemplate(base).map((m) => m.id)).toEqual(['file', 'edit', 'view', 'sync', 'help']);
    expect(menuTemplate({ ...base, platform: 'linux' }).map((m) => m.id)).toEqual(['file', 'edit', 'view', 'sync', 'help']);
  });

  it('puts the app menu first and adds Window on macOS', () => {
    const mac = menuTemplate({ ...base, platform: 'darwin' });
    expect(mac.map((m) => m.id)).toEqual(['app', 'file', 'edit', 'view', 'sync', 'window', 'help']);
    expect(find(mac, 'app.about')?.command).toEqual({ type: 'about' });
    expect(find(mac, 'help.about')).toBeUndefined();
    expect(roles(mac)).toContain('quit');
  });

  it('File: one import per kind, export, sign out when signed in, sign in otherwise', () => {
    const t = menuTemplate(base);
    expect(find(t, 'file.import')?.submenu?.map((i) => i.command)).toEqual(IMPORT_KINDS.map((kind) => ({ type: 'import', kind })));
    expect(find(t, 'file.export')?.command).toEqual({ type: 'export-allocations' });
    expect(find(t, 'file.sign-out')?.command).toEqual({ type: 'sign-out' });
    expect(find(t, 'file.sign-in')).toBeUndefined();
    const out = menuTemplate({ ...base, signedIn: false });
    expect(find(out, 'file.sign-in')?.command).toEqual({ type: 'sign-in' });
    expect(find(out, 'file.sign-out')).toBeUndefined();
  });

  it('Edit has the standard editing roles', () => {
    expect(roles(find(menuTemplate(base), 'edit')!.submenu!)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll']);
  });

  it('View offers reload and DevTools only in development', () => {
    expect(roles(menuTemplate(base))).not.toContain('toggleDevTools');
    expect(roles(menuTemplate(base))).not.toContain('reload');
    expect(roles(menuTemplate({ ...base, dev: true }))).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('Sync: sync now (not while syncing or signed out) and a pause toggle', () => {
    const t = menuTemplate(base);
    expect(find(t, 'sync.now')).toMatchObject({ enabled: true, command: { type: 'sync-now' } });
    expect(find(t, 'sync.pause')).toMatchObject({ type: 'checkbox', checked: false, command: { type: 'sync-pause' } });
    expect(find(menuTemplate({ ...base, syncing: true }), 'sync.now')?.enabled).toBe(false);
    expect(find(menuTemplate({ ...base, syncPaused: true }), 'sync.pause')).toMatchObject({ checked: true, command: { type: 'sync-resume' } });
    const signedOut = menuTemplate({ ...base, signedIn: false });
    expect(find(signedOut, 'sync.now')?.enabled).toBe(false);
    expect(find(signedOut, 'sync.pause')?.enabled).toBe(false);
  });

  it('Help: about and open logs', () => {
    const t = menuTemplate(base);
    expect(find(t, 'help.about')?.command).toEqual({ type: 'about' });
    expect(find(t, 'help.logs')?.command).toEqual({ type: 'open-logs' });
  });

  it('disables import and export while a long job runs', () => {
    const t = menuTemplate({ ...base, busy: true });
    expect(find(t, 'file.import')?.enabled).toBe(false);
    expect(find(t, 'file.export')?.enabled).toBe(false);
  });

  it('is plain data: every command is serialisable and accelerators are unique', () => {
    const t = menuTemplate({ ...base, dev: true });
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
    const accels = JSON.stringify(t).match(/"accelerator":"[^"]+"/g) ?? [];
    expect(new Set(accels).size).toBe(accels.length);
    expect(commandsOf(t).map((c) => c.type)).toEqual(expect.arrayContaining(['import', 'export-allocations', 'sign-out', 'sync-now', 'sync-pause', 'about', 'open-logs']));
  });
});
