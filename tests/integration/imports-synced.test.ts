// CSV imports in a profile bound to a server (docs/imports-exports.md "Imports
// in a synced profile"): the validated rows are queued as import mutations,
// reach the real in-process server (PGlite, or TEST_DATABASE_URL) on sync and
// are replayed there under its rules; a profile that never signed in keeps the
// direct fast path.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../db/sqlite/open';
import { importCsv, type ImportReport } from '../../electron/core/imports/import-csv';
import { MAX_MUTATION_BYTES } from '../../electron/core/imports/import-mutations';
import { Workstation } from '../../electron/core/workstation';
import { MeridianError } from '../../shared/errors';
import type { ImportKind } from '../../shared/imports/kinds';
import { MAX_IMPORT_ROWS_PER_MUTATION } from '../../shared/mutators/imports';
import { checkInvariants, clientRows, M, serverRows, World, type TestClient } from '../sync/support';

let world: World;
let pm: TestClient;
let alice: TestClient;
let bob: TestClient;
let dir: string;

const NOW = '2025-03-31T12:00:00.000Z';

function csv(name: string, lines: readonly string[]): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

function outboxIds(c: TestClient): number[] {
  return c.db.raw.prepare<[], { mutation_id: number }>('SELECT mutation_id FROM outbox ORDER BY mutation_id').all().map((r) => r.mutation_id);
}

function outbox(c: TestClient): { name: string; rows: number }[] {
  return c.db.raw
    .prepare<[], { name: string; args: string }>('SELECT name, args FROM outbox ORDER BY mutation_id')
    .all()
    .map((r) => ({ name: r.name, rows: (JSON.parse(r.args) as { rows: unknown[] }).rows.length }));
}

/** Imports through the workstation, as the CLI and the desktop do (it sees the profile is bound); records the queued mutations. */
async function wsImport(c: TestClient, kind: ImportKind, file: string, skipInvalid = false): Promise<ImportReport> {
  const before = new Set(outboxIds(c));
  const ws = Workstation.open(c.file, { actor: c.actor });
  try {
    return (await ws.importCsv({ kind, file, skipInvalid })) as ImportReport;
  } finally {
    await ws.close();
    c.made.push(...outboxIds(c).filter((id) => !before.has(id)));
  }
}

/** Rows without the sync stamps (version, updated_at, updated_by), in id order. */
function data(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map(({ version: _v, updated_at: _u, updated_by: _b, ...rest }) => rest);
}

const DEALS = ['id,name,sector,country,stage', 'SD1,Acme Robotics,Industrials,US,Growth', 'SD2,Borealis Health,Healthcare,DE,Buyout', 'SD3,"Cobalt Software, Inc.",Technology,US,Growth'];
const ALLOCATIONS = [
  'id,fund_id,deal_id,security_type,amount,status,date',
  'SA1,SF,SD1,common_equity,4000000.00,approved,2025-01-15',
  'SA2,SF,SD2,senior_debt,2500000.50,proposed,2025-02-01',
  'SA3,SF,SD3,preferred_equity,1000000.00,committed,2025-02-20',
];

