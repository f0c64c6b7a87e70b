/**
 * The embedded central server of `npm run start:web` (when no --server is
 * given): the real server (server/app.ts) over embedded PostgreSQL (PGlite)
 * in <MERIDIAN_HOME>/embedded-server, listening on 127.0.0.1 only, with a
 * demo login the web host signs in with. Its admin and demo passwords are
 * generated on first start and kept in a 0600 file beside the data; its port
 * is kept too, so the profile stays bound to the same server URL.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openPglite } from '../../../db/postgres/connect';
import { buildServer } from '../../../server/app';
import type { App } from '../../../server/deps';

export interface EmbeddedServer {
  url: string;
  app: App;
  demoLogin: { username: string; password: string };
  close(): Promise<void>;
}

interface Secrets {
  adminPassword: string;
  demoPassword: string;
  port: number | null;
}

export const DEMO_USERNAME = 'demo';

function readSecrets(file: string): Secrets {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Secrets;
  } catch {
    return { adminPassword: randomBytes(18).toString('base64url'), demoPassword: randomBytes(18).toString('base64url'), port: null };
  }
}

function writeSecrets(file: string, s: Secrets) {
  fs.writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
}

/** Creates the demo portfolio manager unless it exists. */
async function ensureDemoUser(app: App, adminPassword: string, password: string): Promise<void> {
  const login = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: adminPassword } });
  if (login.statusCode !== 200) throw new Error(`the embedded server refused its admin sign-in (${login.statusCode}); delete its folder to start it afresh`);
  const token = (login.json() as { accessToken: string }).accessToken;
  const r = await app.inject({
    method: 'POST',
    url: '/v1/admin/users',
    headers: { authorization: `Bearer ${token}` },
    payload: { username: DEMO_USERNAME, password, role: 'portfolio_manager' },
  });
  if (r.statusCode !== 201 && r.statusCode !== 409) throw new Error(`creating the demo user failed: ${r.statusCode} ${r.body}`);
}

export async function startEmbeddedServer(options: { dir: string; log?: (line: string) => void }): Promise<EmbeddedServer> {
  const log = options.log ?? console.log;
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const secretsFile = path.join(options.dir, 'embedded-server.json');
  const secrets = readSecrets(secretsFile);
  const fresh = !fs.existsSync(path.join(options.dir, 'pgdata'));
  if (fresh) log('Starting the embedded central server for the first time (creating its database, ~15 s)…');
  const database = await openPglite(path.join(options.dir, 'pgdata'));
  let app: App;
  try {
    app = await buildServer({ database, ownsDatabase: true, adminPassword: secrets.adminPassword, logger: { level: 'warn' }, defaultMetrics: false });
  } catch (e) {
    await database.close();
    throw e;
  }
  try {
    await ensureDemoUser(app, secrets.adminPassword, secrets.demoPassword);
    try {
      await app.listen({ host: '127.0.0.1', port: secrets.port ?? 0 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      await app.listen({ host: '127.0.0.1', port: 0 });
    }
    const port = (app.server.address() as { port: number }).port;
    if (port !== secrets.port) writeSecrets(secretsFile, { ...secrets, port });
    else if (fresh) writeSecrets(secretsFile, secrets);
    return {
      url: `http://127.0.0.1:${port}`,
      app,
      demoLogin: { username: DEMO_USERNAME, password: secrets.demoPassword },
      close: () => app.close(),
    };
  } catch (e) {
    await app.close();
    throw e;
  }
}
