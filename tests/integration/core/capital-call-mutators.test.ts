// Capital calls on a real SQLite file: pro-rata lines in cents, payments,
// statuses and the derived "overdue" (DESIGN §2, §4).
import { describe, expect, it } from 'vitest';
import { MeridianError } from '../../../shared/errors';
import { tempWorkstation } from '../../helpers/temp-profile';
import { M, seedBasics } from '../../helpers/seed';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MeridianError) return e.code;
    throw e;
  }
  return 'ACCEPTED';
}

describe('capital calls', () => {
  it('splits a call pro rata to commitment in cents, lines summing exactly to the call', async () => {
    const ws = tempWorkstation({ today: () => '2024-03-01' });
    await seedBasics(ws); // commitments 5m / 3m / 2m
    await ws.mutate({ name: 'createCapitalCall', args: { id: 'CC1', fundId: 'F1', amount: M(1_000_000.01), callDate: '2024-03-01', dueDate: '2024-03-15', issue: true } });
    const call = await ws.getCapitalCall({ id: 'CC1' });
    // exact shares 500,000.005 / 300,000.003 / 200,000.002: the odd cent goes to the largest remainder (I1)
    expect(call.lines.map((l) => [l.investor_id, l.amount])).toEqual([
      ['I2', 30_000_000],
      ['I3', 20_000_000],
      ['I1', 50_000_001],
    ]);
    expect(call.lines.reduce((t, l) => t + l.amount, 0)).toBe(M(1_000_000.01));
    expect(call.status).toBe('issued');
    // the preview shown before issuing makes the same split
    const preview = await ws.previewCapitalCall({ fundId: 'F1', amount: M(1_000_000.01) });
    expect(preview.total).toBe(M(1_000_000.01));
    expect(Object.fromEntries(preview.lines.map((l) => [l.investorId, l.amount]))).toEqual({ I1: 50_000_001, I2: 30_000_000, I3: 20_000_000 });
  });

  it('moves through partially paid to paid, tracking outstanding per line and per call', async () => {
    const ws = tempWorkstation({ today: () => '2024-03-10' });
    await seedBasics(ws);
    await ws.mutate({ name: 'createCapitalCall', args: { id: 'CC1', fundId: 'F1', amount: M(1_000_000), callDate: '2024-03-01', dueDate: '2024-03-15', issue: true } });
    await ws.mutate({ name: 'recordPayment', args: { id: 'P1', callId: 'CC1', investorId: 'I1', amount: M(200_000), date: '2024-03-05' } });
    let call = await ws.getCapitalCall({ id: 'CC1' });
    expect(call.status).toBe('partially_paid');
    expect(call.outstanding).toBe(M(800_000));
    expect(call.lines.find((l) => l.investor_id === 'I1')!.outstanding).toBe(M(300_000));
    expect(await code(ws.mutate({ name: 'recordPayment', args: { id: 'P2', callId: 'CC1', investorId: 'I1', amount: M(300_000.01), date: '2024-03-06' } }))).toBe(
      'PAYMENT_EXCEEDS_OUTSTANDING',
    );
    for (const [id, inv, amt] of [
      ['P3', 'I1', 300_000],
      ['P4', 'I2', 300_000],
      ['P5', 'I3', 200_000],
    ] as const) {
      await ws.mutate({ name: 'recordPayment', args: { id, callId: 'CC1', investorId: inv, amount: M(amt), date: '2024-03-08' } });
    }
    call = await ws.getCapitalCall({ id: 'CC1' });
    expect(call.status).toBe('paid');
    expect(call.outstanding).toBe(0);
    expect(await code(ws.mutate({ name: 'cancelCapitalCall', args: { id: 'CC1', expectedVersion: 0 } }))).toBe('INVALID_STATUS_TRANSITION');
  });

  it('derives overdue from the due date without storing it', async () => {
    let today = '2024-03-15';
    const ws = tempWorkstation({ today: () => today });
    await seedBasics(ws);
    await ws.mutate({ name: 'createCapitalCall', args: { id: 'CC1', fundId: 'F1', amount: M(100_000), callDate: '2024-03-01', dueDate: '2024-03-15', issue: true } });
    expect((await ws.getCapitalCall({ id: 'CC1' })).effective_status).toBe('issued');
    today = '2024-03-16';
    expect((await ws.getCapitalCall({ id: 'CC1' })).effective_status).toBe('overdue');
    expect((await ws.getCapitalCall({ id: 'CC1' })).status).toBe('issued');
  });

  it('refuses calls beyond unfunded commitments, payments on drafts and cancelling paid-into calls', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws); // 10m committed
    expect(await code(ws.mutate({ name: 'createCapitalCall', args: { id: 'X', fundId: 'F1', amount: M(10_000_000.01), callDate: '2024-03-01', dueDate: '2024-03-15' } }))).toBe(
      'CALL_EXCEEDS_UNFUNDED',
    );
    await ws.mutate({ name: 'createCapitalCall', args: { id: 'CC1', fundId: 'F1', amount: M(6_000_000), callDate: '2024-03-01', dueDate: '2024-03-15' } });
    expect((await ws.getCapitalCall({ id: 'CC1' })).status).toBe('draft');
    expect(await code(ws.mutate({ name: 'recordPayment', args: { id: 'P1', callId: 'CC1', investorId: 'I1', amount: M(1), date: '2024-03-05' } }))).toBe('CALL_NOT_PAYABLE');
    // 6m already called (even as a draft): 4m remain
    expect(await code(ws.mutate({ name: 'createCapitalCall', args: { id: 'CC2', fundId: 'F1', amount: M(4_000_000.01), callDate: '2024-03-01', dueDate: '2024-03-15' } }))).toBe(
      'CALL_EXCEEDS_UNFUNDED',
    );
    await ws.mutate({ name: 'issueCapitalCall', args: { id: 'CC1', expectedVersion: 0 } });
    await ws.mutate({ name: 'recordPayment', args: { id: 'P1', callId: 'CC1', investorId: 'I1', amount: M(1), date: '2024-03-05' } });
    expect(await code(ws.mutate({ name: 'cancelCapitalCall', args: { id: 'CC1', expectedVersion: 0 } }))).toBe('CALL_HAS_PAYMENTS');
  });

  it('only a portfolio manager issues; an analyst drafts', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws);
    ws.actor = { userId: 'ann', role: 'analyst' };
    expect(await code(ws.mutate({ name: 'createCapitalCall', args: { id: 'CC1', fundId: 'F1', amount: M(100), callDate: '2024-03-01', dueDate: '2024-03-15', issue: true } }))).toBe(
      'ROLE_FORBIDDEN',
    );
    await ws.mutate({ name: 'createCapitalCall', args: { id: 'CC1', fundId: 'F1', amount: M(100), callDate: '2024-03-01', dueDate: '2024-03-15' } });
    expect(await code(ws.mutate({ name: 'issueCapitalCall', args: { id: 'CC1', expectedVersion: 0 } }))).toBe('ROLE_FORBIDDEN');
    ws.actor = { userId: 'viv', role: 'viewer' };
    expect(await code(ws.mutate({ name: 'createDeal', args: { id: 'D9', name: 'Nope' } }))).toBe('ROLE_FORBIDDEN');
  });
});
