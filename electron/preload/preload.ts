/**
 * The preload of every Meridian window. It runs sandboxed with context
 * isolation: it hands the page `window.meridian` (./bridge) through
 * contextBridge and nothing else — no ipcRenderer, no Node, no Electron
 * object. Bundled to dist/electron/preload.cjs by build/bundle-desktop.ts.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, createBridge } from './bridge';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createBridge(ipcRenderer));
