/** Opens the workstation the CLI's global options point at (--db, MERIDIAN_DB, MERIDIAN_HOME). */
import { resolveProfile } from '../../core/profile';
import { Workstation } from '../../core/workstation';

export interface GlobalOptions {
  db?: string;
  profile?: string;
}

export async function withWorkstation<T>(opts: GlobalOptions, fn: (ws: Workstation) => Promise<T>): Promise<T> {
  const where = resolveProfile({ db: opts.db, profile: opts.profile });
  const ws = Workstation.open(where.dbFile);
  try {
    return await fn(ws);
  } finally {
    await ws.close();
  }
}
