/**
 * Builds the renderer with Vite's JS API when dist/renderer is missing or
 * older than its sources (renderer/, shared/, vite.config.ts, package.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIST = path.join(REPO_ROOT, 'dist', 'renderer');

const SOURCES = ['renderer', 'shared', 'vite.config.ts', 'package.json', 'tsconfig.renderer.json'];

function newestMtime(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, e.name)));
  }
  return newest;
}

/** True when dist/renderer/index.html is missing or older than any source. */
export function rendererIsStale(root = REPO_ROOT, outDir = RENDERER_DIST): boolean {
  let built: number;
  try {
    built = fs.statSync(path.join(outDir, 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

/** Runs `vite build` with the repository's vite.config.ts. */
export async function buildRenderer(root = REPO_ROOT, log: (line: string) => void = console.log): Promise<void> {
  const started = Date.now();
  log('Building the renderer (vite build)…');
  const vite = await import('vite');
  // Always the production bundle (React's production build): Vite takes
  // NODE_ENV from the environment when it is set, and under vitest it is
  // 'test', which would bundle React's development build into dist/renderer
  // for every later start:web and benchmark to reuse.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({ configFile: path.join(root, 'vite.config.ts'), root: path.join(root, 'renderer'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  log(`Renderer built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

export async function ensureRendererBuilt(mode: 'auto' | 'always' | 'never', log?: (line: string) => void): Promise<void> {
  if (mode === 'never') return;
  if (mode === 'always' || rendererIsStale()) await buildRenderer(REPO_ROOT, log);
}
