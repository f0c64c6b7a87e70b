/**
 * The audit trail: one hash-chained entry per applied or rejected financial
 * mutation, written with the change; queries by entity, record and time;
 * verification that finds a row altered or removed directly in the database.
 */
import { sql, type Selectable } from 'kysely';
import type { AuditLogTable } from '../../db/postgres/tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage } from '../../shared/sync/api';
import { allocation, fund } from './fixtures';
import { startTestServer, units, type Session, type TestServer } from './harness';

let s: TestServer;
let pm: Session;
let analyst: Session;

beforeAll(async () => {
  s = await startTestServer();
  [pm, analyst] = await Promise.all([s.user('portfolio_manager'), s.user('analyst')]);
  await s.push(pm, 'audit-setup', [
    { id: 1, name: 'createFund', args: fund('AF', 20_000_000) },
    { id: 2, name: 'createDeal', args: { id: 'AD', name: 'Audit deal' } },
  ]);
  await s.push(analyst, 'audit-client', [
    { id: 1, name: 'createAllocation', args: allocation('AA', 'AF', 'AD', 1_500_000) },
    { id: 2, name: 'updateAllocation', args: { id: 'AA', expectedVersion: 0, amount: units(1_600_000) } },
    { id: 3, name: 'updateAllocation', args: { id: 'AA', expectedVersion: 0, amount: units(500) } }, // below the minimum
  ]);
});
afterAll(async () => s?.close());

async function audit(query: string, session: Session = pm): Promise<AuditPage> {
  const res = await s.app.inject({ method: 'GET', url: `/v1/audit${query}`, headers: session.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<AuditPage>();
}

async function verify() {
  const res = await s.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: pm.auth });
  expect(res.statusCode).toBe(200);
  return res.json<{ ok: boolean; checked: number; firstBrokenSeq: number | null }>();
}

describe('entries', () => {
  it('records who, which client, which mutation, the record, before and after, and the time', async () => {
    const { entries } = await audit('?entity=allocation&id=AA');
    expect(entries.map((e) => [e.mutation, e.status, e.code])).toEqual([
      ['createAllocation', 'applied', null],
      ['updateAllocation', 'applied', null],
      ['updateAllocation', 'rejected', 'ALLOCATION_BELOW_MINIMUM'],
    ]);
    const [create, update, rejected] = entries as [AuditEntry, AuditEntry, AuditEntry];
    expect(create).toMatchObject({ userId: analyst.user.id, clientId: 'audit-client', mutationId: 1, entity: 'allocation', entityId: 'AA', before: null });
    expect(create.after).toMatchObject({ id: 'AA', amount: units(1_500_000), status: 'approved' });
    expect(update.before).toMatchObject({ amount: units(1_500_000) });
    expect(update.after).toMatchObject({ amount: units(1_600_000) });
    expect(rejected.before).toMatchObject({ amount: units(1_600_000) });
    expect(rejected.after).toBeNull();
    expect(rejected.message).toMatch(/below the minimum/);
    expect(rejected.details).toMatchObject({ args: { id: 'AA', amount: 50_000 }, problems: [{ code: 'ALLOCATION_BELOW_MINIMUM', path: 'amount' }] });
    expect(new Date(create.at).toISOString()).toBe(create.at);
    expect(update.prevHash).toBe(create.hash);
    expect(rejected.prevHash).toBe(update.hash);
  });

  it('does not audit descriptive, non-financial mutations', async () => {
    const { entries } = await audit('?entity=deal&id=AD');
    expect(entries).toEqual([]);
  });

  it('audits the first rules revision and the first admin account', async () => {
    const { entries } = await audit('?limit=2');
    expect(entries.map((e) => [e.seq, e.mutation, e.userId])).toEqual([
      [1, 'putBusinessRules', 'system'],
      [2, 'createUser', 'system'],
    ]);
    expect(JSON.stringify(entries[1]!.after)).not.toMatch(/password|scrypt/);
  });

  it('filters by time and pages by seq', async () => {
    const all = await audit('?limit=1000');
    const mid = all.entries[2]!;
    const from = await audit(`?from=${encodeURIComponent(mid.at)}&limit=1000`);
    expect(from.entries.every((e) => e.at >= mid.at)).toBe(true);
    const to = await audit(`?to=${encodeURIComponent(mid.at)}&limit=1000`);
    expect(to.entries.every((e) => e.at < mid.at)).toBe(true);
    expect(await audit('?from=2999-01-01')).toEqual({ entries: [], nextAfter: null });

    const seen: number[] = [];
    let after: number | null = 0;
    while (after !== null) {
      const page: AuditPage = await audit(`?limit=2&after=${after}`);
      seen.push(...page.entries.map((e) => e.seq));
      after = page.nextAfter;
    }
    expect(seen).toEqual(all.entries.map((e) => e.seq));
  });

  it('is for portfolio managers and admins', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/v1/audit', headers: analyst.auth });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('ROLE_FORBIDDEN');
  });
});

describe('verification', () => {
  it('passes on an untouched chain', async () => {
    const total = (await audit('?limit=1000')).entries.length;
    expect(await verify()).toEqual({ ok: true, checked: total, firstBrokenSeq: null });
  });

  it('finds a row altered directly in the database, and the chain is whole again once it is restored', async () => {
    const db = s.db.database.db;
    const target = (await audit('?entity=allocation&id=AA')).entries[1]!;
    const original = await db.selectFrom('audit_log').select(['after']).where('seq', '=', target.seq).executeTakeFirstOrThrow();
    // A quiet edit: the amount in the after image, hashes untouched.
    await sql`update audit_log set after = jsonb_set(after, '{amount}', '100000') where seq = ${target.seq}`.execute(db);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: target.seq, checked: target.seq - 1 });
    await db.updateTable('audit_log').set({ after: JSON.stringify(original.after) }).where('seq', '=', target.seq).execute();
    expect((await verify()).ok).toBe(true);
  });

  it('finds a changed user, status or time', async () => {
    const db = s.db.database.db;
    const target = (await audit('?entity=allocation&id=AA')).entries[2]!;
    await db.updateTable('audit_log').set({ status: 'applied' }).where('seq', '=', target.seq).execute();
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: target.seq });
    await db.updateTable('audit_log').set({ status: 'rejected' }).where('seq', '=', target.seq).execute();
    expect((await verify()).ok).toBe(true);
  });

  it('finds an entry deleted from the middle or from the end', async () => {
    const db = s.db.database.db;
    const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const middle = rows[3]!;
    const last = rows.at(-1)!;
    await db.deleteFrom('audit_log').where('seq', '=', middle.seq).execute();
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: middle.seq });
    await restore(middle);
    expect((await verify()).ok).toBe(true);

    await db.deleteFrom('audit_log').where('seq', '=', last.seq).execute();
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: last.seq });
    await restore(last);
    expect((await verify()).ok).toBe(true);
  });
});

type AuditRow = Selectable<AuditLogTable>;

async function restore(row: AuditRow) {
  await s.db.database.db
    .insertInto('audit_log')
    .values({
      ...row,
      before: row.before === null ? null : JSON.stringify(row.before),
      after: row.after === null ? null : JSON.stringify(row.after),
      details: row.details === null ? null : JSON.stringify(row.details),
    })
    .execute();
}
