/**
 * The hosts' sync (electron/hosts/web/sync-adapter, used by the web host and
 * the desktop's SyncSession) writes under the Workstation's write lock: while
 * a local write holds the lock, the sync's apply waits for it, and nothing of
 * the sync lands in the profile until the local write is done. (That the sync
 * client itself takes the lock around every write transaction is proved by
 * the sync suite, tests/sync/*, whose clients run with `writeLock`.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileSyncPort, type ProfileSyncPort } from '../../electron/hosts/web/sync-adapter';
import { outboxCount } from '../../electron/hosts/web/sync-port';
import { startTestServer, type TestServer } from '../server/harness';
import { injectFetch } from '../sync/support';
import { tempWorkstation } from '../helpers/temp-profile';

let server: TestServer;
let login: { username: string; password: string };

beforeAll(async () => {
  server = await startTestServer();
  const s = await server.user('portfolio_manager', 'pm.lock');
  login = { username: s.user.username, password: 'password-of-pm.lock' };
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('web host sync under the write lock', () => {
  it('a sync apply waits for a local write in progress and never interleaves with it', async () => {
    const ws = tempWorkstation();
    let port: ProfileSyncPort | null = null;
    try {
      port = await profileSyncPort(ws, { serverUrl: 'https://meridian.test', login, fetch: injectFetch(() => server.app), scheduler: { intervalMs: 0, debounceMs: 3_600_000 } });
      await port.syncNow();
      await ws.mutate({ name: 'createFund', args: { id: 'LOCK-F1', name: 'Lock Fund', currency: 'USD', vintage: 2024, size: 100_000_000_00 } });
      expect(outboxCount(ws)).toBe(1);

      // Record who holds the lock, in order.
      const order: string[] = [];
      const run = ws.writes.run.bind(ws.writes);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let localHolds = false;
      let syncQueued!: () => void;
      const queued = new Promise<'queued'>((r) => (syncQueued = () => r('queued')));
      ws.writes.run = <T>(task: () => Promise<T>): Promise<T> => {
        if (localHolds) {
          order.push('sync queued');
          syncQueued();
        }
        return run(async () => {
          order.push('sync write start');
          try {
            return await task();
          } finally {
            order.push('sync write end');
          }
        });
      };

      // A local write (as a mutation or an import would) holds the lock until the gate opens.
      const local = run(async () => {
        localHolds = true;
        order.push('local write start');
        await gate;
        order.push('local write end');
        localHolds = false;
      });
      const sync = port.syncNow();
      // The sync reaches the point where it must write: it queues on the lock instead of writing.
      const first = await Promise.race([queued, sync.then(() => 'finished without the lock' as const)]);
      expect(first).toBe('queued');
      expect(outboxCount(ws)).toBe(1); // the push's acknowledgement is not applied yet
      release();
      await local;
      const status = await sync;
      expect(status.pending).toBe(0);
      expect(outboxCount(ws)).toBe(0);
      // Nothing of the sync ran between the local write's start and end.
      const start = order.indexOf('local write start');
      const end = order.indexOf('local write end');
      expect(order.slice(start + 1, end).every((e) => e === 'sync queued')).toBe(true);
      expect(order.indexOf('sync write start')).toBeGreaterThan(end);
      // The server has the change.
      const row = await server.db.database.db.selectFrom('fund').select(['id', 'size']).where('id', '=', 'LOCK-F1').executeTakeFirst();
      expect(row).toMatchObject({ id: 'LOCK-F1' });
    } finally {
      await port?.close?.();
    }
  });
});
