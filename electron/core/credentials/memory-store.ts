/** Secrets kept for this process only. */
import type { CredentialStore } from './credential-store';

export class MemoryCredentialStore implements CredentialStore {
  readonly kind = 'memory' as const;
  readonly description = 'memory (this process only)';
  private readonly secrets = new Map<string, string>();

  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.secrets.delete(account);
  }
}
