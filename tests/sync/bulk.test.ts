// The bulk path of a pull (SyncStore.applyBulk, SyncClient.pullAll): with an
// empty outbox — an initial sync — pages are applied in transactions that span
// several chunks and pages, rows written insert-first. It must leave exactly
// the tables the page-by-page path leaves, resume after an interruption from
// the cursor it committed, and hand over to the full rebase as soon as a
// local mutation appears.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENTITY_NAMES } from '../../shared/domain/entities';
import { checkInvariants, M, World, type TestClient } from './support';

let world: World;
let boss: TestClient;
let pm: TestClient;
let head = 0;

const alloc = (id: string, amount: number, deal = 'BD1') => ({ id, fundId: 'BF', dealId: deal, amount: M(amount), date: '2024-07-01' });

beforeAll(async () => {
  world = await World.create();
  boss = await world.client({ role: 'portfolio_manager' });
  pm = await world.client({ role: 'analyst' });
  // A history with several changes to rows, a cancellation and descriptive edits.
  await boss.mustMutate('createFund', { id: 'BF', name: 'Bulk fund', currency: 'USD', vintage: 2024, size: M(100_000_000) });
  await boss.mustSync();
  await pm.mustSync();
  for (let d = 1; d <= 3; d++) await pm.mustMutate('createDeal', { id: `BD${d}`, name: `Bulk deal ${d}` });
  for (let i = 0; i < 24; i++) await pm.mustMutate('createAllocation', alloc(`BA${i}`, 1_000_000 + i * 1000, `BD${1 + (i % 3)}`));
  await pm.mustMutate('updateAllocation', { id: 'BA1', expectedVersion: 0, amount: M(1_500_000) });
  await pm.mustMutate('cancelAllocation', { id: 'BA2', expectedVersion: 0 });
  await pm.mustMutate('updateDeal', { id: 'BD2', name: 'Bulk deal 2, renamed' });
  await pm.mustSync();
  await boss.mustMutate('updateFund', { id: 'BF', name: 'Bulk fund, renamed' });
  await boss.mustSync();
  await pm.mustSync();
  head = await world.server.head();
}, 90_000);

beforeEach(() => {
  world.active = [boss, pm];
});

afterAll(async () => {
  await world?.close();
});

/** Every synced table, row for row, in id order, exactly as SQLite returns it (types included). */
function tables(c: TestClient): Record<string, unknown[]> {
  return Object.fromEntries(ENTITY_NAMES.map((e) => [e, c.db.raw.prepare(`SELECT * FROM "${e}" ORDER BY id`).all()]));
}

function meta(c: TestClient): Record<string, string> {
  const rows = c.db.raw.prepare<[], { key: string; value: string }>('SELECT key, value FROM sync_meta ORDER BY key').all();
  const skip = new Set(['client_id', 'user', 'last_sync_at']);
  return Object.fromEntries(rows.filter((r) => !skip.has(r.key)).map((r) => [r.key, r.value]));
}

/** Counts the chunks applied by each path. */
function countPaths(c: TestClient): Record<string, number> {
  const counts: Record<string, number> = {};
  const store = c.client.store;
  const bulk = store.applyBulk.bind(store);
  store.applyBulk = (...a) => {
    const out = bulk(...a);
    counts.bulk = (counts.bulk ?? 0) + 1;
    return out;
  };
  const page = store.applyPage.bind(store);
  store.applyPage = async (...a) => {
    const out = await page(...a);
    counts[store.lastPath] = (counts[store.lastPath] ?? 0) + 1;
    return out;
  };
  return counts;
}

