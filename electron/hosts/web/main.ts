#!/usr/bin/env node
/**
 * `npm run start:web [-- --port N --db FILE --profile NAME --server URL]`:
 * builds the renderer when needed, opens the local profile (seeding demo
 * data on first run), serves the UI on 127.0.0.1 and prints its URL.
 */
import path from 'node:path';
import { MemoryCredentialStore } from '../../core/credentials/memory-store';
import { openCredentialStore, parseCredentialStoreChoice } from '../../core/credentials/open';
import { boundServer } from '../../core/sync/profile-sync';
import { resolveProfile } from '../../core/profile';
import type { Workstation } from '../../core/workstation';
import { DEFAULT_PORT, parseWebArgs, USAGE, WebArgsError } from './args';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server';
import { createWebHost, type WebHost } from './host';
import type { SyncPort } from './sync-port';
import { SyncSession, type SessionLog } from './sync-session';

const consoleLog: SessionLog = {
  info: (_obj, msg) => console.log(msg),
  warn: (_obj, msg) => console.warn(msg),
  error: (_obj, msg) => console.error(msg),
};

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

  // The central server: the one named by --server, or an embedded one with a demo login.
  let embedded: EmbeddedServer | null = null;
  let sync: (ws: Workstation) => Promise<SyncPort>;
  if (args.server) {
    const serverUrl = args.server;
    const credentials = await openCredentialStore({ choice: parseCredentialStoreChoice(process.env.MERIDIAN_CREDENTIAL_STORE), file: path.join(where.home, 'credentials.json') });
    if (credentials.notice) console.log(credentials.notice);
    // A profile that never signed in works locally and offers the sign-in
    // screen with this server filled in; once signed in it syncs.
    sync = async (ws) => {
      if (!boundServer(ws.db)) console.log(`This profile has not signed in to ${serverUrl} yet: it works locally until you sign in (the sign-in screen in the browser, or \`meridian login\`).`);
      const session = await SyncSession.open({
        ws,
        credentials: credentials.store,
        credentialNotice: credentials.notice,
        profile: where.profile,
        host: 'web',
        suggestedServer: serverUrl,
        log: consoleLog,
      });
      return session.hostPort();
    };
    console.log(`Central server: ${serverUrl}`);
  } else {
    embedded = await startEmbeddedServer({ dir: path.join(where.home, 'embedded-server'), log: console.log });
    const server = embedded;
    console.log(`Embedded central server: ${server.url} (demo login "${server.demoLogin.username}", portfolio manager)`);
    // Signed in with the demo login at every start (the token is kept for this run only);
    // Sign out and sign in again work as against any server.
    sync = async (ws) => {
      const session = await SyncSession.open({
        ws,
        credentials: new MemoryCredentialStore(),
        profile: where.profile,
        host: 'web',
        suggestedServer: server.url,
        log: consoleLog,
      });
      await session.signIn({ serverUrl: server.url, ...server.demoLogin });
      return session.hostPort();
    };
  }

  // With --server the data comes from that server: no local demo rows that would never sync.
  let build = args.build;
  const host = await startOnFreePort((port) => {
    const h = createWebHost({ dbFile: where.dbFile, profile: where.profile, port, build, seed: args.seed && !args.server ? 'demo' : 'none', sync });
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
  await embedded?.close();
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