beforeAll(async () => {
  world = await World.create();
  dir = world.dir;
  pm = await world.client({ role: 'portfolio_manager' });
  alice = await world.client({ role: 'analyst' });
  bob = await world.client({ role: 'analyst' });
  await pm.mustMutate('createFund', { id: 'SF', name: 'Synced Fund', currency: 'USD', vintage: 2024, size: M(100_000_000) });
  await pm.mustSync();
  await alice.mustSync();
  await bob.mustSync();
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('a CSV import in a profile bound to a server', () => {
  it('queues deals and allocations offline, and a second client sees them after sync', async () => {
    alice.transport.offline = true;
    const deals = await wsImport(alice, 'deals', csv('deals.csv', DEALS));
    expect(deals).toMatchObject({ kind: 'deals', rows: 3, imported: 3, skipped: 0, unchanged: 0, queued: 3, mutations: 1, problems: [] });
    const allocs = await wsImport(alice, 'allocations', csv('allocations.csv', ALLOCATIONS));
    expect(allocs).toMatchObject({ rows: 3, imported: 3, unchanged: 0, queued: 3, mutations: 1 });
    expect(outbox(alice)).toEqual([
      { name: 'importDeals', rows: 3 },
      { name: 'importAllocations', rows: 3 },
    ]);
    // Applied locally at once (optimistically), with undo images; the server has nothing yet.
    expect(alice.row('allocation', 'SA2')).toMatchObject({ amount: 250_000_050, status: 'proposed', version: 0 });
    expect(alice.db.raw.prepare('SELECT count(*) AS n FROM undo_log').get()).toEqual({ n: 6 });
    expect(await alice.sync()).not.toBeNull(); // offline
    expect(await serverRows(world.server, 'deal')).toEqual([]);

    await world.quiesce([pm, alice, bob]);
    expect(alice.client.store.pendingCount()).toBe(0);
    expect(data(clientRows(bob, 'deal'))).toEqual([
      { id: 'SD1', name: 'Acme Robotics', sector: 'Industrials', country: 'US', stage: 'Growth', deleted_at: null },
      { id: 'SD2', name: 'Borealis Health', sector: 'Healthcare', country: 'DE', stage: 'Buyout', deleted_at: null },
      { id: 'SD3', name: 'Cobalt Software, Inc.', sector: 'Technology', country: 'US', stage: 'Growth', deleted_at: null },
    ]);
    expect(clientRows(bob, 'allocation').map((r) => [r.id, r.deal_id, r.amount, r.status, r.date, r.updated_by])).toEqual([
      ['SA1', 'SD1', 400_000_000, 'approved', '2025-01-15', alice.user.id],
      ['SA2', 'SD2', 250_000_050, 'proposed', '2025-02-01', alice.user.id],
      ['SA3', 'SD3', 100_000_000, 'committed', '2025-02-20', alice.user.id],
    ]);
    // Allocations are financial: one audit entry for the import mutation, none for the deals.
    const audits = await world.server.kysely.selectFrom('audit_log').select(['mutation', 'status']).where('client_id', '=', alice.client.store.clientId()).execute();
    expect(audits).toEqual([{ mutation: 'importAllocations', status: 'applied' }]);
    await checkInvariants(world, { clients: [pm, alice, bob] });
  });

  it('queues nothing when the same files are imported again', async () => {
    const outboxBefore = outboxIds(alice);
    expect(await wsImport(alice, 'deals', csv('deals.csv', DEALS))).toMatchObject({ rows: 3, imported: 3, unchanged: 3, queued: 0, mutations: 0 });
    expect(await wsImport(alice, 'allocations', csv('allocations.csv', ALLOCATIONS))).toMatchObject({ rows: 3, imported: 3, unchanged: 3, queued: 0, mutations: 0 });
    expect(outboxIds(alice)).toEqual(outboxBefore);
    // One changed row: only that row is queued.
    const edited = DEALS.map((l) => (l.startsWith('SD2,') ? 'SD2,Borealis Health,Healthcare,AT,Buyout' : l));
    expect(await wsImport(alice, 'deals', csv('deals-2.csv', edited))).toMatchObject({ unchanged: 2, queued: 1, mutations: 1 });
    await world.quiesce([pm, alice, bob]);
    expect(bob.row('deal', 'SD2')).toMatchObject({ country: 'AT' });
    await checkInvariants(world, { clients: [pm, alice, bob] });
  });

  it('lands in the rejection inbox with the rule code when the server refuses an allocation the client could not foresee', async () => {
    // Alice (offline) imports 2 × 3,000,000.00 approved into SD2 (nothing counted there yet; the per-deal limit is 10,000,000.00).
    alice.transport.offline = true;
    const file = csv('more.csv', ['id,fund_id,deal_id,security_type,amount,status,date', 'SA4,SF,SD2,common_equity,3000000.00,approved,2025-03-01', 'SA5,SF,SD2,common_equity,3000000.00,approved,2025-03-02']);
    expect(await wsImport(alice, 'allocations', file)).toMatchObject({ queued: 2, mutations: 1 });
    // Meanwhile Bob allocates 5,000,000.00 to the same deal and syncs first: 5 + 6 > 10.
    await bob.mustMutate('createAllocation', { id: 'SB1', fundId: 'SF', dealId: 'SD2', amount: M(5_000_000), date: '2025-03-01' });
    await bob.mustSync();

    alice.transport.offline = false;
    await world.quiesce([pm, alice, bob]);
    const rejections = alice.db.raw.prepare<[], { name: string; code: string; details: string | null }>('SELECT name, code, details FROM rejection').all();
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ name: 'importAllocations', code: 'DEAL_ALLOCATION_LIMIT_EXCEEDED' });
    expect(JSON.parse(rejections[0]!.details!)).toMatchObject({ id: 'SA5', index: 1, limit: M(10_000_000), current: M(8_000_000), proposed: M(3_000_000) });
    // All or nothing: SA4 (which fitted) was not applied either, on the server or (after the rebase) locally.
    expect(alice.row('allocation', 'SA4')).toBeUndefined();
    expect((await serverRows(world.server, 'allocation')).map((r) => r.id)).toEqual(['SA1', 'SA2', 'SA3', 'SB1']);
    await checkInvariants(world, { clients: [pm, alice, bob] });
  });

  it('refuses, locally and before queueing, rows the signed-in role may not import', async () => {
    const before = outboxIds(alice);
    // Funds need a portfolio manager (as createFund).
    const funds = csv('funds.csv', ['id,name,currency,vintage,size', 'SF9,Another Fund,USD,2025,50000000.00']);
    await expect(wsImport(alice, 'funds', funds)).rejects.toMatchObject({ code: 'ROLE_FORBIDDEN' });
    // An allocation counting above the approval threshold needs an approver: the problem names the line.
    const big = csv('big.csv', ['id,fund_id,deal_id,security_type,amount,status,date', 'SA6,SF,SD3,common_equity,6000000.00,approved,2025-03-05']);
    const e = (await wsImport(alice, 'allocations', big).catch((x: unknown) => x)) as MeridianError;
    expect(e).toBeInstanceOf(MeridianError);
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.problems).toMatchObject([{ code: 'APPROVAL_ROLE_REQUIRED', line: 2, path: 'status', details: { id: 'SA6' } }]);
    expect(outboxIds(alice)).toEqual(before);
    // The portfolio manager may.
    const ok = await wsImport(pm, 'allocations', big);
    expect(ok).toMatchObject({ queued: 1 });
    await world.quiesce([pm, alice, bob]);
    expect(bob.row('allocation', 'SA6')).toMatchObject({ status: 'approved', amount: M(6_000_000) });
    await checkInvariants(world, { clients: [pm, alice, bob] });
  });

  it('splits a large file into bounded mutations, and a cancel between chunks keeps what was queued', async () => {
    const lines = ['id,name,sector,country,stage'];
    for (let i = 0; i < 1200; i++) lines.push(`BULK${String(i).padStart(4, '0')},Bulk company ${i},Sector ${i % 7},US,Growth`);
    const file = csv('bulk-deals.csv', lines);
    const opts = { userId: alice.user.id, now: NOW, sync: { actor: alice.actor } };

    // Cancelled before the first chunk: nothing.
    const before = outboxIds(alice).length;
    const first = new AbortController();
    await expect(
      alice.writes.run(() => importCsv(alice.db, 'deals', file, { ...opts, signal: first.signal, onProgress: (p) => p.phase === 'write' && first.abort() })),
    ).rejects.toMatchObject({ code: 'CANCELLED', details: { queued: 0 } });
    expect(outboxIds(alice).length).toBe(before);
    expect(alice.row('deal', 'BULK0000')).toBeUndefined();

    // Cancelled after the first chunk: that chunk stays queued; a re-import queues only the rest.
    const second = new AbortController();
    const err = (await alice.writes
      .run(() => importCsv(alice.db, 'deals', file, { ...opts, signal: second.signal, onProgress: (p) => p.phase === 'write' && p.done > 0 && second.abort() }))
      .catch((x: unknown) => x)) as MeridianError;
    expect(err.code).toBe('CANCELLED');
    const queuedFirst = (err.details as { queued: number }).queued;
    expect(queuedFirst).toBeGreaterThan(0);
    expect(queuedFirst).toBeLessThan(1200);
    const rest = await alice.writes.run(() => importCsv(alice.db, 'deals', file, opts));
    expect(rest).toMatchObject({ rows: 1200, imported: 1200, unchanged: queuedFirst, queued: 1200 - queuedFirst });
    alice.made.push(...outboxIds(alice).slice(before));

    const sizes = alice.db.raw
      .prepare<[], { args: string }>("SELECT args FROM outbox WHERE name = 'importDeals'")
      .all()
      .map((r) => ({ rows: (JSON.parse(r.args) as { rows: unknown[] }).rows.length, bytes: r.args.length }));
    expect(sizes.reduce((t, s) => t + s.rows, 0)).toBe(1200);
    for (const s of sizes) {
      expect(s.rows).toBeLessThanOrEqual(MAX_IMPORT_ROWS_PER_MUTATION);
      expect(s.bytes).toBeLessThanOrEqual(MAX_MUTATION_BYTES + 100);
    }
    expect(sizes.length).toBeGreaterThanOrEqual(3);

    await world.quiesce([pm, alice, bob]);
    expect(bob.db.raw.prepare("SELECT count(*) AS n FROM deal WHERE id LIKE 'BULK%'").get()).toEqual({ n: 1200 });
    await checkInvariants(world, { clients: [pm, alice, bob] });
  }, 120_000);
});

