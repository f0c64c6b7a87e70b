import { describe, expect, it } from 'vitest';
import { FIRST_CHECK_DELAY_MS, linuxPackageKind, shouldCheckForUpdates, UPDATE_CHECK_INTERVAL_MS, updateFailureNotice, updateReadyPrompt } from '../../electron/main/update-policy';

describe('updater policy', () => {
  it('checks every 6 hours, first shortly after start', () => {
    expect(UPDATE_CHECK_INTERVAL_MS).toBe(6 * 60 * 60 * 1000);
    expect(FIRST_CHECK_DELAY_MS).toBeLessThan(5 * 60 * 1000);
  });

  it('is off in development and unpackaged runs', () => {
    expect(shouldCheckForUpdates({ packaged: false, env: {} })).toMatchObject({ check: false });
    expect(shouldCheckForUpdates({ packaged: true, env: { NODE_ENV: 'development' } })).toMatchObject({ check: false });
  });

  it('is on for packaged builds unless MERIDIAN_UPDATES turns it off', () => {
    expect(shouldCheckForUpdates({ packaged: true, env: {}, platform: 'win32' })).toEqual({ check: true });
    expect(shouldCheckForUpdates({ packaged: true, env: {}, platform: 'darwin' })).toEqual({ check: true });
    for (const off of ['off', '0', 'false', 'NO', ' disabled ']) expect(shouldCheckForUpdates({ packaged: true, env: { MERIDIAN_UPDATES: off } }).check, off).toBe(false);
    expect(shouldCheckForUpdates({ packaged: true, env: { MERIDIAN_UPDATES: 'on' }, platform: 'win32' }).check).toBe(true);
  });

  it('on Linux, only for the AppImage and deb/rpm installs electron-updater can replace', () => {
    expect(shouldCheckForUpdates({ packaged: true, env: {}, platform: 'linux', linuxPackage: null }).check).toBe(false);
    expect(shouldCheckForUpdates({ packaged: true, env: {}, platform: 'linux', linuxPackage: 'AppImage' }).check).toBe(true);
    expect(linuxPackageKind({ APPIMAGE: '/home/a/Meridian.AppImage' }, null)).toBe('AppImage');
    expect(linuxPackageKind({}, 'deb\n')).toBe('deb');
    expect(linuxPackageKind({}, 'pacman')).toBeNull();
    expect(linuxPackageKind({}, null)).toBeNull();
  });

  it('offers a restart and never forces one', () => {
    const p = updateReadyPrompt('1.5.0', '1.4.2');
    expect(p.buttons).toEqual(['Restart Now', 'Later']);
    expect(p.cancelId).toBe(1);
    expect(p.message).toContain('1.5.0');
    expect(p.detail).toContain('1.4.2');
  });

  it('logs every failure and tells the user once, without a modal', () => {
    const first = updateFailureNotice(new Error('net::ERR_NAME_NOT_RESOLVED\n    at stack'), false);
    expect(first.log).toContain('ERR_NAME_NOT_RESOLVED');
    expect(first.show?.body).toContain('keep working');
    expect(first.show?.body).not.toContain('at stack');
    expect(updateFailureNotice(new Error('again'), true).show).toBeNull();
  });
});
