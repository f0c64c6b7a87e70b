/**
 * Bundles the Electron main process and preload with esbuild (installed with
 * Vite). `tsx build/bundle-desktop.ts` or bundleDesktop() from scripts:
 *
 *   dist/electron/main.mjs     ESM, platform node: electron/main + core + shared;
 *                              npm packages stay external (electron-builder ships
 *                              them in app.asar, native ones unpacked)
 *   dist/electron/preload.cjs  CommonJS, platform browser, one file: a sandboxed
 *                              preload cannot load ESM or other files; only
 *                              `electron` is external (zod and the contract are inlined)
 *   dist/electron/package.json lets `electron dist/electron` run the bundle in
 *                              development (packaged builds use the root
 *                              package.json with extraMetadata.main)
 * The renderer is Vite's job (dist/renderer).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildResult, Metafile } from 'esbuild';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DESKTOP_OUT = path.join(REPO_ROOT, 'dist', 'electron');
/** Electron 45: Node 22, Chromium 140. */
export const MAIN_TARGET = 'node22';
export const PRELOAD_TARGET = 'chrome140';

export interface BundleOptions {
  root?: string;
  outDir?: string;
  minify?: boolean;
  /** false: bundle in memory only (tests). */
  write?: boolean;
}

export interface BundleResult {
  outDir: string;
  main: { file: string; metafile: Metafile; text: string };
  preload: { file: string; metafile: Metafile; text: string };
}

/** Packages a bundle imports at run time (from the metafile). */
export function externalImports(metafile: Metafile): string[] {
  const out = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) if (imp.external) out.add(imp.path);
  }
  return [...out].sort();
}

export async function bundleDesktop(options: BundleOptions = {}): Promise<BundleResult> {
  const root = options.root ?? REPO_ROOT;
  const outDir = options.outDir ?? path.join(root, 'dist', 'electron');
  const write = options.write ?? true;
  const esbuild = await import('esbuild');
  const common = { bundle: true, metafile: true, write, minify: options.minify ?? false, sourcemap: write ? ('linked' as const) : false, logLevel: 'warning' as const, absWorkingDir: root, legalComments: 'none' as const };

  const main = await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'electron/main/main.ts')],
    outfile: path.join(outDir, 'main.mjs'),
    platform: 'node',
    format: 'esm',
    target: MAIN_TARGET,
    packages: 'external',
  });
  const preload = await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'electron/preload/preload.ts')],
    outfile: path.join(outDir, 'preload.cjs'),
    platform: 'browser',
    format: 'cjs',
    target: PRELOAD_TARGET,
    external: ['electron'],
    minify: true, // the contract's zod schemas are inlined: keep the preload small
  });
  const text = (r: BuildResult) => (r.outputFiles ?? []).find((f) => /\.(mjs|cjs)$/.test(f.path))?.text ?? '';
  const mainFile = path.join(outDir, 'main.mjs');
  const preloadFile = path.join(outDir, 'preload.cjs');
  if (write) {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; description?: string };
    fs.writeFileSync(
      path.join(outDir, 'package.json'),
      `${JSON.stringify({ name: 'meridian', productName: 'Meridian', version: pkg.version, description: pkg.description, main: 'main.mjs', private: true }, null, 2)}\n`,
    );
  }
  return {
    outDir,
    main: { file: mainFile, metafile: main.metafile!, text: write ? fs.readFileSync(mainFile, 'utf8') : text(main) },
    preload: { file: preloadFile, metafile: preload.metafile!, text: write ? fs.readFileSync(preloadFile, 'utf8') : text(preload) },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  bundleDesktop({ minify: process.argv.includes('--minify') }).then(
    (r) => console.log(`Bundled the main process and preload into ${path.relative(process.cwd(), r.outDir)} in ${Date.now() - started} ms.`),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    },
  );
}
