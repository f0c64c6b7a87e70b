/**
 * Opt-in secrets file for machines without a keychain (headless servers,
 * containers): JSON {account: secret}, mode 0600, replaced atomically. It is
 * only as safe as the account that owns it; the keychain is preferred.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CredentialStoreError, type CredentialStore } from './credential-store';

export class FileCredentialStore implements CredentialStore {
  readonly kind = 'file' as const;
  readonly description: string;

  constructor(readonly file: string) {
    this.file = path.resolve(file);
    this.description = `the file ${this.file} (readable by this OS account only)`;
  }

  private read(): Record<string, string> {
    let text: string;
    try {
      const st = fs.statSync(this.file);
      if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
        throw new CredentialStoreError(`${this.file} is readable by other users (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 ${this.file}`);
      }
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      throw new CredentialStoreError(`${this.file} is not a Meridian credentials file; delete it and sign in again.`);
    }
  }

  private write(all: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, this.file);
  }

  async get(account: string): Promise<string | null> {
    return this.read()[account] ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    const all = this.read();
    all[account] = secret;
    this.write(all);
  }

  async delete(account: string): Promise<boolean> {
    const all = this.read();
    if (!(account in all)) return false;
    delete all[account];
    this.write(all);
    return true;
  }
}
