#!/usr/bin/env node
/**
 * `npm start` for the desktop app (wired by the lead as "start"):
 *   1. where the Electron binary cannot be found (it is never downloaded
 *      here), print ONE line naming `npm run start:web` and exit 1;
 *   2. build the renderer (Vite, when stale) and bundle main + preload;
 *   3. start the embedded central server start:web uses (PGlite in
 *      <MERIDIAN_HOME>/embedded-server, demo login) unless --server URL names
 *      one or --no-server is given;
 *   4. launch Electron on the bundle with the default profile: demo data
 *      seeded into an empty profile, signed in to the embedded server with
 *      the demo login (development runs only), or the server pre-filled.
 *
 * Options: --server URL | --no-server, --no-demo.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NO_ELECTRON_MESSAGE, electronBinary } from '../build/electron-binary';
import { REPO_ROOT } from '../build/bundle-desktop';

interface Stoppable {
  url: string;
  close(): Promise<void>;
}

export async function main(argv: string[]): Promise<number> {
  const electron = electronBinary({ root: REPO_ROOT });
  if (!electron) {
    console.error(NO_ELECTRON_MESSAGE);
    return 1;
  }
  const { values } = parseArgs({
    args: argv,
    options: { server: { type: 'string' }, 'no-server': { type: 'boolean', default: false }, 'no-demo': { type: 'boolean', default: false } },
    strict: true,
  });
  const log = (line: string) => console.log(line);

  const { ensureRendererBuilt } = await import('../electron/hosts/web/build');
  await ensureRendererBuilt('auto', log);
  const { bundleDesktop } = await import('../build/bundle-desktop');
  const bundle = await bundleDesktop();
  log(`Main process and preload bundled into ${path.relative(REPO_ROOT, bundle.outDir)}.`);

  // The central server: --server URL, or the embedded one start:web uses (PGlite, demo login), in the same folder.
  const env: Record<string, string | undefined> = { ...process.env, MERIDIAN_DEMO: values['no-demo'] ? undefined : '1' };
  let server: Stoppable | null = null;
  if (values.server) {
    server = { url: values.server, close: async () => {} };
    log(`Central server: ${server.url}`);
  } else if (!values['no-server']) {
    const [{ startEmbeddedServer }, { resolveProfile }] = await Promise.all([import('../electron/hosts/web/embedded-server'), import('../electron/core/profile')]);
    const dir = path.join(resolveProfile({}).home, 'embedded-server');
    const embedded = await startEmbeddedServer({ dir, log });
    server = embedded;
    env.MERIDIAN_DEMO_USER = embedded.demoLogin.username;
    env.MERIDIAN_DEMO_LOGIN_FILE = path.join(dir, 'embedded-server.json'); // the password stays in its 0600 file
    log(`Embedded central server: ${embedded.url} (demo login "${embedded.demoLogin.username}", portfolio manager)`);
  }
  env.MERIDIAN_SERVER_URL = server?.url;
  delete env.ELECTRON_RUN_AS_NODE;
  log('Starting Meridian (Electron)…');
  const child = spawn(electron, [bundle.outDir], { stdio: 'inherit', env: env as NodeJS.ProcessEnv, cwd: REPO_ROOT });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  const code = await new Promise<number>((resolve) => {
    child.on('error', (e) => {
      console.error(`Electron could not start: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  await server?.close();
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  },
);
