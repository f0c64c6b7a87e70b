/**
 * Push and pull (DESIGN §5): per-mutation results, retries answered from the
 * stored result, gaps refused, rejections that still advance the client,
 * roles checked on the server, stale versions, paging that never splits a
 * change sequence, resync after pruning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_SYNC_SCHEMA_VERSION, SYNC_SCHEMA_VERSION, type PullChanges } from '../../shared/sync/protocol';
import { allocation, fund, Mutations } from './fixtures';
import { startTestServer, units, type Session, type TestServer } from './harness';

let s: TestServer;
let pm: Session;
let analyst: Session;
let viewer: Session;

beforeAll(async () => {
  s = await startTestServer();
  [pm, analyst, viewer] = await Promise.all([s.user('portfolio_manager'), s.user('analyst'), s.user('viewer')]);
  // A fund and two deals everyone can use.
  const m = new Mutations();
  const r = await s.push(pm, 'setup', [
    m.m('createFund', fund('F', 100_000_000)),
    m.m('createDeal', { id: 'D1', name: 'Deal one' }),
    m.m('createDeal', { id: 'D2', name: 'Deal two' }),
  ]);
  expect(r.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
});
afterAll(async () => s?.close());

async function count(table: 'change_log' | 'mutation_result' | 'allocation', where?: { column: string; value: string }): Promise<number> {
  let q = s.db.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where(where.column as never, '=', where.value as never);
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('push', () => {
  it('applies each mutation in order and reports the new versions', async () => {
    const m = new Mutations();
    const r = await s.push(analyst, 'p-applied', [m.m('createAllocation', allocation('A-applied', 'F', 'D1', 250_000))]);
    expect(r.gap).toBeNull();
    expect(r.lastMutationId).toBe(1);
    const [res] = r.results;
    expect(res).toMatchObject({ id: 1, name: 'createAllocation', status: 'applied' });
    if (res?.status !== 'applied') throw new Error('not applied');
    expect(res.versions).toEqual([{ entity: 'allocation', id: 'A-applied', version: res.seq }]);
    const row = await s.db.database.db.selectFrom('allocation').selectAll().where('id', '=', 'A-applied').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ amount: units(250_000), status: 'approved', version: res.seq, approved_by: analyst.user.id, updated_by: analyst.user.id });
    expect(typeof row.amount).toBe('number');
  });

  it('answers a retried push from the stored results and applies nothing twice', async () => {
    const m = new Mutations();
    const batch = [m.m('createAllocation', allocation('A-retry-1', 'F', 'D1', 10_000)), m.m('createAllocation', allocation('A-retry-2', 'F', 'D1', 10))];
    const first = await s.push(analyst, 'p-retry', batch);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'rejected']);
    const logBefore = await count('change_log');
    const again = await s.push(analyst, 'p-retry', batch);
    expect(again.results).toEqual(first.results);
    expect(again.lastMutationId).toBe(2);
    expect(await count('change_log')).toBe(logBefore);
    expect(await count('allocation', { column: 'id', value: 'A-retry-1' })).toBe(1);
  });

  it('refuses a gap and stops the batch there, reporting what came before', async () => {
    const m = new Mutations();
    const one = m.m('createDeal', { id: 'D-gap', name: 'Gap deal' });
    const r = await s.push(analyst, 'p-gap', [one, { id: 3, name: 'createDeal', args: { id: 'D-gap-3', name: 'x' } }, { id: 2, name: 'createDeal', args: { id: 'D-gap-2', name: 'y' } }]);
    expect(r.results).toHaveLength(1);
    expect(r.results[0]).toMatchObject({ id: 1, status: 'applied' });
    expect(r.gap).toMatchObject({ code: 'MUTATION_GAP', id: 3, expectedId: 2 });
    expect(r.lastMutationId).toBe(1);
    expect(await count('change_log', { column: 'id', value: 'D-gap-2' })).toBe(0);
    expect(await count('change_log', { column: 'id', value: 'D-gap-3' })).toBe(0);
  });

  it('records a rule violation as a rejection that still advances the client', async () => {
    const m = new Mutations();
    const r = await s.push(analyst, 'p-reject', [
      m.m('createAllocation', allocation('A-small', 'F', 'D1', 999.99)),
      m.m('createAllocation', allocation('A-after', 'F', 'D1', 1_000)),
    ]);
    const [rejected, applied] = r.results;
    expect(rejected).toMatchObject({ id: 1, status: 'rejected', code: 'ALLOCATION_BELOW_MINIMUM' });
    if (rejected?.status !== 'rejected') throw new Error('not rejected');
    expect(rejected.problems[0]).toMatchObject({ code: 'ALLOCATION_BELOW_MINIMUM', path: 'amount', details: { limit: units(1_000), proposed: 99_999 } });
    expect(rejected.message).toMatch(/below the minimum of USD 1,000.00/);
    expect(applied).toMatchObject({ id: 2, status: 'applied' });
    expect(r.lastMutationId).toBe(2);
    expect(await count('allocation', { column: 'id', value: 'A-small' })).toBe(0);
  });

  it('rejects bad arguments with field paths instead of failing the request', async () => {
    const m = new Mutations();
    const r = await s.push(analyst, 'p-args', [
      m.m('createAllocation', { id: 'A-bad', fundId: 'F', dealId: 'D1', amount: 12.5, date: '2024-02-30' }),
      m.m('noSuchMutation', {}),
      m.m('createDeal', { id: 'D-nul', name: 'bad\u0000name' }),
      m.m('createAllocation', { ...allocation('A-nul', 'F', 'D1', 2_000), 'key\u0000': 1 }),
      m.m('createAllocation', allocation('A-nofund', 'NOPE', 'D1', 2_000)),
    ]);
    expect(r.results.map((x) => (x.status === 'rejected' ? x.code : x.status))).toEqual(['INVALID_INPUT', 'UNKNOWN_MUTATION', 'INVALID_INPUT', 'INVALID_INPUT', 'NOT_FOUND']);
    const bad = r.results[0]!;
    if (bad.status !== 'rejected') throw new Error('not rejected');
    expect(bad.problems.map((p) => p.path).sort()).toEqual(['amount', 'date']);
    expect(r.lastMutationId).toBe(5);
  });

  it('checks roles on the server: a viewer cannot write', async () => {
    const r = await s.push(viewer, 'p-viewer', [{ id: 1, name: 'createDeal', args: { id: 'D-viewer', name: 'Nope' } }]);
    expect(r.results[0]).toMatchObject({ status: 'rejected', code: 'ROLE_FORBIDDEN', details: { requiredRole: 'analyst', role: 'viewer' } });
  });

  it('rejects an analyst approving above the threshold with a role code; a portfolio manager may', async () => {
    const a = new Mutations();
    // 6,000,000.00 is above the 5,000,000.00 approval threshold: it is created as proposed.
    const created = await s.push(analyst, 'p-approve', [a.m('createAllocation', allocation('A-big', 'F', 'D2', 6_000_000))]);
    const c = created.results[0]!;
    if (c.status !== 'applied') throw new Error('not applied');
    const row = await s.db.database.db.selectFrom('allocation').select(['status', 'version']).where('id', '=', 'A-big').executeTakeFirstOrThrow();
    expect(row.status).toBe('proposed');

    const denied = await s.push(analyst, 'p-approve', [a.m('approveAllocation', { id: 'A-big', expectedVersion: row.version })]);
    expect(denied.results[0]).toMatchObject({
      status: 'rejected',
      code: 'APPROVAL_ROLE_REQUIRED',
      details: { threshold: units(5_000_000), proposed: units(6_000_000), requiredRole: 'portfolio_manager', role: 'analyst' },
    });
    expect((await s.db.database.db.selectFrom('allocation').select('status').where('id', '=', 'A-big').executeTakeFirstOrThrow()).status).toBe('proposed');

    const ok = await s.push(pm, 'p-approve-pm', [{ id: 1, name: 'approveAllocation', args: { id: 'A-big', expectedVersion: row.version } }]);
    expect(ok.results[0]).toMatchObject({ status: 'applied' });
    const after = await s.db.database.db.selectFrom('allocation').select(['status', 'approved_by']).where('id', '=', 'A-big').executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'approved', approved_by: pm.user.id });
  });

  it('refuses an edit based on a version another client has since changed (STALE_VERSION)', async () => {
    const created = await s.push(analyst, 'p-stale-a', [{ id: 1, name: 'createAllocation', args: allocation('A-stale', 'F', 'D1', 20_000) }]);
    const v0 = created.results[0]!.seq;
    const b = await s.push(analyst, 'p-stale-b', [{ id: 1, name: 'updateAllocation', args: { id: 'A-stale', expectedVersion: v0, amount: units(21_000) } }]);
    expect(b.results[0]).toMatchObject({ status: 'applied' });
    const a = await s.push(analyst, 'p-stale-a', [{ id: 2, name: 'updateAllocation', args: { id: 'A-stale', expectedVersion: v0, amount: units(22_000) } }]);
    expect(a.results[0]).toMatchObject({ status: 'rejected', code: 'STALE_VERSION', details: { expectedVersion: v0, currentVersion: b.results[0]!.seq } });
    const row = await s.db.database.db.selectFrom('allocation').select('amount').where('id', '=', 'A-stale').executeTakeFirstOrThrow();
    expect(row.amount).toBe(units(21_000));
  });

  it("does not treat a client's own chain of offline edits as stale", async () => {
    // Made offline: the client's local copy has version 0 for all three.
    const r = await s.push(analyst, 'p-chain', [
      { id: 1, name: 'createAllocation', args: allocation('A-chain', 'F', 'D1', 30_000) },
      { id: 2, name: 'updateAllocation', args: { id: 'A-chain', expectedVersion: 0, amount: units(31_000) } },
      { id: 3, name: 'updateAllocation', args: { id: 'A-chain', expectedVersion: 0, amount: units(32_000) } },
    ]);
    expect(r.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
  });

  it('refuses a client id that belongs to another user', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: pm.auth,
      payload: { clientId: 'p-applied', schemaVersion: SYNC_SCHEMA_VERSION, mutations: [] },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('ROLE_FORBIDDEN');
  });

  it('answers a too-old client with 426 CLIENT_TOO_OLD and a newer one with a retryable 503', async () => {
    const old = await s.app.inject({ method: 'POST', url: '/v1/sync/push', headers: analyst.auth, payload: { clientId: 'p-old', schemaVersion: MIN_SYNC_SCHEMA_VERSION - 1, mutations: [] } });
    expect(old.statusCode).toBe(426);
    expect(old.json().error).toMatchObject({ code: 'CLIENT_TOO_OLD', details: { minSchemaVersion: MIN_SYNC_SCHEMA_VERSION, serverSchemaVersion: SYNC_SCHEMA_VERSION } });
    const oldPull = await s.app.inject({ method: 'GET', url: `/v1/sync/pull?clientId=p-old&schemaVersion=${MIN_SYNC_SCHEMA_VERSION - 1}&cursor=0`, headers: analyst.auth });
    expect(oldPull.statusCode).toBe(426);
    const newer = await s.app.inject({ method: 'POST', url: '/v1/sync/push', headers: analyst.auth, payload: { clientId: 'p-new', schemaVersion: SYNC_SCHEMA_VERSION + 1, mutations: [] } });
    expect(newer.statusCode).toBe(503);
    expect(newer.headers['retry-after']).toBe('60');
    expect(newer.json().error).toMatchObject({ code: 'INTERNAL', details: { retryable: true, serverSchemaVersion: SYNC_SCHEMA_VERSION } });
  });
});

describe('pull', () => {
  let m: Mutations;
  const client = 'pull-client';

  beforeAll(async () => {
    m = new Mutations();
    // Five LPs committed to fund F; a capital call writes the call and five lines in one change sequence.
    const seed = [];
    for (let i = 1; i <= 5; i++) seed.push(m.m('createInvestor', { id: `LP${i}`, name: `LP ${i}` }));
    for (let i = 1; i <= 5; i++) seed.push(m.m('createCommitment', { id: `C${i}`, investorId: `LP${i}`, fundId: 'F', amount: units(1_000_000 * i) }));
    const r = await s.push(pm, client, seed);
    expect(r.results.every((x) => x.status === 'applied')).toBe(true);
  });

  it('returns changes in (seq, idx) order, full rows, and never splits one seq across pages', async () => {
    const call = await s.push(pm, client, [
      m.m('createCapitalCall', { id: 'CALL1', fundId: 'F', amount: units(1_500_000), callDate: '2024-04-01', dueDate: '2024-04-15' }),
    ]);
    const callSeq = call.results[0]!.seq;
    const all = (await s.pullAll(pm, client, 0, 1000)).flatMap((p) => p.changes);
    const callChanges = all.filter((c) => c.seq === callSeq);
    expect(callChanges.map((c) => [c.entity, c.idx])).toEqual([
      ['capital_call', 0],
      ['capital_call_line', 1],
      ['capital_call_line', 2],
      ['capital_call_line', 3],
      ['capital_call_line', 4],
      ['capital_call_line', 5],
    ]);
    const lines = callChanges.filter((c) => c.entity === 'capital_call_line').map((c) => c.row as { amount: number });
    expect(lines.reduce((t, l) => t + l.amount, 0)).toBe(units(1_500_000));

    // Page through with limit 4 from just before the call: the six rows of the call arrive on one page.
    const pages = await s.pullAll(pm, client, callSeq - 1, 4);
    const withCall = pages.filter((p) => p.changes.some((c) => c.seq === callSeq));
    expect(withCall).toHaveLength(1);
    expect(withCall[0]!.changes.filter((c) => c.seq === callSeq)).toHaveLength(6);

    // Small pages over the whole log: order, contiguity and no seq split anywhere.
    const small = await s.pullAll(pm, client, 0, 3);
    const flat = small.flatMap((p) => p.changes);
    expect(flat.map((c) => `${c.seq}/${c.idx}`)).toEqual(all.map((c) => `${c.seq}/${c.idx}`));
    for (let i = 1; i < small.length; i++) {
      const prevLast = small[i - 1]!.changes.at(-1)?.seq;
      const first = small[i]!.changes[0]?.seq;
      if (prevLast !== undefined && first !== undefined) expect(first).toBeGreaterThan(prevLast);
      expect(small[i]!.cursor).toBeGreaterThanOrEqual(small[i - 1]!.cursor);
    }
  });

  it("reports this client's results and last mutation id as of the page's cursor", async () => {
    const pages = await s.pullAll(pm, client, 0, 2);
    const results = pages.flatMap((p) => p.results);
    expect(results.map((r) => r.id)).toEqual(Array.from({ length: results.length }, (_, i) => i + 1));
    let lastSeen = 0;
    for (const p of pages) {
      expect(p.lastMutationId).toBeGreaterThanOrEqual(lastSeen);
      for (const r of p.results) {
        expect(r.seq).toBeLessThanOrEqual(p.cursor);
        expect(r.id).toBeLessThanOrEqual(p.lastMutationId);
      }
      lastSeen = p.lastMutationId;
    }
    expect(lastSeen).toBe(m.nextId - 1);
  });

  it('gives the rows as the zod schemas in shared/ describe them', async () => {
    const { changeSchema } = await import('../../shared/sync/protocol');
    const pages = await s.pullAll(pm, client, 0);
    for (const c of pages.flatMap((p: PullChanges) => p.changes)) expect(changeSchema.safeParse(c).success).toBe(true);
  });

  it('answers a cursor ahead of the history with resync', async () => {
    const r = await s.pull(pm, client, 1_000_000);
    expect(r).toMatchObject({ kind: 'resync', reason: 'cursor_ahead' });
  });

  it('validates the query: unknown parameters and bad numbers are 400 with field paths', async () => {
    const res = await s.app.inject({ method: 'GET', url: `/v1/sync/pull?clientId=${client}&schemaVersion=${SYNC_SCHEMA_VERSION}&cursor=-1&limit=99999&x=1`, headers: pm.auth });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.problems.map((p: { path: string }) => p.path).sort();
    expect(paths).toEqual(['cursor', 'limit', 'x']);
  });
});

describe('retention', () => {
  it('answers a cursor older than the retained history with resync, and the snapshot gives the rows', async () => {
    const local = await startTestServer();
    try {
      const pm2 = await local.user('portfolio_manager');
      const m = new Mutations();
      await local.push(pm2, 'r1', [
        m.m('createFund', fund('RF', 10_000_000)),
        m.m('createDeal', { id: 'RD', name: 'R deal' }),
        m.m('createAllocation', allocation('RA', 'RF', 'RD', 20_000)),
      ]);
      const seq = (await local.push(pm2, 'r1', [m.m('createDeal', { id: 'RD2', name: 'R deal 2' })])).results[0]!.seq;
      const prune = await local.app.inject({ method: 'POST', url: '/v1/admin/change-log/prune', headers: local.admin.auth, payload: { throughSeq: seq - 1 } });
      expect(prune.statusCode).toBe(200);
      expect(prune.json()).toMatchObject({ minCursor: seq - 1 });

      const old = await local.pull(pm2, 'r1', 0);
      expect(old).toMatchObject({ kind: 'resync', reason: 'history_pruned', minCursor: seq - 1, lastMutationId: 4 });
      const fresh = await local.pull(pm2, 'r1', seq - 1);
      expect(fresh.kind).toBe('changes');
      if (fresh.kind === 'changes') expect(fresh.changes.map((c) => c.id)).toEqual(['RD2']);

      const snap = await local.app.inject({ method: 'GET', url: `/v1/sync/snapshot?clientId=r1&schemaVersion=${SYNC_SCHEMA_VERSION}&entity=deal&limit=1`, headers: pm2.auth });
      expect(snap.statusCode).toBe(200);
      const page1 = snap.json();
      expect(page1).toMatchObject({ entity: 'deal', nextAfter: 'RD' });
      expect(page1.rows[0]).toMatchObject({ id: 'RD', name: 'R deal' });
      const snap2 = await local.app.inject({ method: 'GET', url: `/v1/sync/snapshot?clientId=r1&schemaVersion=${SYNC_SCHEMA_VERSION}&entity=deal&after=RD`, headers: pm2.auth });
      expect(snap2.json()).toMatchObject({ nextAfter: null, rows: [{ id: 'RD2' }] });

      // After a resync the client fetches the results of its mutations past the last one it had acknowledged.
      const results = await local.app.inject({ method: 'GET', url: `/v1/sync/results?clientId=r1&schemaVersion=${SYNC_SCHEMA_VERSION}&after=1`, headers: pm2.auth });
      expect(results.json()).toMatchObject({ lastMutationId: 4, results: [{ id: 2 }, { id: 3 }, { id: 4 }] });

      // An edit based on a version from before the horizon cannot be shown to be current: stale, never a silent overwrite.
      const edit = await local.push(pm2, 'r1', [m.m('updateAllocation', { id: 'RA', expectedVersion: 0, amount: units(25_000) })]);
      expect(edit.results[0]).toMatchObject({ status: 'rejected', code: 'STALE_VERSION' });
    } finally {
      await local.close();
    }
  });
});
