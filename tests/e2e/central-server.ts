/**
 * A real central server for the sync end-to-end tests: server/app.ts over
 * the test database (PGlite, or TEST_DATABASE_URL), listening on 127.0.0.1.
 * stop() takes it off the network (the database stays); start() brings it
 * back on the same port — "the central server stopped" and "reconnecting".
 */
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { buildServer } from '../../server/app';
import type { App } from '../../server/deps';
import type { Role } from '../../shared/domain/roles';
import { MemoryCredentialStore } from '../../electron/core/credentials';
import { signIn } from '../../electron/core/sync/profile-sync';
import { Workstation } from '../../electron/core/workstation';
import { ADMIN_PASSWORD, TEST_SCRYPT, createTestDatabase, type TestDatabase } from '../server/harness';

export class CentralServer {
  app: App | null = null;
  port = 0;
  private constructor(readonly db: TestDatabase) {}

  static async create(): Promise<CentralServer> {
    const s = new CentralServer(await createTestDatabase());
    await s.start();
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const app = await buildServer({
      database: this.db.database,
      adminPassword: ADMIN_PASSWORD,
      scrypt: TEST_SCRYPT,
      logger: { level: 'silent' },
      defaultMetrics: false,
      rateLimit: { max: 1_000_000, loginPerAddress: 1_000_000, loginFailuresPerUser: 1_000_000 },
    });
    await app.listen({ host: '127.0.0.1', port: this.port });
    this.port = (app.server.address() as { port: number }).port;
    this.app = app;
  }

  /** Off the network: connections refused until start(). */
  async stop(): Promise<void> {
    const app = this.app;
    this.app = null;
    await app?.close();
  }

  async createUser(role: Role, username: string): Promise<{ username: string; password: string }> {
    const app = this.app!;
    const login = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
    const token = (login.json() as { accessToken: string }).accessToken;
    const password = `password-of-${username}`;
    const r = await app.inject({ method: 'POST', url: '/v1/admin/users', headers: { authorization: `Bearer ${token}` }, payload: { username, password, role } });
    if (r.statusCode !== 201) throw new Error(`create user: ${r.statusCode} ${r.body}`);
    return { username, password };
  }

  /** The server's copy of a row. */
  async row(table: 'allocation' | 'capital_call', id: string): Promise<Record<string, unknown> | undefined> {
    return this.db.database.db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst() as Promise<Record<string, unknown> | undefined>;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.db.drop();
  }
}

/** Another analyst's laptop: its own profile, signed in, synced on demand. */
export async function otherClient(server: CentralServer, login: { username: string; password: string }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-e2e-other-'));
  const ws = Workstation.open(path.join(dir, 'meridian.sqlite'));
  const { sync, user } = await signIn({ db: ws.db, credentials: new MemoryCredentialStore(), serverUrl: server.url, ...login });
  ws.actor = { userId: user.id, role: user.role };
  return {
    ws,
    sync: () => sync.client.syncOnce(),
    async close() {
      await ws.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
