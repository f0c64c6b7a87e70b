import { describe, expect, it } from 'vitest';
import { MIN_WINDOW_SIZE, windowOptions } from '../../electron/main/window-options';
import { captureWindowState, DEFAULT_WINDOW_SIZE, parseWindowState, windowStateFromBounds, type Rect } from '../../electron/main/window-state';

describe('windowOptions()', () => {
  const o = windowOptions({ preload: '/app/dist/electron/preload.cjs', platform: 'linux' });
  const wp = o.webPreferences!;

  it('isolates the page: context isolation, sandbox, no Node anywhere, web security, no webview', () => {
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.webviewTag).toBe(false);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.experimentalFeatures).toBe(false);
    expect(wp.enableBlinkFeatures).toBeUndefined();
    expect(wp.navigateOnDragDrop).toBe(false);
    expect(wp.preload).toBe('/app/dist/electron/preload.cjs');
  });

  it('allows DevTools only in development and opens hidden until the first paint', () => {
    expect(wp.devTools).toBe(false);
    expect(windowOptions({ preload: '/p.cjs', dev: true }).webPreferences!.devTools).toBe(true);
    expect(o.show).toBe(false);
    expect(o.minWidth).toBe(MIN_WINDOW_SIZE.width);
  });

  it('uses the remembered bounds, or centres', () => {
    expect(o.center).toBe(true);
    const placed = windowOptions({ preload: '/p.cjs', state: { x: 10, y: 20, width: 1000, height: 700, maximized: false, fullScreen: false } });
    expect(placed).toMatchObject({ x: 10, y: 20, width: 1000, height: 700 });
    expect(placed.center).toBeUndefined();
  });

  it('refuses a preload that is not the bundled script', () => {
    expect(() => windowOptions({ preload: '' })).toThrow();
    expect(() => windowOptions({ preload: '/app/electron/preload/preload.ts' })).toThrow();
  });
});

describe('windowStateFromBounds()', () => {
  const primary: Rect = { x: 0, y: 25, width: 1920, height: 1055 };
  const right: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

  it('opens at the default size on the primary display the first time', () => {
    expect(windowStateFromBounds(null, [primary], primary)).toEqual({ ...DEFAULT_WINDOW_SIZE, maximized: false, fullScreen: false });
  });

  it('keeps a window that is fully visible exactly where it was', () => {
    const saved = { x: 2000, y: 100, width: 1600, height: 1000, maximized: true };
    expect(windowStateFromBounds(saved, [primary, right], primary)).toEqual({ x: 2000, y: 100, width: 1600, height: 1000, maximized: true, fullScreen: false });
  });

  it('moves a window whose monitor is gone back to the primary display', () => {
    const saved = { x: 2200, y: 100, width: 1600, height: 1000 };
    const s = windowStateFromBounds(saved, [primary], primary);
    expect(s.x).toBeUndefined();
    expect(s.y).toBeUndefined();
    expect(s).toMatchObject({ width: 1600, height: 1000 });
  });

  it('shrinks a window larger than its display and pulls it fully on screen', () => {
    const s = windowStateFromBounds({ x: -200, y: 30, width: 3000, height: 2000 }, [primary], primary);
    expect(s).toMatchObject({ x: 0, y: 25, width: 1920, height: 1055 });
    const t = windowStateFromBounds({ x: 1500, y: 900, width: 1000, height: 700 }, [primary], primary);
    expect(t.x! + t.width).toBeLessThanOrEqual(primary.x + primary.width);
    expect(t.y! + t.height).toBeLessThanOrEqual(primary.y + primary.height);
  });

  it('never goes below the minimum size unless the display is smaller', () => {
    expect(windowStateFromBounds({ x: 0, y: 30, width: 200, height: 100 }, [primary], primary)).toMatchObject(MIN_WINDOW_SIZE);
    const tiny: Rect = { x: 0, y: 0, width: 800, height: 500 };
    expect(windowStateFromBounds({ width: 1400, height: 900 }, [tiny], tiny)).toMatchObject({ width: 800, height: 500 });
  });

  it('ignores a title bar hidden above the screen', () => {
    const s = windowStateFromBounds({ x: 100, y: -800, width: 1000, height: 900 }, [primary], primary);
    expect(s.x).toBeUndefined();
  });

  it('parses only well-formed saved state', () => {
    expect(parseWindowState('{"x":1,"y":2,"width":900,"height":700,"maximized":false}')).toEqual({ x: 1, y: 2, width: 900, height: 700, maximized: false });
    for (const bad of [null, '', 'nope', '{"width":-1,"height":5}', '{"width":"1","height":5}', '{"x":1e999,"width":5,"height":5}']) {
      expect(parseWindowState(bad), String(bad)).toBeNull();
    }
    expect(captureWindowState({ x: 1, y: 2, width: 3, height: 4 }, true, false)).toEqual({ x: 1, y: 2, width: 3, height: 4, maximized: true, fullScreen: false });
  });
});
