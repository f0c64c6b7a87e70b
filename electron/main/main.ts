/**
 * The Electron main process: thin glue around pure, unit-tested decisions.
 *
 *   single-instance lock → logger (rotating file) → crash handlers →
 *   app:// protocol + hardening → profile (Workstation) → sign-in/sync
 *   (SyncSession, electron/hosts/web/sync-session) → IPC (one registration point) → window (remembered
 *   bounds) → menu → notifications → auto-update.
 *
 * Bundled by build/bundle-desktop.ts into dist/electron/main.mjs; the
 * preload into dist/electron/preload.cjs; the renderer is dist/renderer.
 * Environment:
 *   MERIDIAN_HOME, MERIDIAN_PROFILE, MERIDIAN_DB   where the profile lives (electron/core/profile)
 *   MERIDIAN_SERVER_URL        server pre-filled in the sign-in form (npm start: the embedded one)
 *   MERIDIAN_DEMO=1            seed demo data into an empty profile (npm start)
 *   MERIDIAN_DEMO_USER, MERIDIAN_DEMO_LOGIN_FILE   development runs only: sign an unbound
 *                              profile in to the embedded demo server (npm start)
 *   MERIDIAN_CREDENTIAL_STORE  auto | keychain | file | memory
 *   MERIDIAN_EXTERNAL_HOSTS    extra https hosts links may open in the browser
 *   MERIDIAN_UPDATES=off       no update checks
 *   MERIDIAN_LOG_LEVEL         pino level (info)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, Notification, app, dialog, ipcMain, nativeTheme, net, protocol, screen, session as electronSession, shell, type MessageBoxOptions, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { APP_NAME, resolveProfile } from '../core/profile';
import { openCredentialStore, parseCredentialStoreChoice } from '../core/credentials/open';
import { Workstation } from '../core/workstation';
import { seedDemoIfEmpty } from '../hosts/web/demo';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES } from './app-protocol';
import { ErrorBoxThrottle, fatalErrorMessage, loadFailureDialog, rendererGoneDialog } from './crash-policy';
import { createDesktopApi, importOutcomeDialog, PathGrantStore, type DesktopShell } from './desktop-api';
import { SyncSession } from '../hosts/web/sync-session';
import { hardenAllWebContents, hardenSession, registerAppProtocol } from './hardening';
import { registerIpc } from './ipc';
import { createMainLogger } from './log-file';
import { applyMenu } from './menu';
import type { MenuCommand, MenuState } from './menu-model';
import { externalAllowList } from './navigation';
import { JobNotifier, rejectionNotification, type NotificationModel } from './notify-policy';
import { startUpdater, type Updater } from './updater';
import { linuxPackageKind, type DialogModel } from './update-policy';
import { windowOptions } from './window-options';
import { captureWindowState, parseWindowState, windowStateFromBounds } from './window-state';

const HERE = path.dirname(fileURLToPath(import.meta.url)); // dist/electron
const RENDERER_ROOT = path.resolve(HERE, '..', 'renderer');
const PRELOAD = path.join(HERE, 'preload.cjs');
const env = process.env;

// Before 'ready': the name decides userData (~/.config/Meridian …, the folder electron/core/profile expects).
app.setName(APP_NAME);
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();

const LOG_DIR = app.getPath('logs');
const { logger, file: logFile } = createMainLogger(LOG_DIR, { level: env.MERIDIAN_LOG_LEVEL ?? 'info', alsoStderr: !app.isPackaged });
const errorBoxes = new ErrorBoxThrottle();

function showFatal(error: unknown): void {
  if (!errorBoxes.allow(Date.now())) return;
  const m = fatalErrorMessage(error, logFile.file);
  dialog.showErrorBox(m.title, m.content);
}
process.on('uncaughtException', (error) => {
  logger.fatal({ err: error }, 'uncaught exception');
  showFatal(error);
});
process.on('unhandledRejection', (reason) => {
  logger.error({ err: reason }, 'unhandled rejection');
  showFatal(reason);
});

if (!app.requestSingleInstanceLock()) {
  logger.info({}, 'another Meridian is running; handing over to it');
  app.quit();
} else {
  start().catch((error: unknown) => {
    logger.fatal({ err: error }, 'start-up failed');
    const m = fatalErrorMessage(error, logFile.file);
    dialog.showErrorBox('Meridian could not start', m.content);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  const dev = !app.isPackaged;
  logger.info({ version: app.getVersion(), electron: process.versions.electron, packaged: app.isPackaged, platform: process.platform }, 'starting');

  // ---- security baseline (DESIGN §6)
  let extraHosts: string[] = [];
  const allowList = () => externalAllowList(env, extraHosts);
  hardenSession(electronSession.defaultSession, logger);
  hardenAllWebContents(app, shell, allowList, logger);
  registerAppProtocol(protocol, RENDERER_ROOT, logger);
  if (!fs.existsSync(path.join(RENDERER_ROOT, 'index.html'))) throw new Error(`The renderer is not built (${RENDERER_ROOT}); run npm start, which builds it.`);

  // ---- profile, sign-in, sync
  const where = resolveProfile({});
  logger.info({ db: where.dbFile, profile: where.profile }, 'profile');
  const ws = Workstation.open(where.dbFile);
  if (env.MERIDIAN_DEMO === '1') await seedDemoIfEmpty(ws, (line) => logger.info({}, line));
  const credentials = await openCredentialStore({ choice: parseCredentialStoreChoice(env.MERIDIAN_CREDENTIAL_STORE), file: path.join(where.home, 'credentials.json') });
  if (credentials.notice) logger.warn({ store: credentials.store.kind }, credentials.notice);
  const session = await SyncSession.open({
    ws,
    credentials: credentials.store,
    credentialNotice: credentials.notice,
    profile: where.profile,
    suggestedServer: env.MERIDIAN_SERVER_URL ?? null,
    log: logger,
  });
  // npm start (development only): sign an unbound profile in to the embedded demo server, as start:web does.
  if (dev && !session.server && env.MERIDIAN_SERVER_URL && env.MERIDIAN_DEMO_USER && env.MERIDIAN_DEMO_LOGIN_FILE) {
    try {
      const { demoPassword } = JSON.parse(fs.readFileSync(env.MERIDIAN_DEMO_LOGIN_FILE, 'utf8')) as { demoPassword: string };
      await session.signIn({ serverUrl: env.MERIDIAN_SERVER_URL, username: env.MERIDIAN_DEMO_USER, password: demoPassword });
    } catch (error) {
      logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'demo sign-in failed; sign in from File ▸ Sign In…');
    }
  }
  const hostOf = (url: string | null) => {
    try {
      return url && url.startsWith('https:') ? [new URL(url).hostname] : [];
    } catch {
      return [];
    }
  };
  extraHosts = hostOf(session.server);

  // ---- window
  let win: BrowserWindow | null = null;
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const dialogParent = () => (win && !win.isDestroyed() ? win : null);
  const ask = async (model: DialogModel): Promise<number> => {
    const options: MessageBoxOptions = { ...model, noLink: true };
    const parent = dialogParent();
    const r = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
    return r.response;
  };
  const focus = () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  const openRoute = (hash: string) => {
    focus();
    // Same-document navigation of our own page (the renderer routes on the hash).
    if (win && !win.isDestroyed()) void win.loadURL(`${APP_ENTRY_URL}#${hash}`).catch(() => {});
  };
  const notify = (n: NotificationModel) => {
    if (!Notification.isSupported()) return;
    const note = new Notification({ title: n.title, body: n.body, silent: false });
    note.on('click', () => (n.action === 'open-inbox' ? openRoute('/inbox') : focus()));
    note.show();
  };

  const shellPort: DesktopShell = {
    async chooseSaveFile(o) {
      const options: SaveDialogOptions = {
        title: o.title,
        defaultPath: path.join(app.getPath('documents'), o.suggestedName),
        filters: o.filters,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const parent = dialogParent();
      const r = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async chooseOpenFile(o) {
      const options: OpenDialogOptions = { title: o.title, filters: o.filters, properties: ['openFile'] };
      const parent = dialogParent();
      const r = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  };

  const grants = new PathGrantStore();
  const desktop = createDesktopApi({ ws, session, shell: shellPort, grants, profile: where.profile });
  const ipc = registerIpc({ ipcMain, handlers: desktop.handlers, grants, window: () => win, log: logger });

  // ---- menu (rebuilt when its state changes)
  let busy = 0;
  const menuState = (): MenuState => ({ platform: process.platform, signedIn: session.signedIn, syncing: session.syncing, syncPaused: session.paused, dev, busy: busy > 0 });
  const refreshMenu = () => applyMenu(Menu, menuState(), (c) => void runCommand(c));

  // ---- events to the page, notifications
  const jobs = new JobNotifier();
  let lastRejections: number | null = null;
  ws.events.on('jobProgress', (p) => {
    ipc.emit('jobProgress', p);
    const n = jobs.observe(p, Date.now(), win?.isFocused() ?? false);
    if (n) notify(n);
  });
  ws.events.on('dataChanged', (p) => ipc.emit('dataChanged', p));
  session.on('dataChanged', (p) => ipc.emit('dataChanged', p));
  session.on('syncStatus', (s) => {
    ipc.emit('syncStatus', s);
    const n = rejectionNotification(lastRejections, s.rejections);
    lastRejections = s.rejections;
    if (n) notify(n);
    refreshMenu();
  });
  session.on('session', (s) => {
    ipc.emit('session', s);
    extraHosts = hostOf(s.server);
    refreshMenu();
  });

  async function runCommand(command: MenuCommand): Promise<void> {
    try {
      switch (command.type) {
        case 'import': {
          busy++;
          refreshMenu();
          try {
            const outcome = await desktop.importFromDialog(command.kind);
            if (outcome.kind === 'cancelled') return;
            const button = await ask(importOutcomeDialog(outcome));
            if (outcome.kind === 'invalid' && button === 0) {
              const report = await ws.importCsv({ kind: outcome.importKind, file: outcome.file, skipInvalid: true });
              await ask(importOutcomeDialog({ kind: 'done', report }));
            }
          } finally {
            busy--;
            refreshMenu();
          }
          return;
        }
        case 'export-allocations': {
          const r = await desktop.exportAllocationsFromDialog();
          if (r) await ask({ type: 'info', title: 'Export finished', message: `Exported ${r.rows} allocation${r.rows === 1 ? '' : 's'}.`, detail: r.file, buttons: ['OK'], defaultId: 0, cancelId: 0 });
          return;
        }
        case 'sign-in':
          openRoute('/sign-in');
          return;
        case 'sign-out': {
          const button = await ask({
            type: 'question',
            title: 'Sign out',
            message: 'Sign out of the central server?',
            detail: 'Your data stays on this machine and you can keep working offline. Changes not yet synced are kept and sent after you sign in again.',
            buttons: ['Sign Out', 'Cancel'],
            defaultId: 1,
            cancelId: 1,
          });
          if (button === 0) await session.signOut();
          return;
        }
        case 'sync-now': {
          const status = await session.syncNow();
          if (status.state === 'signed_out') openRoute('/sign-in');
          else if (status.state === 'error' || status.state === 'offline') {
            await ask({ type: 'warning', title: 'Sync', message: 'Sync did not complete.', detail: status.message ?? '', buttons: ['OK'], defaultId: 0, cancelId: 0 });
          }
          return;
        }
        case 'sync-pause':
          session.pause();
          refreshMenu();
          return;
        case 'sync-resume':
          session.resume();
          refreshMenu();
          return;
        case 'about':
          app.showAboutPanel();
          return;
        case 'open-logs': {
          const error = await shell.openPath(LOG_DIR);
          if (error) logger.warn({ error }, 'could not open the logs folder');
          return;
        }
      }
    } catch (error) {
      logger.warn({ command: command.type, error: error instanceof Error ? error.message : String(error) }, 'menu command failed');
      await ask({ type: 'error', title: 'Meridian', message: error instanceof Error ? error.message : String(error), detail: '', buttons: ['OK'], defaultId: 0, cancelId: 0 });
    }
  }

  const readState = () => {
    try {
      return parseWindowState(fs.readFileSync(stateFile, 'utf8'));
    } catch {
      return null;
    }
  };

  function createWindow(): BrowserWindow {
    const state = windowStateFromBounds(
      readState(),
      screen.getAllDisplays().map((d) => d.workArea),
      screen.getPrimaryDisplay().workArea,
    );
    const options = windowOptions({ preload: PRELOAD, state, platform: process.platform, dev, backgroundColor: nativeTheme.shouldUseDarkColors ? '#101418' : '#ffffff' });
    const w = new BrowserWindow({
      ...options,
      // windowOptions() already sets these (unit-tested); they are pinned again where the window is
      // made so no later edit can weaken them silently, and so the static scanner sees them here.
      webPreferences: {
        ...options.webPreferences,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    if (state.maximized) w.maximize();
    if (state.fullScreen) w.setFullScreen(true);
    const reveal = () => {
      if (!w.isDestroyed() && !w.isVisible()) w.show();
    };
    w.once('ready-to-show', reveal);
    const fallback = setTimeout(reveal, 10_000); // never an invisible window
    w.once('show', () => clearTimeout(fallback));

    const contents = w.webContents;
    contents.on('render-process-gone', (_event, details) => {
      logger.error({ reason: details.reason, exitCode: details.exitCode }, 'renderer gone');
      const d = rendererGoneDialog(details);
      if (d) void ask(d).then((b) => (b === 0 ? contents.reload() : app.quit()));
    });
    contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
      logger.error({ errorCode, errorDescription, url: validatedURL }, 'page failed to load');
      const d = loadFailureDialog(errorCode, errorDescription, validatedURL, isMainFrame);
      if (!d) return;
      reveal();
      void ask(d).then((b) => (b === 0 ? contents.reload() : app.quit()));
    });
    contents.on('preload-error', (_event, preloadPath, error) => {
      logger.error({ preloadPath, err: error }, 'preload failed');
      showFatal(error);
    });
    contents.on('console-message', (event) => {
      if (event.level === 'error') logger.error({ source: event.sourceId, line: event.lineNumber, message: event.message.slice(0, 2000) }, 'page error');
    });
    contents.on('unresponsive', () => logger.warn({}, 'window unresponsive'));

    w.on('close', () => {
      try {
        fs.mkdirSync(path.dirname(stateFile), { recursive: true });
        fs.writeFileSync(stateFile, JSON.stringify(captureWindowState(w.getNormalBounds(), w.isMaximized(), w.isFullScreen())));
      } catch (error) {
        logger.warn({ error: String(error) }, 'could not save the window state');
      }
    });
    w.on('closed', () => {
      if (win === w) win = null;
    });
    void w.loadURL(APP_ENTRY_URL).catch(() => {}); // failures: did-fail-load
    return w;
  }

  app.on('second-instance', () => {
    if (!win) win = createWindow();
    focus();
  });
  app.on('activate', () => {
    if (!win) win = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.setAboutPanelOptions({ applicationName: 'Meridian', applicationVersion: app.getVersion(), version: `Electron ${process.versions.electron}`, copyright: 'For internal use by the firm.' });
  win = createWindow();
  refreshMenu();

  // ---- connectivity: a sync as soon as the network returns
  let online = net.isOnline();
  const connectivity = setInterval(() => {
    const now = net.isOnline();
    if (now !== online) session.notifyConnectivity(now);
    online = now;
  }, 15_000);

  // ---- auto-update
  let packageType: string | null;
  try {
    packageType = fs.readFileSync(path.join(process.resourcesPath, 'package-type'), 'utf8');
  } catch {
    packageType = null;
  }
  const updater: Updater | null = startUpdater(
    { packaged: app.isPackaged, env, platform: process.platform, linuxPackage: linuxPackageKind(env, packageType) },
    logger,
    { ask, notify: (n) => notify({ ...n, action: 'focus' }) },
    app.getVersion(),
  );

  // ---- orderly shutdown: stop timers and sync, close the database
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closed = true;
    clearInterval(connectivity);
    updater?.stop();
    ipc.dispose();
    void (async () => {
      try {
        await session.close();
        await ws.close();
        logger.info({}, 'stopped');
      } catch (error) {
        logger.error({ err: error }, 'shutdown failed');
      } finally {
        app.quit();
      }
    })();
  });
}
