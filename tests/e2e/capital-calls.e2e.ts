/** Capital calls: the wizard's pro-rata preview sums exactly to the call; issuing; payments; overdue highlighting. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { M, seedBasics } from '../helpers/seed';
import { expectCleanConsole, startApp, type App } from './harness';

let app: App;

beforeAll(async () => {
  app = await startApp({
    today: () => '2024-06-30',
    actor: { userId: 'pm.jones', role: 'portfolio_manager' },
    seed: async (ws) => {
      await seedBasics(ws);
      // An issued call whose due date has passed with nothing paid: overdue.
      await ws.mutate({ name: 'createCapitalCall', args: { id: 'CALL-OLD', fundId: 'F1', amount: M(500_000), callDate: '2024-04-01', dueDate: '2024-05-01', description: 'Q2 fees', issue: true } });
    },
  });
});

afterAll(async () => {
  await app?.close();
});

describe('capital calls', () => {
  it('highlights an overdue call in the list', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/calls`);
    const row = page.locator('.ag-row[row-id="CALL-OLD"]').first();
    await row.waitFor();
    await expect.poll(() => row.getAttribute('class')).toContain('row-overdue');
    expect(await row.locator('[col-id="effective_status"] .badge').getAttribute('data-status')).toBe('overdue');
    expect(await row.locator('[col-id="outstanding"]').textContent()).toBe('500,000.00');
  });

  it('a capital call whose preview lines sum exactly to the call', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/calls/new?fund=F1`);
    await page.getByTestId('call-amount').fill('333,333.33');
    await page.getByTestId('call-description').fill('Q3 investments');
    await page.getByTestId('call-next').click();
    const lines = page.getByTestId('preview-lines');
    await lines.waitFor();
    const cents = (await lines.locator('tbody td[data-cents]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-cents'))))) as number[];
    expect(cents).toHaveLength(3);
    expect(cents.reduce((a, b) => a + b, 0)).toBe(33_333_333);
    expect(Number(await page.getByTestId('preview-total').getAttribute('data-cents'))).toBe(33_333_333);
    // Largest remainder, in whole cents: 5/3/2 of 333,333.33
    const byInvestor = Object.fromEntries(await lines.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-investor-id'), tr.children[3]!.textContent])));
    expect(byInvestor).toEqual({ I1: '166,666.66', I2: '100,000.00', I3: '66,666.67' });
    expect(await page.getByTestId('preview-check').textContent()).toContain('Lines sum exactly to the call');

    await page.getByTestId('call-issue').click();
    const detail = page.getByTestId('call-detail');
    await detail.waitFor();
    expect(await detail.locator('.badge').first().getAttribute('data-status')).toBe('issued');
    const id = await detail.getAttribute('data-call-id');
    const call = await app.ws.getCapitalCall({ id: id! });
    expect(call).toMatchObject({ amount: 33_333_333, status: 'issued', description: 'Q3 investments' });
    expect(call.lines.reduce((t, l) => t + l.amount, 0)).toBe(33_333_333);
  });

  it('records a payment and the call becomes partially paid', async () => {
    const { page } = app;
    const detail = page.getByTestId('call-detail');
    const id = (await detail.getAttribute('data-call-id'))!;
    await detail.locator('tr[data-investor-id="I1"] [data-testid="record-payment"]').click();
    await page.getByTestId('payment-amount').fill('100,000');
    await page.getByTestId('save-payment').click();
    await expect.poll(async () => (await app.ws.getCapitalCall({ id })).status).toBe('partially_paid');
    await expect.poll(() => detail.locator('.badge').first().getAttribute('data-status')).toBe('partially_paid');
    expect(await detail.locator('tr[data-investor-id="I1"] td').nth(3).textContent()).toBe('100,000.00');
  });

  it('keeps the console clean', () => {
    expectCleanConsole(app);
  });
});
