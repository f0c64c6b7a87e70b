import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncScheduler, type SyncStatus } from '../../electron/core/sync';
import { checkInvariants, M, World, type TestClient } from './support';

let world: World;
let pm: TestClient;
let a: TestClient;

beforeAll(async () => {
  world = await World.create();
  pm = await world.client({ role: 'portfolio_manager' });
  a = await world.client({ role: 'analyst' });
}, 60_000);

afterAll(async () => {
  await world?.close();
});

describe('sync basics', () => {
  it('pushes offline work, pulls it elsewhere, converges', async () => {
    await pm.mustMutate('createFund', { id: 'F1', name: 'Fund One', currency: 'USD', vintage: 2024, size: M(10_000_000) });
    await pm.mustMutate('createDeal', { id: 'D1', name: 'Deal One' });
    await pm.mustMutate('createAllocation', { id: 'A1', fundId: 'F1', dealId: 'D1', amount: M(1_000_000), date: '2024-02-01' });
    expect(pm.client.store.pendingCount()).toBe(3);
    await pm.mustSync();
    expect(pm.client.store.pendingCount()).toBe(0);
    expect(pm.version('allocation', 'A1')).toBeGreaterThan(0);
    await a.mustSync();
    expect(a.row('allocation', 'A1')?.amount).toBe(M(1_000_000));
    await a.mustMutate('updateAllocation', { id: 'A1', expectedVersion: a.version('allocation', 'A1')!, amount: M(2_000_000) });
    await a.mustMutate('updateAllocation', { id: 'A1', expectedVersion: a.version('allocation', 'A1')!, amount: M(2_500_000) });
    await world.quiesce();
    expect(pm.row('allocation', 'A1')?.amount).toBe(M(2_500_000));
    await checkInvariants(world);
  });

  it('the scheduler syncs after local changes, backs off while offline and catches up when the server is back', async () => {
    const statuses: SyncStatus[] = [];
    a.client.on('status', (st) => statuses.push(st));
    const scheduler = new SyncScheduler(a.client, { debounceMs: 30, intervalMs: 0, backoff: { baseMs: 40, maxMs: 200 } });
    scheduler.start();
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(cond()).toBe(true);
    };
    await until(() => !a.client.running && a.client.status().lastSyncAt !== null);
    a.transport.offline = true;
    await a.mustMutate('updateDeal', { id: 'D1', name: 'Renamed on the train' });
    scheduler.notifyLocalChange();
    await until(() => scheduler.consecutiveFailures >= 2);
    expect(a.client.status()).toMatchObject({ state: 'offline', online: false, pending: 1 });
    a.transport.offline = false;
    scheduler.notifyConnectivity(true);
    await until(() => a.client.status().pending === 0 && !a.client.running);
    scheduler.stop();
    expect(a.client.status()).toMatchObject({ state: 'idle', online: true });
    expect(statuses.some((st) => st.state === 'syncing')).toBe(true);
    a.client.removeAllListeners('status');
    await world.quiesce();
    expect(pm.row('deal', 'D1')?.name).toBe('Renamed on the train');
  });

  it('an expired access token is refreshed once, transparently, against the real server', async () => {
    (a.session as unknown as { access: string }).access = 'not-a-valid-token';
    await a.mustMutate('updateDeal', { id: 'D1', name: 'Deal One (renamed)' });
    await a.mustSync();
    expect(a.client.store.pendingCount()).toBe(0);
    expect(await a.credentials.get(`test ${a.file}`)).toBeTruthy();
  });

  it('refuses to sign a profile with unsynced changes in as another user (they could be applied twice)', async () => {
    a.transport.offline = true;
    await a.mustMutate('updateDeal', { id: 'D1', name: 'Pending rename' });
    const other = await world.server.createUser('analyst');
    const session = a.session;
    const user = await session.login(other.username, other.password);
    expect(() => a.client.store.bind(session.serverUrl, user)).toThrow(/unsynced change\(s\) made while signed in as/);
    await session.login(a.user.username, a.user.password); // back as the profile's user: the changes sync
    a.transport.offline = false;
    await world.quiesce();
    await checkInvariants(world);
  });
});
