/**
 * A push never exceeds the server's request body limit: the client cuts its
 * batches by the JSON size of the mutations' arguments (bulk imports and
 * credit statements make large mutations), not only by their count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitPushBody } from '../../electron/core/sync/sync-client';
import { World } from './support';

describe('fitPushBody', () => {
  const m = (bytes: number) => ({ args: 'x'.repeat(bytes) });
  it('keeps the leading mutations that fit, and always at least one', () => {
    expect(fitPushBody([m(100), m(100), m(100)], 400)).toHaveLength(2); // 164 + 164 ≤ 400 < 492
    expect(fitPushBody([m(1000), m(10)], 400)).toHaveLength(1); // one oversized mutation still goes alone
    expect(fitPushBody([m(10), m(10)], 10_000)).toHaveLength(2);
    expect(fitPushBody([], 10)).toHaveLength(0);
  });
});

describe('pushing more than the body limit', () => {
  let world: World;
  beforeAll(async () => {
    world = await World.create({ pushBodyLimit: 48 * 1024 });
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  const deals = async (c: Awaited<ReturnType<World['client']>>, prefix: string) => {
    for (let i = 0; i < 300; i++) await c.mustMutate('createDeal', { id: `${prefix}${i}`, name: `${prefix} deal ${i} ${'·'.repeat(150)}`, sector: 'Industrials' });
  };

  it('sends 300 mutations (~120 KB of arguments) in several pushes under a 48 KiB limit', async () => {
    const c = await world.client({ role: 'portfolio_manager', sync: { pushBatchSize: 500, pushBatchBytes: 24 * 1024 } });
    await deals(c, 'S');
    await c.mustSync();
    expect(c.client.store.pendingCount()).toBe(0);
    const other = await world.client({ role: 'analyst' });
    await other.mustSync();
    expect(other.row('deal', 'S299')?.name).toContain('S deal 299');
  });

  it('without the byte cap the same push is refused by the server (the limit is real)', async () => {
    const c = await world.client({ role: 'portfolio_manager', sync: { pushBatchSize: 500, pushBatchBytes: 100 * 1024 * 1024 } });
    await deals(c, 'T');
    const error = await c.sync();
    expect(error?.message).toMatch(/request body is larger/i);
    expect(c.client.store.pendingCount()).toBe(300);
  });
});
