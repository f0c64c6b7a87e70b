import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer, units } from './harness';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.close());

it('smoke', async () => {
  const pm = await s.user('portfolio_manager');
  const r = await s.push(pm, 'c1', [
    { id: 1, name: 'createFund', args: { id: 'f1', name: 'Fund I', currency: 'USD', vintage: 2020, size: units(100_000_000) } },
    { id: 2, name: 'createDeal', args: { id: 'd1', name: 'Deal A' } },
    { id: 3, name: 'createAllocation', args: { id: 'a1', fundId: 'f1', dealId: 'd1', amount: units(1_000_000), date: '2024-01-02' } },
    { id: 4, name: 'createAllocation', args: { id: 'a2', fundId: 'f1', dealId: 'd1', amount: units(100), date: '2024-01-02' } },
  ]);
  console.log(JSON.stringify(r, null, 1));
  const p = await s.pull(pm, 'c1', 0);
  console.log(JSON.stringify(p, null, 1).slice(0, 3000));
  const v = await s.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: s.admin.auth });
  console.log(v.body);
  expect(r.results.length).toBe(4);
});
