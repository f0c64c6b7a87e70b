/**
 * login | logout | sync [status] | rejections [discard | resubmit]
 *
 * Sign-in keeps the refresh token in the OS keychain (or, opted in with
 * --credential-store file / MERIDIAN_CREDENTIAL_STORE=file, in a 0600 file
 * under MERIDIAN_HOME); tokens are never printed. Without a keychain the
 * sign-in lasts for the process only: `meridian sync` then signs in again
 * from MERIDIAN_USER and MERIDIAN_PASSWORD when they are set.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { MeridianError, type ErrorCode, ERROR_CODES } from '../../../../shared/errors';
import { openCredentialStore, parseCredentialStoreChoice, type CredentialStore } from '../../../core/credentials';
import { resolveProfile } from '../../../core/profile';
import { boundServer, openProfileSync, signIn, type ProfileSync, type RejectionView, type SyncProgress, type SyncReport, type SyncStatus } from '../../../core/sync';
import { isSyncTransportError } from '../../../core/sync/transport';
import type { Workstation } from '../../../core/workstation';
import { withWorkstation, type GlobalOptions } from '../context';
import { printJson, table } from '../output';
import { UsageError } from '../usage';

interface StoreOption {
  credentialStore?: string;
}

const STORE_HELP = 'where the refresh token is kept: auto (OS keychain), keychain, file (0600 file under MERIDIAN_HOME) or memory (or MERIDIAN_CREDENTIAL_STORE)';

async function credentials(globals: GlobalOptions, o: StoreOption): Promise<CredentialStore> {
  const choice = parseCredentialStoreChoice(o.credentialStore ?? process.env.MERIDIAN_CREDENTIAL_STORE);
  const { home } = resolveProfile(globals);
  const opened = await openCredentialStore({ choice, file: path.join(home, 'credentials.json') });
  if (opened.notice) process.stderr.write(`warning: ${opened.notice}\n`);
  return opened.store;
}

/** Reads a password from the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new UsageError('no password: set MERIDIAN_PASSWORD or run meridian login in a terminal');
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise<string>((resolve, reject) => {
    let password = '';
    const finish = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n' || c === '\u0004') {
          finish();
          resolve(password);
          return;
        }
        if (c === '\u0003') {
          finish();
          reject(new UsageError('sign-in cancelled'));
          return;
        }
        if (c === '\u007f' || c === '\b') password = password.slice(0, -1);
        else password += c;
      }
    };
    stdin.on('data', onData);
  });
}

/** Sync failures as CLI problems (one line with a code on stderr, exit code 1). */
function asProblem(e: unknown): unknown {
  if (!isSyncTransportError(e)) return e;
  const known = (c: string | undefined): c is ErrorCode => c !== undefined && (ERROR_CODES as readonly string[]).includes(c);
  const code: ErrorCode =
    e.kind === 'client_too_old'
      ? 'CLIENT_TOO_OLD'
      : e.kind === 'unauthenticated'
        ? 'UNAUTHENTICATED'
        : e.kind === 'rate_limited'
          ? 'RATE_LIMITED'
          : known(e.extra.code)
            ? e.extra.code
            : 'INTERNAL';
  const hint =
    e.kind === 'unauthenticated'
      ? ' Sign in with: meridian login --server URL --user NAME'
      : e.kind === 'client_too_old'
        ? ' Your unsynced changes are kept; update Meridian, then sync again.'
        : e.offline
          ? ' Your changes are kept and will sync when the server is reachable.'
          : '';
  return new MeridianError(code, `${e.message}${hint}`, { kind: e.kind });
}

/** Opens the sync side of the profile; signs in from MERIDIAN_USER/MERIDIAN_PASSWORD when no sign-in is stored. */
async function profileSync(ws: Workstation, globals: GlobalOptions, o: StoreOption): Promise<ProfileSync> {
  const store = await credentials(globals, o);
  const serverUrl = boundServer(ws.db);
  if (!serverUrl) throw new UsageError('this profile has not signed in to a server yet: meridian login --server URL --user NAME');
  const sync = openProfileSync({ db: ws.db, credentials: store, client: { writeLock: ws.writes } });
  if (!(await sync.session.hasStoredLogin()) && process.env.MERIDIAN_USER && process.env.MERIDIAN_PASSWORD) {
    const user = await sync.session.login(process.env.MERIDIAN_USER, process.env.MERIDIAN_PASSWORD);
    sync.client.store.bind(sync.serverUrl, user);
  }
  return sync;
}

function statusView(s: SyncStatus, sync: { serverUrl: string | null; user: string | null; clientId: string | null }) {
  return {
    server: sync.serverUrl,
    user: sync.user,
    clientId: sync.clientId,
    state: s.state,
    pending: s.pending,
    rejected: s.rejected,
    cursor: s.cursor,
    lastSyncAt: s.lastSyncAt,
    lastError: s.lastError,
    updateRequired: s.updateRequired,
  };
}

