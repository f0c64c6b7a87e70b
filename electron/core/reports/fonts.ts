/**
 * The fonts embedded in every document: DejaVu Sans regular and bold,
 * shipped with the program in assets/fonts/ (licence beside them), never
 * read from a system path. pdfkit embeds a subset of each with a ToUnicode
 * map, so text extracts (pdftotext, screen readers, search) and prints the
 * same on every machine.
 *
 * Where the folder is: `MERIDIAN_FONTS_DIR` when set (a packaged app points
 * it at its resources), else the first `assets/fonts` found walking up from
 * this module's folder (the repository, or a bundle's output folder), else
 * `<process.resourcesPath>/assets/fonts` (Electron's resources).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MeridianError } from '../../../shared/errors';

export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
export type FontName = keyof typeof FONT_FILES;

let found: string | undefined;

/** The folder holding the font files (see the module note). */
export function fontsDir(): string {
  if (process.env.MERIDIAN_FONTS_DIR) return process.env.MERIDIAN_FONTS_DIR;
  if (found) return found;
  const candidates: string[] = [];
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    candidates.push(path.join(dir, 'assets', 'fonts'));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) candidates.push(path.join(resources, 'assets', 'fonts'));
  const hit = candidates.find((c) => fs.existsSync(path.join(c, FONT_FILES.regular)));
  if (!hit) {
    throw new MeridianError('NOT_FOUND', `The report font ${FONT_FILES.regular} was not found (looked in ${candidates.join(', ')}); set MERIDIAN_FONTS_DIR.`, {
      looked: candidates,
    });
  }
  found = hit;
  return hit;
}

const cache = new Map<FontName, Buffer>();

/** The font file's bytes (read once per process). */
export function fontData(name: FontName): Buffer {
  let b = cache.get(name);
  if (!b) {
    b = fs.readFileSync(path.join(fontsDir(), FONT_FILES[name]));
    cache.set(name, b);
  }
  return b;
}

export function fontPath(name: FontName): string {
  return path.join(fontsDir(), FONT_FILES[name]);
}
