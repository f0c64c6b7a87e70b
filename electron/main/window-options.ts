/**
 * The options of every Meridian window (DESIGN §6): context isolation,
 * sandbox, no Node in the page or its workers and frames, web security on,
 * no <webview>, no experimental or extra Blink features, no insecure
 * content, no navigation by drag and drop. DevTools only in development.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import type { WindowState } from './window-state';

export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (dist/electron/preload.cjs). */
  preload: string;
  /** Size and position to open at (windowStateFromBounds). */
  state?: WindowState;
  platform?: NodeJS.Platform;
  /** Development run (unpackaged): DevTools allowed. */
  dev?: boolean;
  /** Background shown before the first paint (matches the renderer's theme). */
  backgroundColor?: string;
}

export const MIN_WINDOW_SIZE = Object.freeze({ width: 960, height: 600 });

export function webPreferences(preload: string, dev = false): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    // Middle-click would otherwise open links in new windows bypassing the click handlers (Electronegativity AUXCLICK).
    disableBlinkFeatures: 'Auxclick',
    safeDialogs: true,
    spellcheck: false,
    devTools: dev,
  };
}

export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  if (!input.preload || !/\.c?js$/.test(input.preload)) throw new Error('windowOptions: preload must be the bundled preload script (.cjs/.js)');
  const s = input.state;
  return {
    title: 'Meridian',
    ...(s && s.x !== undefined && s.y !== undefined ? { x: s.x, y: s.y } : { center: true }),
    width: s?.width ?? 1440,
    height: s?.height ?? 900,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false, // shown on ready-to-show: no white flash
    backgroundColor: input.backgroundColor ?? '#101418',
    autoHideMenuBar: false,
    ...(input.platform === 'darwin' ? { titleBarStyle: 'default' as const } : {}),
    webPreferences: webPreferences(input.preload, input.dev ?? false),
  };
}
