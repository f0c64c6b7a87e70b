import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
