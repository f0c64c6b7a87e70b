/**
 * Picks the credential store for a host. The keychain is the default; when
 * it cannot be reached the token is kept for this process only — unless the
 * user opted into the file store — and `notice` says so in words a person
 * can act on. Hosts show the notice (the CLI prints it on stderr).
 */
import { type CredentialStore } from './credential-store';
import { FileCredentialStore } from './file-store';
import { KeyringCredentialStore, type KeyringOptions } from './keyring-store';
import { MemoryCredentialStore } from './memory-store';

/** 'auto' = keychain, else memory. 'file' = the opt-in file. */
export type CredentialStoreChoice = 'auto' | 'keychain' | 'file' | 'memory';

export interface OpenCredentialStoreOptions {
  choice?: CredentialStoreChoice;
  /** The file for choice 'file'. */
  file: string;
  keyring?: KeyringOptions;
}

export interface OpenedCredentialStore {
  store: CredentialStore;
  /** Set when the store is not what the user would expect (no keychain): show it. */
  notice: string | null;
}

export function parseCredentialStoreChoice(value: string | undefined): CredentialStoreChoice {
  const v = (value ?? 'auto').trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if (v === 'keychain' || v === 'file' || v === 'memory') return v;
  throw new Error(`credential store must be auto, keychain, file or memory (got "${value}")`);
}

export async function openCredentialStore(options: OpenCredentialStoreOptions): Promise<OpenedCredentialStore> {
  const choice = options.choice ?? 'auto';
  if (choice === 'file') return { store: new FileCredentialStore(options.file), notice: null };
  if (choice === 'memory') return { store: new MemoryCredentialStore(), notice: null };
  const keyring = new KeyringCredentialStore(options.keyring);
  const reason = await keyring.unavailableReason();
  if (reason === null) return { store: keyring, notice: null };
  if (choice === 'keychain') throw new Error(`${reason}. The OS keychain was required (credential store "keychain").`);
  return {
    store: new MemoryCredentialStore(),
    notice:
      `No OS keychain is reachable (${reason}). Your sign-in is kept in memory for this process only and is forgotten when it exits. ` +
      `On a machine without a keychain you may opt into a file store: set MERIDIAN_CREDENTIAL_STORE=file (the token is then kept in ${options.file}, mode 0600).`,
  };
}
