/**
 * Installs the browser bridge as window.meridian unless the Electron preload
 * already exposed one. The rest of the renderer only uses window.meridian.
 */
import type { MeridianBridge } from './api';
import { createWsBridge } from './ws-bridge';

export function installBridge(): MeridianBridge {
  if (!window.meridian) window.meridian = createWsBridge();
  return window.meridian;
}
