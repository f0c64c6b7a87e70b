/**
 * Electronegativity (Doyensec's Electron static security scanner) over the
 * main process, the preload, the renderer sources and the index.html the
 * app:// handler serves (with its real CSP). The suite fails on any HIGH
 * finding, and on any finding at all for the checks DESIGN §6 covers.
 *
 * Severities are the scanner's own (finder/attributes: HIGH=3, MEDIUM=2,
 * LOW=1, INFORMATIONAL=0); they are read by name so a renumbering cannot hide
 * a finding. The check that downloads Electron's release list is excluded
 * (it needs the network, and Electron versions are audited by npm audit).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { injectCsp, newCspNonce } from '../../electron/main/csp';
import { tempDir } from '../helpers/temp';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string; value: number };
  confidence: { name: string };
  description: string;
  manualReview?: boolean;
}
interface ScanResult {
  globalChecks: number;
  atomicChecks: number;
  issues: Finding[];
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
}
type Run = (options: Record<string, unknown>) => Promise<ScanResult>;

function copyTree(from: string, to: string, filter: (name: string) => boolean): number {
  let n = 0;
  if (!fs.existsSync(from)) return 0;
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) n += copyTree(src, dst, filter);
    else if (filter(e.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
      n++;
    }
  }
  return n;
}

let result: ScanResult;
let scanned: string;

beforeAll(async () => {
  scanned = tempDir('meridian-scan-');
  const code = (name: string) => /\.(ts|tsx|js|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts');
  expect(copyTree(path.join(root, 'electron/main'), path.join(scanned, 'electron/main'), code)).toBeGreaterThan(5);
  expect(copyTree(path.join(root, 'electron/preload'), path.join(scanned, 'electron/preload'), code)).toBeGreaterThan(0);
  copyTree(path.join(root, 'renderer/src'), path.join(scanned, 'renderer/src'), code);
  // The page exactly as the app:// handler serves it: CSP meta tag and nonce filled in.
  const html = ['dist/renderer/index.html', 'renderer/index.html'].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
  if (html) fs.writeFileSync(path.join(scanned, 'index.html'), injectCsp(fs.readFileSync(html, 'utf8'), newCspNonce()));
  const electronVersion = (JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
  fs.writeFileSync(path.join(scanned, 'package.json'), JSON.stringify({ name: 'meridian-scan', devDependencies: { electron: electronVersion } }));
  const run = require('@doyensec/electronegativity') as Run;
  result = await run({ input: scanned, electronVersionOverride: electronVersion, isRelative: true, excludeFromScan: ['AvailableSecurityFixesGlobalCheck'] });
}, 120_000);

const summary = (issues: Finding[]) => issues.map((i) => `${i.severity.name} ${i.id} ${i.file}:${i.location.line} ${i.description}`).join('\n');

describe('Electronegativity scan', () => {
  it('is wired right: an insecure window is reported as HIGH (negative control)', async () => {
    const bad = tempDir('meridian-scan-bad-');
    fs.writeFileSync(
      path.join(bad, 'main.js'),
      "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });\n",
    );
    const run = require('@doyensec/electronegativity') as Run;
    const r = await run({ input: bad, electronVersionOverride: '45.0.0', isRelative: true, excludeFromScan: ['AvailableSecurityFixesGlobalCheck'] });
    expect(r.issues.filter((i) => i.severity.name === 'HIGH').map((i) => i.id)).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(r.issues.map((i) => i.id)).toEqual(expect.arrayContaining(['NODE_INTEGRATION_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']));
  }, 120_000);

  it('ran its checks and parsed every file', () => {
    expect(result.atomicChecks).toBeGreaterThan(20);
    expect(result.globalChecks).toBeGreaterThan(3);
    expect(result.errors.filter((e) => !e.tolerable), JSON.stringify(result.errors, null, 2)).toEqual([]);
  });

  it('finds nothing of high severity', () => {
    const high = result.issues.filter((i) => i.severity.name === 'HIGH' || i.severity.value >= 3);
    expect(high, summary(high)).toEqual([]);
  });

  it('finds nothing at all for the checks the security baseline covers', () => {
    const covered = new Set([
      'CONTEXT_ISOLATION_JS_CHECK',
      'NODE_INTEGRATION_JS_CHECK',
      'NODE_INTEGRATION_HTML_CHECK',
      'NODE_INTEGRATION_ATTACH_EVENT_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'WEB_SECURITY_JS_CHECK',
      'WEB_SECURITY_HTML_CHECK',
      'INSECURE_CONTENT_JS_CHECK',
      'INSECURE_CONTENT_HTML_CHECK',
      'EXPERIMENTAL_FEATURES_JS_CHECK',
      'EXPERIMENTAL_FEATURES_HTML_CHECK',
      'BLINK_FEATURES_JS_CHECK',
      'BLINK_FEATURES_HTML_CHECK',
      'AUXCLICK_JS_CHECK',
      'AUXCLICK_HTML_CHECK',
      'ALLOWPOPUPS_HTML_CHECK',
      'REMOTE_MODULE_JS_CHECK',
      'CERTIFICATE_ERROR_EVENT_JS_CHECK',
      'CERTIFICATE_VERIFY_PROC_JS_CHECK',
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
      'SECURITY_WARNINGS_DISABLED_JS_CHECK',
      'CUSTOM_ARGUMENTS_JS_CHECK',
      'HTTP_RESOURCES_JS_CHECK',
      'HTTP_RESOURCES_HTML_CHECK',
      'HTTP_RESOURCES_WITH_NODE_INTEGRATION_GLOBAL_CHECK',
      'SECURITY_WARNINGS_DISABLED_JSON_CHECK',
      'CUSTOM_ARGUMENTS_JSON_CHECK',
      'DANGEROUS_FUNCTIONS_JS_CHECK',
    ]);
    const hits = result.issues.filter((i) => covered.has(i.id));
    expect(hits, summary(hits)).toEqual([]);
    // Every id above is one the scanner really has (a typo would make this test pass vacuously).
    const checksDir = path.join(path.dirname(require.resolve('@doyensec/electronegativity')), 'finder', 'checks');
    const known = new Set<string>();
    for (const sub of ['AtomicChecks', 'GlobalChecks']) {
      for (const f of fs.readdirSync(path.join(checksDir, sub)).filter((n) => n.endsWith('.js'))) {
        for (const m of fs.readFileSync(path.join(checksDir, sub, f), 'utf8').matchAll(/this\.id = ["']([A-Z_]+)["']/g)) known.add(m[1]!);
      }
    }
    expect([...covered].filter((id) => !known.has(id))).toEqual([]);
  });

  it('sees the Content-Security-Policy and does not find it weak', () => {
    const csp = result.issues.filter((i) => i.id === 'CSP_GLOBAL_CHECK');
    expect(csp.filter((i) => /No CSP/i.test(i.description)), summary(csp)).toEqual([]);
    expect(csp.filter((i) => i.severity.value >= 2), summary(csp)).toEqual([]);
  });
});
