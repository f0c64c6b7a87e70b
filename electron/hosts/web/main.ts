#!/usr/bin/env node
/**
 * `npm run start:web [-- --port N --db FILE --profile NAME --server URL]`:
 * builds the renderer when needed, opens the local profile (seeding demo
 * data on first run), serves the UI on 127.0.0.1 and prints its URL.
 */
import { resolveProfile } from '../../core/profile';
import { DEFAULT_PORT, parseWebArgs, USAGE, WebArgsError } from './args';
import { createWebHost, type WebHost } from './host';

async function startOnFreePort(start: (port: number) => Promise<WebHost>, preferred: number | null): Promise<WebHost> {
  if (preferred !== null) return start(preferred);
  for (let port = DEFAULT_PORT; port < DEFAULT_PORT + 20; port++) {
    try {
      return await start(port);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    }
  }
  return start(0);
}

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseWebArgs(argv);
  } catch (e) {
    if (e instanceof WebArgsError) {
      console.error(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const where = resolveProfile({ db: args.db, profile: args.profile });
  console.log(`Profile: ${where.dbFile}`);
  if (args.server) console.log(`Central server: ${args.server} (sync is connected by the sync client; see docs/running.md)`);

  let build = args.build;
  const host = await startOnFreePort((port) => {
    const h = createWebHost({ dbFile: where.dbFile, profile: where.profile, port, build, seed: args.seed ? 'demo' : 'none' });
    build = 'never'; // built (or checked) once, even if the first port is taken
    return h;
  }, args.port);
  console.log(`\nMeridian is running at ${host.url}\nPress Ctrl+C to stop.`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('Stopping…');
  await host.close();
  return 0;
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
