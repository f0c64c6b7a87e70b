// DESIGN §5's six invariants after quiescence, over random interleavings of
// offline edits, syncs and faults (fast-check), against the real server.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Fault } from './support';
import { checkInvariants, M, World, type TestClient } from './support';

let world: World;
let pm: TestClient;
let run = 0;

beforeAll(async () => {
  world = await World.create();
  pm = await world.client({ role: 'portfolio_manager' });
}, 90_000);

afterAll(async () => {
  await world?.close();
});

const CLIENTS = 3;
const client = fc.integer({ min: 0, max: CLIENTS - 1 });
const pick = fc.nat(20);
/** Amounts around a third of the fund (10,000,000): two or three together hit the 95 % cap. */
const amount = fc.integer({ min: 1_000, max: 4_500_000 }).map((n) => M(n));
const syncFault = fc.constantFrom<Fault | null>(
  null,
  null,
  null,
  { kind: 'drop-request' },
  { kind: 'drop-response' },
  { kind: 'duplicate' },
  { kind: 'duplicate-concurrent' },
  { kind: 'delay', ms: 5 },
  { kind: 'replay-later' },
  { kind: 'restart-mid-batch', after: 1 },
);

type Action =
  | { t: 'create'; c: number; deal: number; amount: number }
  | { t: 'update'; c: number; pick: number; amount: number }
  | { t: 'status'; c: number; pick: number; name: 'approveAllocation' | 'cancelAllocation' | 'deleteAllocation' }
  | { t: 'rename'; c: number; deal: number; name: string }
  | { t: 'sync'; c: number; fault: Fault | null; pullFault: boolean }
  | { t: 'offline'; c: number; on: boolean }
  | { t: 'crash'; c: number }
  | { t: 'restart' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('create' as const), c: client, deal: fc.nat(2), amount }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('update' as const), c: client, pick, amount }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('status' as const), c: client, pick, name: fc.constantFrom('approveAllocation' as const, 'cancelAllocation' as const, 'deleteAllocation' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('rename' as const), c: client, deal: fc.nat(2), name: fc.constantFrom('Alpha', 'Beta', 'Gamma') }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('sync' as const), c: client, fault: syncFault, pullFault: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('offline' as const), c: client, on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('crash' as const), c: client }) },
  { weight: 1, arbitrary: fc.constant({ t: 'restart' as const }) },
);

function liveAllocations(c: TestClient, fund: string): { id: string; version: number }[] {
  return c.db.raw.prepare<[string], { id: string; version: number }>('SELECT id, version FROM allocation WHERE fund_id = ? AND deleted_at IS NULL ORDER BY id').all(fund);
}

async function perform(a: Action, clients: TestClient[], fund: string, deals: string[], runId: number, step: number): Promise<void> {
  if (a.t === 'restart') return world.server.restart();
  const c = clients[a.c]!;
  switch (a.t) {
    case 'create':
      await c.mutate('createAllocation', { id: `P${runId}-${step}`, fundId: fund, dealId: deals[a.deal]!, amount: a.amount, date: '2024-05-01' });
      return;
    case 'update':
    case 'status': {
      const rows = liveAllocations(c, fund);
      if (!rows.length) return;
      const row = rows[a.pick % rows.length]!;
      if (a.t === 'update') await c.mutate('updateAllocation', { id: row.id, expectedVersion: row.version, amount: a.amount });
      else await c.mutate(a.name, { id: row.id, expectedVersion: row.version });
      return;
    }
    case 'rename':
      await c.mutate('updateDeal', { id: deals[a.deal]!, name: `${a.name} ${runId}` });
      return;
    case 'sync':
      if (a.fault) c.transport.queue.push.push(a.fault);
      if (a.pullFault) c.transport.queue.pull.push({ kind: 'drop-response' });
      await c.sync();
      c.transport.queue.push.length = 0;
      c.transport.queue.pull.length = 0;
      return;
    case 'offline':
      c.transport.offline = a.on;
      return;
    case 'crash':
      await c.crashAndRestart();
      c.verifyRebase();
      return;
  }
}

describe('sync property', () => {
  it('random interleavings of offline edits, syncs and faults keep DESIGN §5’s six invariants', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 25 }), async (actions) => {
        const runId = ++run;
        world.active = [pm];
        const fund = `PF-${runId}`;
        const deals = [0, 1, 2].map((i) => `${fund}-D${i}`);
        await pm.mustMutate('createFund', { id: fund, name: `Property fund ${runId}`, currency: 'USD', vintage: 2024, size: M(10_000_000) });
        for (const d of deals) await pm.mustMutate('createDeal', { id: d, name: d });
        await pm.mustSync();
        const clients = [await world.client({ role: 'analyst' }), await world.client({ role: 'analyst' }), await world.client({ role: 'portfolio_manager' })];
        for (const c of clients) {
          await c.mustSync();
          c.verifyRebase();
        }
        for (let i = 0; i < actions.length; i++) await perform(actions[i]!, clients, fund, deals, runId, i);
        await world.quiesce();
        await checkInvariants(world);
        if (process.env.SYNC_PROPERTY_STATS) {
          const rej = clients.map((c) => c.client.rejections.list({ all: true }).map((r) => r.code));
          console.log(JSON.stringify({ runId, actions: actions.length, rej, faults: clients.map((c) => c.transport.log.filter((l) => l.fault).length), fast: clients.map((c) => c.fastChecked), restarts: world.server.restarts }));
        }
        for (const c of clients) await c.close();
        world.clients.splice(world.clients.indexOf(clients[0]!), 3);
      }),
      { numRuns: Number(process.env.SYNC_PROPERTY_RUNS ?? 12), endOnFailure: true },
    );
  }, 240_000);
});
