// The demo profile's credit data: three borrowers the report can analyse on
// first run, the stored methodology and one saved analysis version.
import { beforeAll, describe, expect, it } from 'vitest';
import { creditWorkspace, listCreditBorrowers, methodologyInForce } from '../../electron/core/credit/read-models';
import { creditReport } from '../../electron/core/credit/report';
import { seedDemoData } from '../../electron/core/demo/seed-demo';
import type { Workstation } from '../../electron/core/workstation';
import { tempWorkstation } from '../helpers/temp-profile';

let ws: Workstation;

beforeAll(async () => {
  ws = tempWorkstation();
  await seedDemoData(ws, { today: '2025-05-15' });
}, 120_000);

describe('credit demo data', () => {
  it('has three borrowers with statements and covenants, a stored methodology and one analysis', () => {
    const borrowers = listCreditBorrowers(ws.db.raw).filter((b) => b.statementCount > 0);
    expect(borrowers).toHaveLength(3);
    expect(methodologyInForce(ws.db.raw)).toMatchObject({ stored: true, methodology: { id: 'meridian-default-credit-scorecard', version: 1 } });
    const reports = borrowers.map((b) => creditReport(ws.db.raw, { borrowerId: b.borrowerId }));
    const steady = reports.find((r) => r.latest_analysis !== null)!;
    expect(steady.basis).toMatchObject({ period_type: 'FY', period_end: '2024-12-31' });
    expect(steady.periods).toHaveLength(2);
    expect(steady.covenants.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(steady.scorecard.model_rating).toBe('b+');
    expect(steady.latest_analysis).toMatchObject({ analysis_version: 1, final_rating: 'b+' });
    const quarterly = reports.find((r) => r.basis.source === 'ltm_from_quarters')!;
    expect(quarterly.basis.quarters).toEqual(['2024-06-30', '2024-09-30', '2024-12-31', '2025-03-31']);
    expect(quarterly.ratios.total_leverage.value).toBe(4.5);
    expect(quarterly.covenants.find((c) => c.metric === 'total_leverage')!.headroom).toBeCloseTo(0.1, 12);
    const stretched = reports.find((r) => r.ratios.total_leverage.value === 7)!;
    expect(stretched.covenants.map((c) => c.status)).toEqual(['breach', 'breach']);
    const w = creditWorkspace(ws.db.raw, steady.borrower.id);
    expect(w.analyses[0]!.recommendation).toMatch(/^Approve/);
  });
});
