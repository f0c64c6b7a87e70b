/**
 * CSV exports for the browser: the workstation writes the file into a
 * private temporary folder, the page gets a one-time, short-lived URL and
 * the host streams the file with Content-Disposition, then deletes it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { safeFileName } from './security';

interface Entry {
  file: string;
  name: string;
  expires: number;
}

export class Downloads {
  readonly dir: string;
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs = 5 * 60_000) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-web-exports-'));
    fs.chmodSync(this.dir, 0o700);
  }

  /** A fresh path in the private folder for a file to be named `suggestedName` when downloaded. */
  target(suggestedName: string): { file: string; name: string } {
    const name = safeFileName(suggestedName);
    return { file: path.join(this.dir, `${randomBytes(8).toString('hex')}-${name}`), name };
  }

  register(file: string, name: string): string {
    this.sweep();
    const token = randomBytes(24).toString('base64url');
    this.entries.set(token, { file, name, expires: Date.now() + this.ttlMs });
    return token;
  }

  /** Removes and returns the entry for `token` (one download per export). */
  take(token: string): Entry | undefined {
    this.sweep();
    const e = this.entries.get(token);
    this.entries.delete(token);
    return e;
  }

  private sweep() {
    const now = Date.now();
    for (const [t, e] of this.entries) {
      if (e.expires < now) {
        this.entries.delete(t);
        fs.rm(e.file, { force: true }, () => {});
      }
    }
  }

  close() {
    this.entries.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
