// Fault injection against the real server (issue 4): every bullet of the
// issue's list, each ending with DESIGN §5's invariants.
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../db/sqlite/open';
import type { LocalTables } from '../../db/sqlite/local-tables';
import { localContext } from '../../electron/core/local-mutations';
import type { SyncTransportError } from '../../electron/core/sync';
import { loadRules, runMutation } from '../../shared/mutators';
import type { SyncedTables } from '../../shared/domain/tables';
import { SYNC_SCHEMA_VERSION } from '../../shared/sync/protocol';
import { checkInvariants, M, World, type TestClient } from './support';

let world: World;
let pm: TestClient;
let fundSeq = 0;

beforeAll(async () => {
  world = await World.create();
  pm = await world.client({ role: 'portfolio_manager' });
}, 90_000);

beforeEach(() => {
  world.active = [pm];
});

afterAll(async () => {
  await world?.close();
});

/** A fresh fund (size in major units) and two deals, created by the PM and synced. */
async function fund(size = 10_000_000): Promise<{ fund: string; deals: [string, string] }> {
  const n = ++fundSeq;
  const f = `F-${n}`;
  await pm.mustMutate('createFund', { id: f, name: `Fund ${n}`, currency: 'USD', vintage: 2024, size: M(size) });
  await pm.mustMutate('createDeal', { id: `${f}-D1`, name: `Deal ${n}.1` });
  await pm.mustMutate('createDeal', { id: `${f}-D2`, name: `Deal ${n}.2` });
  await pm.mustSync();
  return { fund: f, deals: [`${f}-D1`, `${f}-D2`] };
}

const allocation = (id: string, fundId: string, dealId: string, amount: number) => ({ id, fundId, dealId, amount: M(amount), date: '2024-03-01' });

async function serverCount(entity: 'allocation' | 'deal', id: string): Promise<number> {
  const r = await world.server.kysely.selectFrom(entity).select('id').where('id', '=', id).execute();
  return r.length;
}