/** A one-line progress bar on stderr (terminals only). */
function progressBar(): { update(p: SyncProgress): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    update(p) {
      if (!tty) return;
      const width = 30;
      const total = p.estimated && p.estimated >= p.done ? p.estimated : null;
      const frac = total ? Math.min(1, p.done / Math.max(1, total)) : null;
      const bar = frac === null ? '' : `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '-')}] ${String(Math.round(frac * 100)).padStart(3)}% `;
      const what = p.phase === 'push' ? 'changes pushed' : p.phase === 'snapshot' ? 'rows reloaded' : 'rows pulled';
      process.stderr.write(`\r${p.phase.padEnd(8)} ${bar}${p.done.toLocaleString('en-US')}${total ? `/${total.toLocaleString('en-US')}` : ''} ${what}\u001b[K`);
      shown = true;
    },
    done() {
      if (tty && shown) process.stderr.write('\r\u001b[K');
    },
  };
}

function describeRejection(r: RejectionView) {
  return { id: String(r.id), mutation: r.name, code: r.code, message: r.message.length > 90 ? `${r.message.slice(0, 87)}...` : r.message, made: r.createdAt.slice(0, 16), status: r.status };
}

export function registerSyncCommands(program: Command, globals: () => GlobalOptions) {
  program
    .command('login')
    .description('sign this profile in to a Meridian server (password from MERIDIAN_PASSWORD or a prompt)')
    .requiredOption('--server <url>', 'server URL, e.g. https://meridian.example.com')
    .requiredOption('--user <name>', 'user name')
    .option('--credential-store <kind>', STORE_HELP)
    .option('--json', 'machine-readable output')
    .action(async (o: { server: string; user: string; json?: boolean } & StoreOption) => {
      const password = process.env.MERIDIAN_PASSWORD ?? (await promptHidden(`Password for ${o.user} at ${o.server}: `));
      if (!password) throw new UsageError('an empty password cannot sign in');
      const store = await credentials(globals(), o);
      await withWorkstation(globals(), async (ws) => {
        const r = await signIn({ db: ws.db, credentials: store, serverUrl: o.server, username: o.user, password, client: { writeLock: ws.writes } }).catch((e: unknown) => {
          throw asProblem(e);
        });
        const info = { server: r.sync.serverUrl, user: r.user.username, role: r.user.role, credentialStore: store.kind, keptIn: store.description, newClient: r.newClient };
        if (o.json) printJson(info, new Set());
        else {
          console.log(`signed in to ${info.server} as ${info.user} (${info.role}); the sign-in is kept in ${store.description}`);
          if (store.kind === 'memory') console.log('note: it ends with this command; set MERIDIAN_USER and MERIDIAN_PASSWORD for `meridian sync`, or use --credential-store file');
        }
      });
    });

  program
    .command('logout')
    .description('end the sign-in of this profile (revokes it on the server when reachable)')
    .option('--credential-store <kind>', STORE_HELP)
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean } & StoreOption) => {
      await withWorkstation(globals(), async (ws) => {
        const store = await credentials(globals(), o);
        if (!boundServer(ws.db)) throw new UsageError('this profile is not signed in to any server');
        const sync = openProfileSync({ db: ws.db, credentials: store });
        const r = await sync.session.logout();
        if (o.json) printJson({ server: sync.serverUrl, ...r }, new Set());
        else console.log(`signed out of ${sync.serverUrl}${r.revoked ? '' : ' (the server could not be told; the token is forgotten here)'}`);
      });
    });

  const sync = program
    .command('sync')
    .description('push local changes and pull the server’s (`sync status` shows where things stand)')
    .option('--json', 'machine-readable output')
    .option('--reload', 'rebuild the local tables from a server snapshot first (unsynced changes are kept)')
    .option('--credential-store <kind>', STORE_HELP)
    .action(async (o: { json?: boolean; reload?: boolean } & StoreOption) => {
      await withWorkstation(globals(), async (ws) => {
        const s = await profileSync(ws, globals(), o).catch((e: unknown) => {
          throw asProblem(e);
        });
        const bar = progressBar();
        if (!o.json) s.client.on('progress', (p) => bar.update(p));
        let report: SyncReport;
        try {
          report = o.reload ? await s.client.reload() : await s.client.syncOnce();
        } catch (e) {
          throw asProblem(e);
        } finally {
          bar.done();
        }
        const status = s.client.status();
        if (o.json) {
          printJson({ ...report, rejected: report.rejected, status: statusView(status, { serverUrl: s.serverUrl, user: s.client.store.user?.username ?? null, clientId: s.client.store.clientId() }) }, new Set());
          return;
        }
        console.log(
          `synced with ${s.serverUrl}: pushed ${report.pushed}, pulled ${report.pulledRows} rows in ${report.pages} pages${report.resynced ? ' (reloaded from a snapshot)' : ''}; ${status.pending} pending, ${status.rejected} rejected`,
        );
        for (const r of report.rejected) console.error(`rejected ${r.mutationId} ${r.name}: ${r.code}: ${r.message}`);
        if (report.rejected.length) console.error('see them with: meridian rejections');
      });
    });

  sync
    .command('status')
    .description('pending and rejected changes, cursor and last sync (no network)')
    .option('--json', 'machine-readable output')
    .action(async (_o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ json?: boolean }>();
      await withWorkstation(globals(), async (ws) => {
        const serverUrl = boundServer(ws.db);
        // Status needs no token: a client over a transport that is never called.
        const s = openProfileSync({ db: ws.db, credentials: { kind: 'memory', description: 'none', get: async () => null, set: async () => {}, delete: async () => false }, serverUrl: serverUrl ?? 'http://not-signed-in.invalid' });
        const view = statusView(s.client.status(), { serverUrl, user: s.client.store.user?.username ?? null, clientId: serverUrl ? s.client.store.clientId() : null });
        if (o.json) return printJson(view, new Set());
        console.log(
          table(
            [
              { item: 'server', value: view.server ?? '(not signed in)' },
              { item: 'user', value: view.user ?? '' },
              { item: 'state', value: view.state },
              { item: 'pending', value: String(view.pending) },
              { item: 'rejected', value: String(view.rejected) },
              { item: 'cursor', value: String(view.cursor) },
              { item: 'last sync', value: view.lastSyncAt ?? 'never' },
              ...(view.lastError ? [{ item: 'last error', value: `${view.lastError.kind}: ${view.lastError.message}` }] : []),
              ...(view.updateRequired ? [{ item: 'update required', value: view.updateRequired.message }] : []),
            ],
            ['item', 'value'],
          ),
        );
      });
    });

  const rejections = program
    .command('rejections')
    .description('changes the server refused (the inbox): list, discard, resubmit')
    .option('--all', 'include discarded and resubmitted ones')
    .option('--json', 'machine-readable output')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      await withWorkstation(globals(), async (ws) => {
        const inbox = inboxOf(ws);
        const list = inbox.list({ all: o.all ?? false });
        if (o.json) return printJson(list, new Set());
        if (!list.length) return console.log(o.all ? 'no rejections' : 'no open rejections');
        console.log(table(list.map(describeRejection), ['id', 'mutation', 'code', 'message', 'made', 'status']));
      });
    });

  rejections
    .command('discard')
    .description('mark a rejection as seen and dropped (it stays on record)')
    .argument('<id>', 'rejection id (the mutation id shown by meridian rejections)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ json?: boolean }>();
      await withWorkstation(globals(), async (ws) => {
        const r = inboxOf(ws).discard(parseId(id));
        if (o.json) printJson(r, new Set());
        else console.log(`rejection ${r.id} discarded`);
      });
    });

  rejections
    .command('resubmit')
    .description('apply a rejected change again as a new change, optionally with edited arguments')
    .argument('<id>', 'rejection id')
    .option('--args <json>', 'the edited arguments as JSON (default: the original ones)')
    .option('--current-version', 'base an edit on the record as it is now (for STALE_VERSION rejections)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ args?: string; currentVersion?: boolean; json?: boolean }>();
      let args: Record<string, unknown> | undefined;
      if (o.args !== undefined) {
        try {
          args = JSON.parse(o.args) as Record<string, unknown>;
        } catch {
          throw new UsageError('--args must be a JSON object');
        }
        if (!args || typeof args !== 'object' || Array.isArray(args)) throw new UsageError('--args must be a JSON object');
      }
      await withWorkstation(globals(), async (ws) => {
        const r = await inboxOf(ws).resubmit(parseId(id), { args, useCurrentVersion: o.currentVersion ?? false });
        if (o.json) printJson({ rejection: parseId(id), mutationId: r.mutationId, name: r.name }, new Set());
        else console.log(`rejection ${id} resubmitted as change ${r.mutationId} (pending; run meridian sync)`);
      });
    });
}

function parseId(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`"${id}" is not a rejection id`);
  return n;
}

function inboxOf(ws: Workstation) {
  const s = openProfileSync({
    client: { writeLock: ws.writes },
    db: ws.db,
    credentials: { kind: 'memory', description: 'none', get: async () => null, set: async () => {}, delete: async () => false },
    serverUrl: boundServer(ws.db) ?? 'http://not-signed-in.invalid',
  });
  return s.client.rejections;
}
