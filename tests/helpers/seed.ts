/** Small, readable fixtures created through the real mutators. */
import type { Workstation } from '../../electron/core/workstation';

export const M = (major: number) => Math.round(major * 100); // major units → cents

/** Fund F1 (USD, size 20,000,000.00), deals D1–D3, investors I1–I3 committing 5m, 3m, 2m. */
export async function seedBasics(ws: Workstation, size = M(20_000_000)) {
  await ws.mutate({ name: 'createFund', args: { id: 'F1', name: 'Growth Fund I', currency: 'USD', vintage: 2022, size } });
  for (const [id, name, sector] of [
    ['D1', 'Acme Robotics', 'Industrials'],
    ['D2', 'Borealis Health', 'Healthcare'],
    ['D3', 'Cobalt Software', 'Technology'],
  ]) {
    await ws.mutate({ name: 'createDeal', args: { id, name, sector, country: 'US', stage: 'Growth' } });
  }
  for (const [id, name, amount] of [
    ['I1', 'Pension Plan A', 5_000_000],
    ['I2', 'Endowment B', 3_000_000],
    ['I3', 'Family Office C', 2_000_000],
  ] as const) {
    await ws.mutate({ name: 'createInvestor', args: { id, name } });
    await ws.mutate({ name: 'createCommitment', args: { id: `C-${id}`, investorId: id, fundId: 'F1', amount: M(amount) } });
  }
}

export async function allocate(ws: Workstation, id: string, deal: string, amount: number, fund = 'F1') {
  return ws.mutate({ name: 'createAllocation', args: { id, fundId: fund, dealId: deal, amount, date: '2024-01-15' } });
}