describe('bulk apply (initial sync)', () => {
  it('leaves exactly the tables of the page-by-page path, in several transactions', async () => {
    const bulk = await world.client({ sync: { pullLimit: 4, bulkTransactionRows: 9 } });
    const plain = await world.client({ sync: { pullLimit: 4, bulkApply: false } });
    world.active = [boss, pm, bulk, plain];
    const bulkPaths = countPaths(bulk);
    const plainPaths = countPaths(plain);
    let commits = 0;
    const commit = bulk.client.store.commitBulk.bind(bulk.client.store);
    bulk.client.store.commitBulk = () => {
      commits++;
      commit();
    };
    await bulk.mustSync();
    await plain.mustSync();
    expect(bulkPaths.bulk).toBeGreaterThan(5);
    expect(Object.keys(bulkPaths)).toEqual(['bulk']);
    expect(plainPaths.bulk).toBeUndefined();
    expect(commits).toBeGreaterThan(2); // 9 rows a transaction at most
    expect(bulk.client.store.cursor).toBe(head);
    expect(tables(bulk)).toEqual(tables(plain));
    expect(meta(bulk)).toEqual(meta(plain));
    expect(bulk.row('allocation', 'BA2')?.status).toBe('cancelled');
    await checkInvariants(world);
  });

  it('an interrupted initial sync keeps what it committed and resumes from its cursor', async () => {
    const c = await world.client({ sync: { pullLimit: 3, bulkTransactionRows: 6, estimateProgress: false } });
    world.active = [boss, pm, c];
    // The network fails on the fifth pull.
    let pulls = 0;
    c.transport.decide = (op) => (op === 'pull' && ++pulls === 5 ? { kind: 'drop-request' } : null);
    expect(await c.sync()).toBeTruthy();
    c.transport.decide = null;
    const cursor = c.client.store.cursor;
    expect(cursor).toBeGreaterThan(0);
    expect(cursor).toBeLessThan(head);
    // What is there is exactly the history up to the committed cursor.
    const versions = ENTITY_NAMES.flatMap((e) => c.db.raw.prepare<[], { version: number }>(`SELECT version FROM "${e}"`).all().map((r) => r.version));
    expect(versions.length).toBeGreaterThan(0);
    expect(Math.max(...versions)).toBeLessThanOrEqual(cursor);

    // The process dies in the middle of a bulk transaction: what it applied since the last commit is rolled back.
    let chunks = 0;
    const applyBulk = c.client.store.applyBulk.bind(c.client.store);
    c.client.store.applyBulk = (...a) => {
      if (++chunks === 3) throw new Error('test: the process dies here');
      return applyBulk(...a);
    };
    const committed: number[] = [];
    const commit = c.client.store.commitBulk.bind(c.client.store);
    c.client.store.commitBulk = () => {
      commit();
      committed.push(c.client.store.cursor);
    };
    expect(await c.sync()).toBeTruthy();
    expect(c.db.raw.inTransaction).toBe(false);
    expect(c.client.store.cursor).toBe(committed.length ? committed[committed.length - 1] : cursor);
    await c.crashAndRestart();
    expect(c.client.store.cursor).toBeGreaterThanOrEqual(cursor);
    await c.mustSync();
    expect(c.client.store.cursor).toBe(head);
    await checkInvariants(world);
  });

  it('a local mutation made during the initial sync waits for the open transaction, then the rebase takes over', async () => {
    const c = await world.client({ role: 'portfolio_manager', sync: { pullLimit: 3, bulkTransactionRows: 1000, estimateProgress: false } });
    world.active = [boss, pm, c];
    const paths = countPaths(c);
    let pulls = 0;
    let made: Promise<unknown> | null = null;
    c.transport.before = async (op) => {
      if (op === 'pull' && ++pulls === 4) {
        // The analyst creates a deal while the download runs (the transaction may be open: it waits for the lock).
        made = c.mustMutate('createDeal', { id: 'BD-local', name: 'Made during the initial sync' });
      }
    };
    await c.mustSync();
    c.transport.before = null;
    await made;
    expect(paths.bulk).toBeGreaterThan(0);
    expect(paths.slow).toBeGreaterThan(0); // pages after the mutation: undo, apply, replay
    expect(c.row('deal', 'BD-local')?.name).toBe('Made during the initial sync');
    await world.quiesce();
    expect(c.client.store.pendingCount()).toBe(0);
    expect(pm.row('deal', 'BD-local')).toBeTruthy();
    await checkInvariants(world);
  });
});
