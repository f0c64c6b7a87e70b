/**
 * Auto-update decisions (pure; ./updater.ts drives electron-updater).
 * Updates come from the firm's central server (generic provider, set in
 * electron-builder.yml → app-update.yml). The app checks at start and every
 * 6 hours, downloads in the background, then offers a restart; it never
 * restarts on its own and never blocks work. Off in development and in any
 * unpackaged run, and when MERIDIAN_UPDATES=off.
 *
 * Staged rollouts: electron-updater itself decides whether this install is
 * inside a release's `stagingPercentage`, from the random id it keeps in
 * userData/.updaterId (sent as the x-user-staging-id header); the feed
 * (server/updates) applies the same rule. See docs/releasing.md.
 */

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;
/** First check shortly after start, once the window is up. */
export const FIRST_CHECK_DELAY_MS = 30 * 1000;

export interface UpdateCheckContext {
  /** app.isPackaged */
  packaged: boolean;
  env: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  /**
   * Linux only: how this copy was installed — 'AppImage' when the AppImage
   * runtime set APPIMAGE, else the contents of resources/package-type that
   * electron-builder writes into deb/rpm packages; null for anything else
   * (an unpacked folder), which electron-updater cannot replace.
   */
  linuxPackage?: 'AppImage' | 'deb' | 'rpm' | null;
}

export type UpdateCheckVerdict = { check: true } | { check: false; reason: string };

const OFF = new Set(['0', 'off', 'false', 'no', 'disabled']);

export function shouldCheckForUpdates({ packaged, env, platform, linuxPackage }: UpdateCheckContext): UpdateCheckVerdict {
  if (!packaged) return { check: false, reason: 'not a packaged build (development run)' };
  if (env.NODE_ENV === 'development') return { check: false, reason: 'NODE_ENV=development' };
  const setting = env.MERIDIAN_UPDATES?.trim().toLowerCase();
  if (setting !== undefined && OFF.has(setting)) return { check: false, reason: `MERIDIAN_UPDATES=${env.MERIDIAN_UPDATES}` };
  if (platform === 'linux' && !linuxPackage) return { check: false, reason: 'Linux copy not installed from the AppImage or deb package' };
  return { check: true };
}

export interface DialogModel {
  type: 'info' | 'warning' | 'error' | 'question';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
}

/** Shown once an update is downloaded: restart now, or later (it installs on quit). */
export function updateReadyPrompt(version: string, current: string): DialogModel {
  return {
    type: 'info',
    title: 'Update ready',
    message: `Meridian ${version} is ready to install.`,
    detail: `You are running ${current}. Restart now to finish the update, or keep working — it is installed when you quit Meridian. Changes you have made are saved on this machine either way.`,
    buttons: ['Restart Now', 'Later'],
    defaultId: 0,
    cancelId: 1,
  };
}

export interface NoticeModel {
  title: string;
  body: string;
}

/**
 * A failed check or download: always logged; the user is told once per run
 * (an OS notification, never a modal dialog) and can keep working.
 */
export function updateFailureNotice(error: unknown, alreadyShown: boolean): { log: string; show: NoticeModel | null } {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0]!.slice(0, 300);
  return {
    log: `update check failed: ${message}`,
    show: alreadyShown
      ? null
      : {
          title: 'Meridian could not check for updates',
          body: `${firstLine}. You can keep working; Meridian tries again in a few hours.`,
        },
  };
}

/** Linux install kind from the APPIMAGE variable and the resources/package-type file's text. */
export function linuxPackageKind(env: Record<string, string | undefined>, packageTypeFile: string | null): 'AppImage' | 'deb' | 'rpm' | null {
  if (env.APPIMAGE) return 'AppImage';
  const t = packageTypeFile?.trim();
  return t === 'deb' || t === 'rpm' ? t : null;
}