describe('every other kind through the outbox', () => {
  const FILES: [ImportKind, string[]][] = [
    ['funds', ['id,name,currency,vintage,size', 'PF1,Pm Fund,EUR,2023,50000000.00']],
    ['investors', ['id,name', 'PI1,Pension Plan A', 'PI2,Endowment B']],
    ['commitments', ['investor_id,fund_id,amount', 'PI1,PF1,10000000.00', 'PI2,PF1,5000000.00']],
    ['cashflows', ['fund_id,date,type,amount', 'PF1,2024-01-10,contribution,1000000.00', 'PF1,2024-01-10,contribution,1000000.00', 'PF1,2024-06-30,distribution,250000.00']],
    ['navs', ['fund_id,date,nav', 'PF1,2024-03-31,900000.00', 'PF1,2024-06-30,1250000.25']],
    ['index', ['index,date,level', 'World Equity,2024-01-31,4521.37', 'World Equity,2024-02-29,4600.5']],
  ];
  const TABLES = ['fund', 'investor', 'commitment', 'contribution', 'distribution', 'nav_mark', 'index_level'] as const;
  /** Rows of the imported records without stamps; commitments without their id (the direct path gives a new one a UUIDv7). */
  const shape = (table: string, rows: Record<string, unknown>[]) =>
    data(rows.filter((r) => String(r.fund_id ?? r.id ?? '').startsWith('PF') || String(r.id).startsWith('PI') || table === 'index_level'))
      .map((r) => (table === 'commitment' ? { ...r, id: undefined } : r))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it('queues funds, investors, commitments, cash flows, NAV marks and index levels, and the server holds what the direct path writes', async () => {
    pm.transport.offline = true;
    for (const [kind, lines] of FILES) {
      const r = await wsImport(pm, kind, csv(`pm-${kind}.csv`, lines));
      expect(r, kind).toMatchObject({ rows: lines.length - 1, imported: lines.length - 1, unchanged: 0, queued: lines.length - 1, mutations: 1 });
    }
    expect(outbox(pm).map((m) => m.name)).toEqual(['importFunds', 'importInvestors', 'importCommitments', 'importCashflows', 'importNavMarks', 'importIndexLevels']);
    pm.transport.offline = false;
    await world.quiesce([pm, alice, bob]);
    await checkInvariants(world, { clients: [pm, alice, bob] });

    // Again: nothing to queue.
    for (const [kind, lines] of FILES) expect(await wsImport(pm, kind, csv(`pm-${kind}.csv`, lines)), kind).toMatchObject({ unchanged: lines.length - 1, queued: 0 });
    expect(pm.client.store.pendingCount()).toBe(0);

    // The same files through the direct path of a standalone profile.
    const db = openSqlite(path.join(dir, 'standalone-kinds.sqlite'));
    try {
      for (const [kind, lines] of FILES) await importCsv(db, kind, csv(`pm-${kind}.csv`, lines), { userId: 'local', now: NOW });
      for (const t of TABLES) {
        const direct = shape(t, db.raw.prepare(`SELECT * FROM ${t}`).all() as Record<string, unknown>[]);
        expect(direct.length, t).toBeGreaterThan(0);
        expect(shape(t, await serverRows(world.server, t)), t).toEqual(direct);
        expect(shape(t, clientRows(bob, t)), t).toEqual(direct);
      }
    } finally {
      await db.close();
    }
  });
});

