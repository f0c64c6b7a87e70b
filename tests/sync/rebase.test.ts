// The page rebase: the fast path (own changes coming back) must give exactly
// what the full undo → apply → replay gives; checked page by page on a copy
// of the database (TestClient.verifyRebase).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkInvariants, M, World, type TestClient } from './support';

let world: World;
let pm: TestClient;

beforeAll(async () => {
  world = await World.create();
  pm = await world.client({ role: 'portfolio_manager' });
  await pm.mustMutate('createFund', { id: 'RF', name: 'Rebase fund', currency: 'USD', vintage: 2024, size: M(100_000_000) });
  await pm.mustMutate('createDeal', { id: 'RD1', name: 'Rebase deal 1' });
  await pm.mustMutate('createDeal', { id: 'RD2', name: 'Rebase deal 2' });
  await pm.mustSync();
}, 90_000);

beforeEach(() => {
  world.active = [pm];
});

afterAll(async () => {
  await world?.close();
});

const alloc = (id: string, amount: number, deal = 'RD1') => ({ id, fundId: 'RF', dealId: deal, amount: M(amount), date: '2024-07-01' });

describe('page rebase', () => {
  it('own changes pulled back one page at a time take the fast path and equal the full rebase', async () => {
    const a = await world.client({ role: 'portfolio_manager', sync: { pullLimit: 1 } });
    await a.mustSync();
    a.verifyRebase();
    // A chain on one row (create → edit → edit → approve) and rows touched once; the approval stamps approved_at/by.
    await a.mustMutate('createAllocation', alloc('R1', 6_000_000));
    await a.mustMutate('updateAllocation', { id: 'R1', expectedVersion: 0, amount: M(6_500_000) });
    await a.mustMutate('createAllocation', alloc('R2', 1_000_000, 'RD2'));
    await a.mustMutate('updateAllocation', { id: 'R1', expectedVersion: 0, amount: M(7_000_000) });
    await a.mustMutate('approveAllocation', { id: 'R1', expectedVersion: 0 });
    await a.mustMutate('updateDeal', { id: 'RD2', name: 'Renamed offline' });
    await a.mustMutate('createAllocation', alloc('R3', 5_500_000, 'RD2'));
    await a.mustMutate('deleteAllocation', { id: 'R3', expectedVersion: 0 });
    // Edits made while the cycle is under way (after the push, before the pages come back).
    let during = 0;
    a.transport.before = async (op) => {
      if (op === 'pull' && during < 2) {
        during++;
        await a.mustMutate('updateAllocation', { id: 'R2', expectedVersion: a.version('allocation', 'R2')!, amount: M(1_000_000 + during * 1000) });
      }
    };
    await a.mustSync();
    a.transport.before = null;
    expect(a.fastChecked).toBeGreaterThanOrEqual(5);
    expect(a.row('allocation', 'R1')).toMatchObject({ amount: M(7_000_000), status: 'approved', approved_by: a.user.id });
    await world.quiesce();
    expect(a.client.store.pendingCount()).toBe(0);
    expect(a.row('allocation', 'R2')?.amount).toBe(M(1_002_000));
    await checkInvariants(world);
  });

  it('a page with nothing new leaves pending work alone (no undo, no replay)', async () => {
    const a = await world.client();
    await a.mustSync();
    a.transport.queue.push.push({ kind: 'drop-request' });
    await a.mustMutate('createAllocation', alloc('R-empty', 1_000_000));
    expect(await a.sync()).toBeTruthy(); // push failed: nothing pulled
    // Pull only: the store sees an empty page with nothing acknowledged.
    const out = await a.client.store.applyPage({ changes: [], cursor: a.client.store.cursor, lastMutationId: 0, results: [] }, a.actor, new Date().toISOString());
    expect(a.client.store.lastPath).toBe('empty');
    expect(out.acknowledged).toBe(0);
    expect(a.row('allocation', 'R-empty')?.amount).toBe(M(1_000_000));
    await world.quiesce();
    await checkInvariants(world);
  });

  it('foreign changes interleaved with own ones take the full rebase', async () => {
    const a = await world.client();
    const b = await world.client();
    await a.mustSync();
    await b.mustSync();
    a.verifyRebase();
    await a.mustMutate('createAllocation', alloc('R-mix-a', 1_000_000));
    await b.mustMutate('createAllocation', alloc('R-mix-b', 1_000_000, 'RD2'));
    await b.mustSync();
    await a.mustSync();
    expect(a.client.store.lastPath).not.toBe('fast');
    await world.quiesce();
    await checkInvariants(world);
  });
});
