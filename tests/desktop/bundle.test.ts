/**
 * The bundles electron-builder ships: the preload must run in a sandboxed
 * renderer (one CommonJS file, nothing required but `electron`), and every
 * package the main bundle imports at run time must be one electron-builder
 * ships (a production dependency, not excluded in electron-builder.yml).
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { contractInputs } from '../../shared/api/contract';
import { bundleDesktop, externalImports, type BundleResult } from '../../build/bundle-desktop';

const root = path.resolve(import.meta.dirname, '../..');
let bundle: BundleResult;

beforeAll(async () => {
  bundle = await bundleDesktop({ write: false });
}, 120_000);

const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

describe('preload bundle', () => {
  it('is CommonJS that requires nothing but electron (sandbox-compatible)', () => {
    expect(externalImports(bundle.preload.metafile)).toEqual(['electron']);
    const requires = [...bundle.preload.text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(bundle.preload.text).not.toMatch(/\bimport\s*\(|^\s*import\s|from\s*["']node:/m);
    expect(bundle.preload.text).not.toMatch(/process\.binding|child_process|require\(["']fs["']\)/);
  });

  it('carries every contract method and exposes the bridge as window.meridian', () => {
    for (const m of Object.keys(contractInputs)) expect(bundle.preload.text).toContain(m);
    expect(bundle.preload.text).toMatch(/exposeInMainWorld/);
    expect(bundle.preload.text).toContain('meridian:invoke');
  });
});

describe('main bundle', () => {
  it('imports only Node built-ins, electron and shipped production dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const builder = parseYaml(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { files: string[] };
    const excluded = builder.files.filter((f) => f.startsWith('!node_modules/')).map((f) => new RegExp(`^${f.slice('!node_modules/'.length).replace(/\/\*\*$/, '').replace(/\*/g, '.*')}$`));
    const builtins = new Set(builtinModules);
    const packages = externalImports(bundle.main.metafile).filter((s) => !s.startsWith('node:') && !builtins.has(s) && s !== 'electron');
    expect(packages.length).toBeGreaterThan(3);
    for (const spec of packages) {
      const name = packageOf(spec);
      expect(Object.keys(pkg.dependencies), `${spec} must be a production dependency`).toContain(name);
      expect(excluded.some((re) => re.test(name)), `${name} is excluded from the installer`).toBe(false);
    }
    expect(packages).toEqual(expect.arrayContaining(['better-sqlite3', 'electron-updater', '@napi-rs/keyring']));
  });

  it('never bundles the server or the web host’s HTTP server into the desktop app', () => {
    const inputs = Object.keys(bundle.main.metafile.inputs);
    expect(inputs.some((f) => f.startsWith('server/'))).toBe(false);
    expect(inputs.some((f) => /hosts\/web\/(host|main|rpc|build)\.ts$/.test(f))).toBe(false);
    expect(inputs).toContain('electron/main/main.ts');
  });
});
