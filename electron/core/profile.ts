/**
 * Where a profile's data lives (DESIGN §2). Every host — desktop, web, CLI —
 * resolves it the same way:
 *   1. an explicit database file (`--db` / MERIDIAN_DB);
 *   2. otherwise <MERIDIAN_HOME>/profiles/<profile>/meridian.sqlite, where
 *      MERIDIAN_HOME defaults to the per-user data folder Electron uses for
 *      the app (userData): ~/Library/Application Support/Meridian on macOS,
 *      %APPDATA%\Meridian on Windows, $XDG_CONFIG_HOME/Meridian (or
 *      ~/.config/Meridian) on Linux.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Meridian';

export interface ProfileLocation {
  home: string;
  profile: string;
  dbFile: string;
}

type Env = Record<string, string | undefined>;

/** The per-user data folder, as Electron's app.getPath('userData') would give it. */
export function defaultHome(env: Env = process.env, platform: NodeJS.Platform = process.platform, homedir = os.homedir()): string {
  if (platform === 'darwin') return path.join(homedir, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(homedir, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir, '.config'), APP_NAME);
}

export function resolveProfile(opts: { db?: string; profile?: string; env?: Env } = {}): ProfileLocation {
  const env = opts.env ?? process.env;
  const home = path.resolve(env.MERIDIAN_HOME || defaultHome(env));
  const profile = opts.profile || env.MERIDIAN_PROFILE || 'default';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(profile) || profile.startsWith('.')) {
    throw new Error(`profile name "${profile}" may use letters, digits, ".", "_" and "-" only`);
  }
  const explicit = opts.db || env.MERIDIAN_DB;
  const dbFile = explicit ? path.resolve(explicit) : path.join(home, 'profiles', profile, 'meridian.sqlite');
  return { home, profile, dbFile };
}
