import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinary, NO_ELECTRON_MESSAGE } from '../../build/electron-binary';

const root = path.resolve(import.meta.dirname, '../..');

describe('finding the Electron binary (never downloading it)', () => {
  const pkg = path.join('/repo', 'node_modules', 'electron');

  it('uses path.txt and dist/ like electron/index.js', () => {
    const files = new Map([[path.join(pkg, 'path.txt'), 'electron']]);
    const exists = (f: string) => f === path.join(pkg, 'dist', 'electron');
    expect(electronBinary({ root: '/repo', env: {}, readText: (f) => files.get(f) ?? null, exists })).toBe(path.join(pkg, 'dist', 'electron'));
  });

  it('answers null when the binary was never installed (no path.txt) or is missing', () => {
    expect(electronBinary({ root: '/repo', env: {}, readText: () => null, exists: () => true })).toBeNull();
    expect(electronBinary({ root: '/repo', env: {}, readText: () => 'electron', exists: () => false })).toBeNull();
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const exists = (f: string) => f === path.join('/opt/electron', 'electron.exe');
    expect(electronBinary({ root: '/repo', env: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }, platform: 'win32', readText: () => null, exists })).toBe(path.join('/opt/electron', 'electron.exe'));
    expect(electronBinary({ root: '/repo', env: { ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' }, readText: () => null, exists: () => false })).toBeNull();
  });
});

describe('npm start without Electron', () => {
  it('prints one line naming npm run start:web and exits non-zero', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start-desktop.ts')], {
      cwd: root,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'no-electron-here') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual([NO_ELECTRON_MESSAGE]);
    expect(NO_ELECTRON_MESSAGE).toContain('npm run start:web');
    expect(r.status).not.toBe(0);
  }, 90_000);
});
