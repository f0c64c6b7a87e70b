/**
 * The credentials port (DESIGN §6): where a profile keeps its refresh token.
 * Access tokens never come here — they live in memory only (../sync/auth-session).
 *
 * Implementations: KeyringCredentialStore (the OS keychain, the default),
 * FileCredentialStore (opt-in, a 0600 file, for headless machines),
 * MemoryCredentialStore (process only; also the fallback when no keychain
 * is reachable). `openCredentialStore` picks one and says why.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

export type CredentialStoreKind = 'keychain' | 'file' | 'memory';

export interface CredentialStore {
  readonly kind: CredentialStoreKind;
  /** Where secrets go, for messages ("the OS keychain (Secret Service)", "/home/a/.config/Meridian/credentials.json"). */
  readonly description: string;
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when a secret was deleted. */
  delete(account: string): Promise<boolean>;
}

/** Service name of every keychain entry. */
export const CREDENTIAL_SERVICE = 'Meridian';

export class CredentialStoreError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'CredentialStoreError';
  }
}

/** Normalises a server URL to scheme://host[:port][/path] without a trailing slash, query or credentials. */
export function normalizeServerUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`server URL must be http(s): ${url}`);
  const p = u.pathname.replace(/\/+$/, '');
  return `${u.protocol}//${u.host}${p}`;
}

/**
 * The keychain account of one profile on one server: the server URL and a
 * hash of the profile database's absolute path, so two profiles on one
 * machine (or one profile signed in to two servers) never share or
 * overwrite each other's token.
 */
export function credentialAccount(dbFile: string, serverUrl: string): string {
  const profile = createHash('sha256').update(path.resolve(dbFile)).digest('hex').slice(0, 20);
  return `refresh-token ${normalizeServerUrl(serverUrl)} profile:${profile}`;
}
