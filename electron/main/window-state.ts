/**
 * Remembered window size and position. The saved bounds are trusted only as
 * far as the displays attached now allow: a window saved on a monitor that
 * is gone, or larger than the screen it lands on, is brought back onto a
 * display work area (never off-screen, never under the taskbar/dock).
 */
import { z } from 'zod';
import { MIN_WINDOW_SIZE } from './window-options';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the OS centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
  fullScreen: boolean;
}

export const DEFAULT_WINDOW_SIZE = Object.freeze({ width: 1440, height: 900 });
/** How much of the title bar must be on a display for the saved position to count as visible. */
export const MIN_VISIBLE = Object.freeze({ width: 120, height: 40 });

const finite = z.number().finite();
const savedSchema = z.object({
  x: finite.optional(),
  y: finite.optional(),
  width: finite.positive(),
  height: finite.positive(),
  maximized: z.boolean().optional(),
  fullScreen: z.boolean().optional(),
});
export type SavedWindowState = z.infer<typeof savedSchema>;

/** The saved state from the window-state file's text, or null when missing or not ours. */
export function parseWindowState(text: string | null | undefined): SavedWindowState | null {
  if (!text) return null;
  try {
    const r = savedSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

function intersection(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), Math.max(lo, hi));
}

/** True when the top strip of `r` (title bar) is visible on `area` by at least MIN_VISIBLE. */
function titleBarVisible(r: Rect, area: Rect): boolean {
  const bar: Rect = { x: r.x, y: r.y, width: r.width, height: Math.min(r.height, MIN_VISIBLE.height) };
  const w = Math.min(bar.x + bar.width, area.x + area.width) - Math.max(bar.x, area.x);
  const h = Math.min(bar.y + bar.height, area.y + area.height) - Math.max(bar.y, area.y);
  return w >= MIN_VISIBLE.width && h >= Math.min(MIN_VISIBLE.height, bar.height);
}

function sizeFor(width: number, height: number, area: Rect): { width: number; height: number } {
  return {
    width: Math.round(clamp(width, Math.min(MIN_WINDOW_SIZE.width, area.width), area.width)),
    height: Math.round(clamp(height, Math.min(MIN_WINDOW_SIZE.height, area.height), area.height)),
  };
}

/**
 * Where to open the window: `saved` (from parseWindowState, may be null),
 * the work areas of the displays attached now, and the primary one.
 */
export function windowStateFromBounds(saved: SavedWindowState | null, workAreas: readonly Rect[], primary: Rect): WindowState {
  const maximized = saved?.maximized ?? false;
  const fullScreen = saved?.fullScreen ?? false;
  if (!saved) {
    const size = sizeFor(DEFAULT_WINDOW_SIZE.width, DEFAULT_WINDOW_SIZE.height, primary);
    return { ...size, maximized: false, fullScreen: false };
  }
  if (saved.x === undefined || saved.y === undefined) {
    return { ...sizeFor(saved.width, saved.height, primary), maximized, fullScreen };
  }
  const rect: Rect = { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
  // The display that shows most of the window, if its title bar is reachable there.
  let best: Rect | null = null;
  let bestArea = 0;
  for (const area of workAreas) {
    const a = intersection(rect, area);
    if (a > bestArea && titleBarVisible(rect, area)) {
      best = area;
      bestArea = a;
    }
  }
  if (!best) return { ...sizeFor(saved.width, saved.height, primary), maximized, fullScreen };
  const size = sizeFor(saved.width, saved.height, best);
  const x = Math.round(clamp(saved.x, best.x, best.x + best.width - size.width));
  const y = Math.round(clamp(saved.y, best.y, best.y + best.height - size.height));
  return { x, y, ...size, maximized, fullScreen };
}

/** What to save when the window closes: its normal (unmaximised) bounds and whether it was maximised. */
export function captureWindowState(normalBounds: Rect, maximized: boolean, fullScreen: boolean): SavedWindowState {
  return { x: normalBounds.x, y: normalBounds.y, width: normalBounds.width, height: normalBounds.height, maximized, fullScreen };
}
