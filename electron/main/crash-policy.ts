/**
 * What the user sees when something breaks (pure). Never a silent white
 * window: a renderer that dies, a page that fails to load, a preload that
 * throws, or an uncaught main-process error is logged and shown with what to
 * do next. Local data is safe in every case (SQLite, one transaction per
 * change), and the messages say so.
 */
import type { DialogModel } from './update-policy';

export interface GoneDetails {
  reason: string;
  exitCode: number;
}

/** render-process-gone: offer to reload the window (or quit); nothing for a clean exit. */
export function rendererGoneDialog(details: GoneDetails): DialogModel | null {
  if (details.reason === 'clean-exit') return null;
  const why: Record<string, string> = {
    crashed: 'The Meridian window crashed',
    oom: 'The Meridian window ran out of memory',
    'launch-failed': 'The Meridian window could not start',
    'integrity-failure': 'The Meridian window failed a code integrity check',
    killed: 'The Meridian window was stopped by the system',
    'abnormal-exit': 'The Meridian window stopped unexpectedly',
    'memory-eviction': 'The Meridian window was closed to free memory',
  };
  return {
    type: 'error',
    title: 'Meridian',
    message: `${why[details.reason] ?? 'The Meridian window stopped'}.`,
    detail: 'Your saved changes are safe on this machine. Reload the window to continue; if this keeps happening, send the log (Help ▸ Open Logs Folder) to support.',
    buttons: ['Reload', 'Quit'],
    defaultId: 0,
    cancelId: 1,
  };
}

/** did-fail-load of the main frame (aborts by a new navigation are not failures). */
export function loadFailureDialog(errorCode: number, errorDescription: string, url: string, isMainFrame: boolean): DialogModel | null {
  if (!isMainFrame || errorCode === -3 /* ERR_ABORTED */) return null;
  return {
    type: 'error',
    title: 'Meridian',
    message: 'The Meridian window could not load.',
    detail: `${errorDescription} (${errorCode}) loading ${url.slice(0, 200)}. The installation may be damaged; reinstall Meridian if reloading does not help.`,
    buttons: ['Reload', 'Quit'],
    defaultId: 0,
    cancelId: 1,
  };
}

/** An uncaught exception or unhandled rejection in the main process. */
export function fatalErrorMessage(error: unknown, logFile: string): { title: string; content: string } {
  const message = error instanceof Error ? error.message : String(error);
  return {
    title: 'Meridian hit an unexpected error',
    content: `${message.split('\n')[0]!.slice(0, 500)}\n\nYour saved changes are safe on this machine. The details are in ${logFile}. If Meridian misbehaves, quit and start it again.`,
  };
}

/** Shows at most one error box per `windowMs`, so an error in a loop cannot bury the user in dialogs. */
export class ErrorBoxThrottle {
  private last = -Infinity;
  constructor(private readonly windowMs = 10_000) {}
  allow(now: number): boolean {
    if (now - this.last < this.windowMs) return false;
    this.last = now;
    return true;
  }
}
