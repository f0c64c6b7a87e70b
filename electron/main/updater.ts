/**
 * electron-updater in the main process (decisions in ./update-policy):
 * check at start and every 6 hours, download in the background, offer a
 * restart when ready; failures are logged and shown once as a notification.
 * Never runs in development or unpackaged runs. The feed URL comes from
 * app-update.yml, which electron-builder writes from electron-builder.yml's
 * `publish` (the firm's central server, GET /updates/<channel>/…).
 */
import electronUpdater from 'electron-updater';
import { FIRST_CHECK_DELAY_MS, UPDATE_CHECK_INTERVAL_MS, shouldCheckForUpdates, updateFailureNotice, updateReadyPrompt, type DialogModel, type NoticeModel, type UpdateCheckContext } from './update-policy';

export interface UpdaterLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface UpdaterUi {
  /** Asks with a dialog; resolves with the index of the button pressed. */
  ask(model: DialogModel): Promise<number>;
  notify(notice: NoticeModel): void;
}

export interface Updater {
  checkNow(): Promise<void>;
  stop(): void;
}

export function startUpdater(context: UpdateCheckContext, log: UpdaterLog, ui: UpdaterUi, currentVersion: string): Updater | null {
  const verdict = shouldCheckForUpdates(context);
  if (!verdict.check) {
    log.info({ reason: verdict.reason }, 'auto-update off');
    return null;
  }
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = {
    info: (m?: unknown) => log.debug({ updater: String(m) }, 'updater'),
    warn: (m?: unknown) => log.warn({ updater: String(m) }, 'updater'),
    error: (m?: unknown) => log.error({ updater: String(m) }, 'updater'),
    debug: (m?: unknown) => log.debug({ updater: String(m) }, 'updater'),
  };
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.allowDowngrade = false;
  autoUpdater.allowPrerelease = false;
  autoUpdater.fullChangelog = false;

  let failureShown = false;
  let prompted: string | null = null;

  autoUpdater.on('error', (error) => {
    const n = updateFailureNotice(error, failureShown);
    log.warn({ error: error.message }, n.log);
    if (n.show) {
      failureShown = true;
      ui.notify(n.show);
    }
  });
  autoUpdater.on('update-available', (info) => log.info({ version: info.version }, 'update available; downloading in the background'));
  autoUpdater.on('update-not-available', (info) => log.info({ latest: info.version }, 'no update'));
  autoUpdater.on('update-downloaded', (info) => {
    if (prompted === info.version) return;
    prompted = info.version;
    log.info({ version: info.version }, 'update downloaded');
    void ui.ask(updateReadyPrompt(info.version, currentVersion)).then((button) => {
      if (button === 0) autoUpdater.quitAndInstall(false, true);
    });
  });

  const check = async () => {
    try {
      await autoUpdater.checkForUpdates();
    } catch {
      // reported through the 'error' event
    }
  };
  const first = setTimeout(() => void check(), FIRST_CHECK_DELAY_MS);
  const every = setInterval(() => void check(), UPDATE_CHECK_INTERVAL_MS);
  return {
    checkNow: check,
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
