/**
 * Command-line options of the web host (`npm run start:web -- …`), parsed
 * without side effects so they can be unit-tested.
 */
import { parseArgs } from 'node:util';

export interface WebHostArgs {
  /** Port to listen on; null = the first free port from DEFAULT_PORT. 0 = any free port. */
  port: number | null;
  db?: string;
  profile?: string;
  /** Central server to sync with; without it the host starts an embedded one (when available). */
  server?: string;
  /** Seed demo data into an empty profile (default true). */
  seed: boolean;
  /** 'auto' rebuilds the renderer when dist/renderer is older than its sources. */
  build: 'auto' | 'always' | 'never';
  help: boolean;
}

export const DEFAULT_PORT = 5173;

export const USAGE = `Usage: npm run start:web [-- options]

Serves the Meridian UI on http://127.0.0.1:PORT against a local profile.

Options:
  --port N         port to listen on (or PORT); default: first free port from ${DEFAULT_PORT}
  --db FILE        profile database file (or MERIDIAN_DB)
  --profile NAME   profile under MERIDIAN_HOME (or MERIDIAN_PROFILE; default "default")
  --server URL     central server to sync with (default: an embedded demo server)
  --no-seed        do not seed demo data into an empty profile (never seeded with --server)
  --rebuild        rebuild the renderer even if dist/renderer is up to date
  --no-build       serve dist/renderer as it is
  -h, --help       show this help`;

export class WebArgsError extends Error {}

function parsePort(text: string, from: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new WebArgsError(`${from}: "${text}" is not a port number (0–65535)`);
  return Number(text);
}

export function parseWebArgs(argv: string[], env: Record<string, string | undefined> = process.env): WebHostArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        db: { type: 'string' },
        profile: { type: 'string' },
        server: { type: 'string' },
        'no-seed': { type: 'boolean', default: false },
        rebuild: { type: 'boolean', default: false },
        'no-build': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new WebArgsError(e instanceof Error ? e.message : String(e));
  }
  if (values.rebuild && values['no-build']) throw new WebArgsError('--rebuild and --no-build contradict each other');
  let port: number | null = null;
  if (values.port !== undefined) port = parsePort(values.port, '--port');
  else if (env.PORT) port = parsePort(env.PORT, 'PORT');
  if (values.server !== undefined) {
    let u: URL;
    try {
      u = new URL(values.server);
    } catch {
      throw new WebArgsError(`--server: "${values.server}" is not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new WebArgsError('--server: use an http:// or https:// URL');
  }
  return {
    port,
    db: values.db,
    profile: values.profile,
    server: values.server,
    seed: !values['no-seed'],
    build: values.rebuild ? 'always' : values['no-build'] ? 'never' : 'auto',
    help: values.help,
  };
}
