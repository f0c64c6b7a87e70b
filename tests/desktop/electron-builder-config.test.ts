/**
 * electron-builder.yml against electron-builder's own configuration schema
 * (node_modules/app-builder-lib/scheme.json, validated the way electron-builder
 * does it: ajv, draft-07, non-strict for its custom "typeof" keyword), plus
 * the settings DESIGN §6 and issue 6 require: fuses, signing, publish,
 * asar/native modules and an output folder that is not Vite's dist/.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
type Json = Record<string, unknown>;

const config = parseYaml(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Json;
const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as Json;

function validator() {
  const Ajv = (require('ajv') as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] } } }).default;
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  return ajv.compile(schema);
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's configuration schema", () => {
    const validate = validator();
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is real: a wrong key or type is caught', () => {
    const validate = validator();
    expect(validate({ ...config, electronFusez: {} })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNode: 'no' } })).toBe(false);
    expect(validate({ ...config, mac: { ...(config.mac as Json), hardenedRuntime: 'yes' } })).toBe(false);
  });

  it('names the app and writes installers outside Vite’s dist/', () => {
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBe('Meridian');
    const out = (config.directories as Json).output as string;
    expect(out).toBeTruthy();
    expect(out.split('/')[0]).not.toBe('dist');
    expect((config.directories as Json).buildResources).toBe('build');
    expect((config.extraMetadata as Json).main).toBe('dist/electron/main.mjs');
  });

  it('packs an asar with better-sqlite3 and the keychain module unpacked, rebuilt for Electron', () => {
    expect(config.asar).toBe(true);
    const unpack = config.asarUnpack as string[];
    expect(unpack.some((p) => p.includes('better-sqlite3'))).toBe(true);
    expect(unpack.some((p) => p.includes('@napi-rs/keyring'))).toBe(true);
    expect(unpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(false);
  });

  it('sets the Electron fuses: no run-as-node, NODE_OPTIONS or inspect; asar integrity and asar-only loading', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('signs: hardened runtime, entitlements in build/, notarisation; Windows signed and verified; release builds must be signed', () => {
    const mac = config.mac as Json;
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.notarize).toBe(true);
    for (const key of ['entitlements', 'entitlementsInherit']) {
      const f = mac[key] as string;
      expect(f.startsWith('build/')).toBe(true);
      const plist = fs.readFileSync(path.join(root, f), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
      expect(plist).toContain('com.apple.security.cs.allow-jit');
      expect(plist).not.toMatch(/disable-library-validation|allow-dyld-environment-variables|get-task-allow|allow-unsigned-executable-memory/);
    }
    const targets = (t: unknown) => (t as Array<string | { target: string }>).map((x) => (typeof x === 'string' ? x : x.target));
    expect(targets(mac.target)).toEqual(['dmg', 'zip']);
    const win = config.win as Json;
    expect(targets(win.target)).toEqual(['nsis']);
    expect(win.verifyUpdateCodeSignature).toBe(true);
    expect((win.signtoolOptions as Json).signingHashAlgorithms).toEqual(['sha256']);
    expect(win.azureSignOptions).toBeUndefined(); // chosen per release by the workflow
    expect(win.signAndEditExecutable).not.toBe(false);
    expect(win.signExecutable).not.toBe(false);
    expect(config.forceCodeSigning).toBe(true);
    expect(targets((config.linux as Json).target)).toEqual(['AppImage', 'deb']);
  });

  it("publishes to a generic provider: the firm's central server update feed", () => {
    const publish = config.publish as Json[];
    expect(publish).toHaveLength(1);
    expect(publish[0]).toMatchObject({ provider: 'generic', channel: 'latest', useMultipleRangeRequest: false });
    expect(publish[0]!.url).toBe('${env.MERIDIAN_UPDATE_SERVER}/updates/${env.MERIDIAN_UPDATE_CHANNEL}');
  });

  it('ships only the bundles and the renderer, without source maps or server-only packages', () => {
    const files = config.files as string[];
    expect(files).toEqual(expect.arrayContaining(['dist/electron/main.mjs', 'dist/electron/preload.cjs', 'dist/renderer/**/*', '!**/*.map']));
    expect(files.some((f) => f.startsWith('electron/') || f.startsWith('server/') || f.startsWith('src'))).toBe(false);
    // The reports' font travels as a resource beside app.asar (electron/core/reports/fonts.ts).
    expect(config.extraResources).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'assets/fonts', to: 'assets/fonts' })]));
  });

  it('the release workflow builds release installers with signing enforced and the feed set', () => {
    const wf = fs.readFileSync(path.join(root, '.github/workflows/release.yml'), 'utf8');
    expect(wf).toContain('electron-builder');
    expect(wf).toMatch(/MERIDIAN_UPDATE_SERVER/);
    expect(wf).not.toMatch(/forceCodeSigning=false/);
    for (const runner of ['macos-', 'windows-', 'ubuntu-']) expect(wf).toContain(runner);
  });
});
