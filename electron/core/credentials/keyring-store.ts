/**
 * The OS keychain through @napi-rs/keyring: macOS Keychain, Windows
 * Credential Manager, the Secret Service (GNOME Keyring, KWallet) on Linux.
 * On Linux the entry is pinned to the Secret Service: the library would
 * otherwise fall back silently to the kernel keyring, which forgets
 * everything at logout or reboot — that is "no keychain", and we say so.
 */
import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import { CREDENTIAL_SERVICE, CredentialStoreError, type CredentialStore } from './credential-store';

export interface KeyringOptions {
  service?: string;
  /** Milliseconds before a keychain call is given up (a missing D-Bus service can otherwise hang). Default 10 s. */
  timeoutMs?: number;
  platform?: NodeJS.Platform;
}

const LABEL: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'the macOS Keychain',
  win32: 'the Windows Credential Manager',
  linux: 'the Secret Service (GNOME Keyring / KWallet)',
};

export class KeyringCredentialStore implements CredentialStore {
  readonly kind = 'keychain' as const;
  readonly description: string;
  private readonly service: string;
  private readonly timeoutMs: number;
  private readonly entryOptions: EntryOptions | undefined;

  constructor(options: KeyringOptions = {}) {
    const platform = options.platform ?? process.platform;
    this.service = options.service ?? CREDENTIAL_SERVICE;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.entryOptions = platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined;
    this.description = `the OS keychain (${LABEL[platform] ?? platform})`;
  }

  private entry(account: string): AsyncEntry {
    return new AsyncEntry(this.service, account, this.entryOptions);
  }

  private async call<T>(what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await fn(AbortSignal.timeout(this.timeoutMs));
    } catch (e) {
      // The library's messages name the platform failure; they never contain the secret.
      const reason = e instanceof Error ? e.message : String(e);
      throw new CredentialStoreError(`Could not ${what} ${this.description}: ${reason}`, e);
    }
  }

  async get(account: string): Promise<string | null> {
    return this.call('read from', (signal) => this.entry(account).getPassword(signal));
  }

  async set(account: string, secret: string): Promise<void> {
    await this.call('write to', (signal) => this.entry(account).setPassword(secret, signal));
  }

  async delete(account: string): Promise<boolean> {
    return this.call('delete from', (signal) => this.entry(account).deleteCredential(signal));
  }

  /** Null when the keychain answers; otherwise why it cannot be used. */
  async unavailableReason(): Promise<string | null> {
    try {
      await this.get('meridian-probe');
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
}
