/**
 * Wiring for hosts (desktop main process, CLI): a profile database, its
 * credential store and server → AuthSession, HttpTransport and SyncClient.
 * Sign-in binds the profile to the server and user (local-store `bind`).
 */
import type { LocalDatabase } from '../../../db/sqlite/open';
import { credentialAccount, normalizeServerUrl, type CredentialStore } from '../credentials/credential-store';
import { AuthSession, type FetchLike, type SessionUser } from './auth-session';
import { HttpTransport } from './http-transport';
import { SyncStore } from './local-store';
import { SyncClient, type SyncClientOptions } from './sync-client';

export interface ProfileSyncOptions {
  db: LocalDatabase;
  credentials: CredentialStore;
  /** Default: the server this profile last signed in to. */
  serverUrl?: string;
  fetch?: FetchLike;
  client?: Omit<SyncClientOptions, 'db' | 'transport'>;
}

export interface ProfileSync {
  serverUrl: string;
  session: AuthSession;
  transport: HttpTransport;
  client: SyncClient;
}

/** The server a profile is bound to, or null before its first sign-in. */
export function boundServer(db: LocalDatabase): string | null {
  return new SyncStore(db).serverUrl;
}

export function openProfileSync(o: ProfileSyncOptions): ProfileSync {
  const url = o.serverUrl ?? boundServer(o.db);
  if (!url) throw new Error('This profile has not signed in to a server yet; sign in first (meridian login --server URL --user NAME).');
  const serverUrl = normalizeServerUrl(url);
  const session = new AuthSession({ serverUrl, credentials: o.credentials, account: credentialAccount(o.db.file, serverUrl), fetch: o.fetch });
  const transport = new HttpTransport({ session, fetch: o.fetch });
  const client = new SyncClient({ ...o.client, db: o.db, transport });
  return { serverUrl, session, transport, client };
}

/** Signs the profile in to `serverUrl`: keeps the refresh token in the credential store and binds the profile. */
export async function signIn(o: ProfileSyncOptions & { serverUrl: string; username: string; password: string }): Promise<{ user: SessionUser; sync: ProfileSync; newClient: boolean }> {
  const sync = openProfileSync(o);
  const user = await sync.session.login(o.username, o.password);
  try {
    const { newClient } = sync.client.store.bind(sync.serverUrl, user);
    return { user, sync, newClient };
  } catch (e) {
    await sync.session.logout().catch(() => undefined); // this profile may not use that sign-in: forget it
    throw e;
  }
}