describe('fault injection', () => {
  it('the client dies after the server committed a push, before reading the answer', async () => {
    const { fund: f, deals } = await fund();
    const a = await world.client();
    await a.mustSync();
    await a.mustMutate('createAllocation', allocation('die-1', f, deals[0], 1_000_000));
    await a.mustMutate('createAllocation', allocation('die-2', f, deals[1], 2_000_000));
    a.transport.queue.push.push({ kind: 'drop-response' });
    const e = (await a.sync()) as SyncTransportError;
    expect(e.kind).toBe('offline');
    expect(await serverCount('allocation', 'die-1')).toBe(1); // committed on the server
    expect(a.client.store.pendingCount()).toBe(2); // the client never learned it
    await a.crashAndRestart();
    await a.mustSync();
    expect(a.client.store.pendingCount()).toBe(0);
    expect(a.row('allocation', 'die-2')?.version).toBeGreaterThan(0);
    await world.quiesce();
    await checkInvariants(world);
  });

  it('the server restarts in the middle of a batch', async () => {
    const { fund: f, deals } = await fund();
    const a = await world.client({ sync: { pushBatchSize: 4, pullLimit: 3 } });
    await a.mustSync();
    for (let i = 0; i < 7; i++) await a.mustMutate('createAllocation', allocation(`rst-${i}`, f, deals[i % 2]!, 100_000 + i));
    a.transport.queue.push.push({ kind: 'restart-mid-batch', after: 2 });
    const restarts = world.server.restarts;
    expect(await a.sync()).toBeTruthy();
    expect(world.server.restarts).toBe(restarts + 1);
    expect(await serverCount('allocation', 'rst-1')).toBe(1);
    expect(await serverCount('allocation', 'rst-2')).toBe(0);
    await a.mustSync(); // same access token: the signing secret survives restarts
    expect(a.client.store.pendingCount()).toBe(0);
    await world.quiesce();
    await checkInvariants(world);
  });

  it('the server fails inside a batch (an infrastructure error after some commits) and the client retries', async () => {
    const { fund: f, deals } = await fund();
    const a = await world.client({ sync: { pushBatchSize: 10 } });
    await a.mustSync();
    for (let i = 0; i < 5; i++) await a.mustMutate('createAllocation', allocation(`inf-${i}`, f, deals[0], 50_000 + i));
    let ticks = 0;
    world.server.onTick = () => {
      if (++ticks === 4) throw new Error('database connection lost (test)');
    };
    const e = (await a.sync()) as SyncTransportError;
    world.server.onTick = null;
    expect(e.kind).toBe('server');
    expect(e.retryable).toBe(true);
    await a.mustSync();
    for (let i = 0; i < 5; i++) expect(await serverCount('allocation', `inf-${i}`)).toBe(1);
    await world.quiesce();
    await checkInvariants(world);
  });

  it('the same push is delivered twice, one after the other and concurrently, and a stale copy arrives late', async () => {
    const { fund: f, deals } = await fund();
    const a = await world.client();
    await a.mustSync();
    await a.mustMutate('createAllocation', allocation('dup-1', f, deals[0], 300_000));
    a.transport.queue.push.push({ kind: 'duplicate' });
    await a.mustSync();
    await a.mustMutate('createAllocation', allocation('dup-2', f, deals[0], 300_000));
    await a.mustMutate('createAllocation', allocation('dup-3', f, deals[1], 300_000));
    a.transport.queue.push.push({ kind: 'duplicate-concurrent' });
    await a.mustSync();
    await a.mustMutate('updateAllocation', { id: 'dup-3', expectedVersion: a.version('allocation', 'dup-3')!, amount: M(400_000) });
    a.transport.queue.push.push({ kind: 'replay-later' });
    a.transport.queue.pull.push({ kind: 'delay', ms: 20 });
    await a.mustSync();
    await a.mustMutate('updateAllocation', { id: 'dup-3', expectedVersion: a.version('allocation', 'dup-3')!, amount: M(500_000) });
    await a.mustSync(); // the late copy of the earlier push is delivered first: answered from its stored result
    expect(a.row('allocation', 'dup-3')?.amount).toBe(M(500_000));
    expect(a.transport.log.map((l) => l.fault).filter(Boolean)).toEqual(['duplicate', 'duplicate-concurrent', 'replay-later', 'delay']);
    await world.quiesce();
    await checkInvariants(world);
  });

  it("two offline clients together allocate past the fund's 95 % cap: exactly one gets the rejection, both converge", async () => {
    const { fund: f, deals } = await fund(10_000_000);
    const a = await world.client();
    const b = await world.client();
    await a.mustSync();
    await b.mustSync();
    a.transport.offline = true;
    b.transport.offline = true;
    // Each is fine alone (5,000,000 of 10,000,000); together 100 % > 95 %.
    await a.mustMutate('createAllocation', allocation('cap-a', f, deals[0], 5_000_000));
    await b.mustMutate('createAllocation', allocation('cap-b', f, deals[1], 5_000_000));
    expect(await a.sync()).toBeTruthy();
    expect(b.client.status().state).toBe('idle');
    await world.quiesce([a, b]);
    const inboxes = [a, b].map((c) => c.client.rejections.list());
    expect(inboxes.flat()).toHaveLength(1);
    const [rejection] = inboxes.flat();
    expect(rejection!.code).toBe('FUND_UTILISATION_EXCEEDED');
    expect(rejection!.message).toMatch(/95 %/);
    const loser = inboxes[0]!.length ? a : b;
    const winner = loser === a ? b : a;
    const lost = loser === a ? 'cap-a' : 'cap-b';
    expect(loser.row('allocation', lost)).toBeUndefined(); // visibly reverted
    expect(winner.row('allocation', lost)).toBeUndefined();
    expect(loser.client.status().rejected).toBe(1);
    await world.quiesce();
    await checkInvariants(world);
  });

  it('one client edits an allocation another deleted (and the other way round)', async () => {
    const { fund: f, deals } = await fund(20_000_000);
    const a = await world.client();
    const b = await world.client();
    await a.mustSync();
    // Above the approval threshold: proposed, so it can be deleted.
    await a.mustMutate('createAllocation', allocation('del-1', f, deals[0], 6_000_000));
    await a.mustMutate('createAllocation', allocation('del-2', f, deals[1], 6_000_000));
    await a.mustSync();
    await b.mustSync();
    await b.mustMutate('deleteAllocation', { id: 'del-1', expectedVersion: b.version('allocation', 'del-1')! });
    await a.mustMutate('updateAllocation', { id: 'del-1', expectedVersion: a.version('allocation', 'del-1')!, amount: M(7_000_000) });
    await a.mustMutate('updateAllocation', { id: 'del-2', expectedVersion: a.version('allocation', 'del-2')!, amount: M(7_000_000) });
    await b.mustMutate('deleteAllocation', { id: 'del-2', expectedVersion: b.version('allocation', 'del-2')! });
    await b.mustSync(); // delete of del-1 wins, delete of del-2 too (a has not pushed)
    await a.mustSync();
    const inbox = a.client.rejections.list();
    expect(inbox.map((r) => [r.args.id, r.code]).sort()).toEqual([
      ['del-1', 'NOT_FOUND'],
      ['del-2', 'NOT_FOUND'],
    ]);
    expect(a.row('allocation', 'del-1')?.deleted_at).not.toBeNull();
    // Discarding keeps the record; the inbox shows what is still open.
    a.client.rejections.discard(inbox[0]!.id);
    expect(a.client.rejections.list()).toHaveLength(1);
    expect(a.client.rejections.list({ all: true })).toHaveLength(2);
    await world.quiesce();
    await checkInvariants(world);
  });

  it('an edit based on a version another client changed is a stale rejection, never a silent overwrite; edit-and-resubmit fixes it', async () => {
    const { fund: f, deals } = await fund(20_000_000);
    const a = await world.client();
    const b = await world.client();
    await a.mustSync();
    await a.mustMutate('createAllocation', allocation('stale-1', f, deals[0], 1_000_000));
    await a.mustSync();
    await b.mustSync();
    await a.mustMutate('updateAllocation', { id: 'stale-1', expectedVersion: a.version('allocation', 'stale-1')!, amount: M(1_100_000) });
    await b.mustMutate('updateAllocation', { id: 'stale-1', expectedVersion: b.version('allocation', 'stale-1')!, amount: M(1_200_000) });
    await a.mustSync();
    await b.mustSync();
    const [r] = b.client.rejections.list();
    expect(r!.code).toBe('STALE_VERSION');
    expect(b.row('allocation', 'stale-1')?.amount).toBe(M(1_100_000)); // b's optimistic edit reverted
    const re = await b.client.rejections.resubmit(r!.id, { useCurrentVersion: true });
    expect(re.mutationId).toBeGreaterThan(r!.id);
    expect(b.client.rejections.get(r!.id)).toMatchObject({ status: 'resubmitted', resubmittedAs: re.mutationId });
    await b.mustSync();
    await world.quiesce();
    expect(a.row('allocation', 'stale-1')?.amount).toBe(M(1_200_000));
    await checkInvariants(world);
  });

  it('client clocks skewed by ±1 day change nothing: the server orders, the server stamps', async () => {
    const { fund: f, deals } = await fund(20_000_000);
    const ahead = await world.client({ skewMs: 86_400_000 });
    const behind = await world.client({ skewMs: -86_400_000 });
    await ahead.mustSync();
    await behind.mustSync();
    await ahead.mustMutate('updateDeal', { id: deals[0], name: 'Named by the laptop a day ahead' });
    await behind.mustMutate('updateDeal', { id: deals[0], name: 'Named by the laptop a day behind' });
    await ahead.mustMutate('createAllocation', allocation('skew-1', f, deals[1], 1_000_000));
    expect(String(ahead.row('allocation', 'skew-1')?.updated_at) > new Date(Date.now() + 3_600_000).toISOString()).toBe(true);
    await ahead.mustSync();
    await behind.mustSync(); // last writer in server order wins, whatever the clocks say
    await world.quiesce();
    for (const c of [ahead, behind, pm]) expect(c.row('deal', deals[0])?.name).toBe('Named by the laptop a day behind');
    const stamped = String(ahead.row('allocation', 'skew-1')?.updated_at);
    expect(Math.abs(Date.parse(stamped) - Date.now())).toBeLessThan(600_000); // the server's clock, not the laptop's
    await checkInvariants(world);
  });

  it('an upgrade with pending mutations: an old profile (no undo log) and an app too old for the server', async () => {
    const { fund: f } = await fund(20_000_000);
    // A competitor takes the deal id the old profile will also use.
    await pm.mustMutate('createDeal', { id: `${f}-legacy-deal`, name: 'Created on the server first' });
    await pm.mustSync();
    // The old app (schema 2): mutations applied and queued, without undo images.
    const file = path.join(world.dir, 'legacy.sqlite');
    const old = openSqlite(file, { targetVersion: 2 });
    const oldMutation = async (name: string, args: Record<string, unknown>, id: number) => {
      await old.kysely.transaction().execute(async (trx) => {
        const ctx = localContext(trx as unknown as Kysely<LocalTables>, { userId: 'local', role: 'admin' }, new Date(Date.now() + id).toISOString(), await loadRules(trx as unknown as Kysely<SyncedTables>));
        await runMutation(ctx, name, args);
        await trx.insertInto('outbox').values({ mutation_id: id, name, args: JSON.stringify(args), created_at: ctx.now }).execute();
        await trx.insertInto('sync_meta').values({ key: 'next_mutation_id', value: String(id + 1) }).onConflict((oc) => oc.column('key').doUpdateSet({ value: String(id + 1) })).execute();
      });
    };
    await oldMutation('createFund', { id: `${f}-legacy`, name: 'Legacy fund', currency: 'EUR', vintage: 2020, size: M(5_000_000) }, 1);
    await oldMutation('createDeal', { id: `${f}-legacy-deal`, name: 'Made offline in the old app', sector: '', country: '', stage: '' }, 2);
    await oldMutation('createDeal', { id: `${f}-legacy-deal-2`, name: 'Another old deal', sector: '', country: '', stage: '' }, 3);
    await old.close();

    const legacy = await world.client({ role: 'portfolio_manager', file });
    expect(legacy.client.store.pending().map((p) => p.undoable)).toEqual([0, 0, 0]);
    legacy.made.push(1, 2, 3);
    // The server has moved on to sync schema 2: this app (schema 1) must update first; nothing is lost meanwhile.
    legacy.transport.minSchemaVersion = SYNC_SCHEMA_VERSION + 1;
    const e = (await legacy.sync()) as SyncTransportError;
    expect(e.kind).toBe('client_too_old');
    expect(legacy.client.status()).toMatchObject({ state: 'update_required', pending: 3 });
    expect(legacy.client.status().updateRequired?.minSchemaVersion).toBe(SYNC_SCHEMA_VERSION + 1);
    await legacy.mustMutate('createAllocation', allocation('legacy-alloc', `${f}-legacy`, `${f}-legacy-deal-2`, 1_000_000));
    expect(((await legacy.sync()) as SyncTransportError).kind).toBe('client_too_old'); // still refused, without asking the server
    // The app is updated (speaks schema 2; the test server still speaks 1 underneath).
    legacy.transport.rewriteSchemaVersion = SYNC_SCHEMA_VERSION;
    await legacy.crashAndRestart({ schemaVersion: SYNC_SCHEMA_VERSION + 1 });
    expect(legacy.client.status().updateRequired).toBeNull();
    await legacy.mustSync();
    expect(legacy.client.store.pendingCount()).toBe(0);
    const [dup] = legacy.client.rejections.list();
    expect(dup).toMatchObject({ id: 2, code: 'DUPLICATE' });
    expect(legacy.row('deal', `${f}-legacy-deal`)?.name).toBe('Created on the server first'); // the old local copy is gone
    expect(legacy.row('allocation', 'legacy-alloc')?.version).toBeGreaterThan(0);
    await world.quiesce();
    await checkInvariants(world);
  });

  it('a cursor older than the retained history: snapshot rebuild keeps the outbox, including edits made during it', async () => {
    const { fund: f, deals } = await fund(20_000_000);
    const a = await world.client();
    const b = await world.client();
    await a.mustSync();
    await b.mustSync();
    a.transport.offline = true;
    await a.mustMutate('createAllocation', allocation('resync-a1', f, deals[0], 1_000_000));
    for (let i = 0; i < 6; i++) await b.mustMutate('createAllocation', allocation(`resync-b${i}`, f, deals[1], 100_000 + i));
    await b.mustMutate('updateDeal', { id: deals[0], name: 'Renamed while a was away' });
    await b.mustSync();
    await world.server.prune(await world.server.head());
    a.transport.offline = false;
    let edited = false;
    a.transport.before = async (op) => {
      if (op === 'snapshot' && !edited) {
        edited = true; // the analyst keeps working while the snapshot downloads
        await a.mustMutate('createAllocation', allocation('resync-a2', f, deals[0], 2_000_000));
      }
    };
    a.transport.queue.push.push({ kind: 'drop-request' }); // the first cycle fails before pushing: a1 is pending at resync
    expect(await a.sync()).toBeTruthy();
    a.transport.queue.push.length = 0;
    // Push first (a1), then pull → resync (snapshot) → a2 made during it is kept and pushed next time.
    const report = await a.client.syncOnce();
    a.transport.before = null;
    expect(report.resynced).toBe(true);
    expect(edited).toBe(true);
    expect(a.row('deal', deals[0])?.name).toBe('Renamed while a was away');
    expect(a.row('allocation', 'resync-a2')?.amount).toBe(M(2_000_000)); // optimistic, still pending
    expect(a.client.store.pendingCount()).toBe(1);
    await world.quiesce();
    expect(a.row('allocation', 'resync-b5')).toBeTruthy();
    await checkInvariants(world);
  });

  it('a server restored from a backup (cursor ahead of its history): resync', async () => {
    const a = await world.client();
    await a.mustSync();
    a.client.store.setMeta('cursor', String((await world.server.head()) + 1000));
    const report = await a.client.syncOnce();
    a.resetCursorHistory();
    expect(report.resynced).toBe(true);
    expect(a.client.store.cursor).toBeLessThanOrEqual(await world.server.head());
    await world.quiesce();
    await checkInvariants(world);
  });
});
