#!/usr/bin/env node
/**
 * `npm start` for the desktop app (wired by the lead as "start"):
 *   1. where the Electron binary cannot be found (it is never downloaded
 *      here), print ONE line naming `npm run start:web` and exit 1;
 *   2. build the renderer (Vite, when stale) and bundle main + preload;
 *   3. start the embedded central server (PGlite, like `npm run server`)
 *      unless --server URL names one or --no-server is given;
 *   4. launch Electron on the bundle with the default profile, demo data
 *      seeded into an empty profile, and the server pre-filled for sign-in.
 *
 * Options: --server URL | --no-server, --no-demo, --port N (embedded server; default PORT or 8787).
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

async function startEmbeddedServer(port: number | undefined, log: (line: string) => void): Promise<Stoppable> {
  const [{ buildServer }, { openPglite }, { configFromEnv }] = await Promise.all([import('../server/app'), import('../db/postgres/connect'), import('../server/config')]);
  const config = configFromEnv(process.env);
  log(`Starting the embedded central server (PGlite in ${config.dataDir})…`);
  const database = await openPglite(config.dataDir);
  const app = await buildServer({ database, ownsDatabase: true, adminPassword: config.adminPassword, jwtSecret: config.jwtSecret, logger: { level: 'warn' } });
  if (app.meridian.bootstrap.generatedAdminPassword) {
    process.stderr.write(`\n  First start of the embedded server: user "admin", password ${app.meridian.bootstrap.generatedAdminPassword} (shown once).\n\n`);
  }
  let address: string;
  try {
    address = await app.listen({ host: '127.0.0.1', port: port ?? config.port });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    address = await app.listen({ host: '127.0.0.1', port: 0 });
  }
  return { url: address, close: () => app.close() };
}

export async function main(argv: string[]): Promise<number> {
  const electron = electronBinary({ root: REPO_ROOT });
  if (!electron) {
    console.error(NO_ELECTRON_MESSAGE);
    return 1;
  }
  const { values } = parseArgs({
    args: argv,
    options: { server: { type: 'string' }, 'no-server': { type: 'boolean', default: false }, 'no-demo': { type: 'boolean', default: false }, port: { type: 'string' } },
    strict: true,
  });
  const log = (line: string) => console.log(line);

  const { ensureRendererBuilt } = await import('../electron/hosts/web/build');
  await ensureRendererBuilt('auto', log);
  const { bundleDesktop } = await import('../build/bundle-desktop');
  const bundle = await bundleDesktop();
  log(`Main process and preload bundled into ${path.relative(REPO_ROOT, bundle.outDir)}.`);

  let server: Stoppable | null = null;
  if (values.server) server = { url: values.server, close: async () => {} };
  else if (!values['no-server']) server = await startEmbeddedServer(values.port ? Number(values.port) : undefined, log);
  if (server) log(`Central server: ${server.url}`);

  const env: Record<string, string | undefined> = { ...process.env, MERIDIAN_DEMO: values['no-demo'] ? undefined : '1', MERIDIAN_SERVER_URL: server?.url };
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
