/**
 * Finds the Electron executable the way node_modules/electron/index.js does
 * (path.txt, ELECTRON_OVERRIDE_DIST_PATH) — but never downloads: where the
 * binary was not installed (these build machines), it answers null instead
 * of trying the network, which `require('electron')` would do.
 */
import fs from 'node:fs';
import path from 'node:path';

const DEFAULT_EXECUTABLE: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
  linux: 'electron',
};

export interface ElectronLookup {
  /** Repository root (node_modules/electron lives under it). */
  root: string;
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  exists?: (file: string) => boolean;
  readText?: (file: string) => string | null;
}

export function electronBinary(o: ElectronLookup): string | null {
  const env = o.env ?? process.env;
  const exists = o.exists ?? ((f: string) => fs.existsSync(f));
  const readText =
    o.readText ??
    ((f: string) => {
      try {
        return fs.readFileSync(f, 'utf8');
      } catch {
        return null;
      }
    });
  const pkg = path.join(o.root, 'node_modules', 'electron');
  const recorded = readText(path.join(pkg, 'path.txt'))?.trim() || null;
  const executable = recorded ?? DEFAULT_EXECUTABLE[o.platform ?? process.platform] ?? 'electron';
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, executable) : recorded ? path.join(pkg, 'dist', recorded) : null;
  return candidate && exists(candidate) ? candidate : null;
}

/** The one line `npm start` prints where Electron cannot run. */
export const NO_ELECTRON_MESSAGE =
  'Electron is not installed on this machine (node_modules/electron has no binary), so the desktop app cannot start here; run `npm run start:web` to use Meridian in your browser.';
