/**
 * The one IPC registration point. Every call from a page goes through
 * dispatchIpc (./ipc-policy): sender check (app origin, main frame, our
 * window), contract method, zod-validated payload, path grants; then the
 * handler. Events go to the window on one channel, contract events only.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { CONTRACT_EVENTS, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, dispatchIpc, type HandlerTable, type Log, type PathGrants } from './ipc-policy';

export interface IpcRegistration {
  /** Sends a contract event to the window (dropped if `name` is not a contract event). */
  emit(name: string, payload: unknown): void;
  dispose(): void;
}

export function registerIpc(options: {
  ipcMain: IpcMain;
  handlers: HandlerTable;
  grants: PathGrants;
  /** The window whose page may call (checked in addition to the frame's URL). */
  window: () => BrowserWindow | null;
  log: Log & { debug?(obj: object, msg: string): void };
}): IpcRegistration {
  const { ipcMain, handlers, grants, log } = options;
  const events: ReadonlySet<string> = new Set<string>(CONTRACT_EVENTS);

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, payload: unknown) => {
    const win = options.window();
    const ours = win !== null && !win.isDestroyed() && event.sender === win.webContents;
    const frame = ours && event.senderFrame ? { url: event.senderFrame.url, parent: event.senderFrame.parent } : null;
    const started = Date.now();
    const result = await dispatchIpc(frame, method, payload, handlers, grants, log);
    log.debug?.({ method: typeof method === 'string' ? method.slice(0, 64) : null, ok: result.ok, ms: Date.now() - started }, 'ipc');
    return result;
  });

  return {
    emit(name, payload) {
      if (!events.has(name)) return;
      const win = options.window();
      if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, name, payload);
    },
    dispose() {
      ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    },
  };
}