describe('a profile that never signed in', () => {
  it('keeps the direct fast path: same rows, nothing queued', async () => {
    const db = openSqlite(path.join(dir, 'standalone.sqlite'));
    try {
      const ws = { userId: 'local', now: NOW };
      await importCsv(db, 'funds', csv('sf.csv', ['id,name,currency,vintage,size', 'SF,Synced Fund,USD,2024,100000000.00']), ws);
      const deals = await importCsv(db, 'deals', csv('deals.csv', DEALS), ws);
      expect(deals).toEqual({ kind: 'deals', file: path.join(dir, 'deals.csv'), rows: 3, imported: 3, skipped: 0, unchanged: 0, problems: [] });
      const allocs = await importCsv(db, 'allocations', csv('allocations.csv', ALLOCATIONS), ws);
      expect(allocs).toMatchObject({ rows: 3, imported: 3, unchanged: 0 });
      expect(allocs.queued).toBeUndefined();
      expect(db.raw.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });
      const rows = db.raw.prepare('SELECT id, fund_id, deal_id, security_type, amount, status, date, approved_by, version, updated_by, deleted_at FROM allocation ORDER BY id').all();
      expect(rows).toEqual([
        { id: 'SA1', fund_id: 'SF', deal_id: 'SD1', security_type: 'common_equity', amount: 400_000_000, status: 'approved', date: '2025-01-15', approved_by: null, version: 0, updated_by: 'local', deleted_at: null },
        { id: 'SA2', fund_id: 'SF', deal_id: 'SD2', security_type: 'senior_debt', amount: 250_000_050, status: 'proposed', date: '2025-02-01', approved_by: null, version: 0, updated_by: 'local', deleted_at: null },
        { id: 'SA3', fund_id: 'SF', deal_id: 'SD3', security_type: 'preferred_equity', amount: 100_000_000, status: 'committed', date: '2025-02-20', approved_by: null, version: 0, updated_by: 'local', deleted_at: null },
      ]);
      // The same data as the synced path wrote for the same files (stamps aside).
      const strip = (r: Record<string, unknown>) => [r.id, r.fund_id, r.deal_id, r.security_type, r.amount, r.status, r.date, r.approved_by];
      const synced = (await serverRows(world.server, 'allocation')).filter((r) => ['SA1', 'SA2', 'SA3'].includes(r.id as string));
      expect((rows as Record<string, unknown>[]).map(strip)).toEqual(synced.map(strip));
      expect(data(db.raw.prepare("SELECT * FROM deal WHERE id IN ('SD1','SD3') ORDER BY id").all() as Record<string, unknown>[])).toEqual(
        data((await serverRows(world.server, 'deal')).filter((r) => r.id === 'SD1' || r.id === 'SD3')),
      );
    } finally {
      await db.close();
    }
  });
});
