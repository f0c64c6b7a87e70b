import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAnalysisInputs } from '../../electron/core/credit/analysis-inputs';
import { writeCreditMemo } from '../../electron/core/reports/credit-memo';
import type { Workstation } from '../../electron/core/workstation';
import { seedCredit } from '../credit/fixtures';
import { tempDir, tempWorkstation } from '../helpers/temp-profile';
import { pdfImages, pdfPages, squash } from './fixture';

let ws: Workstation;
let dir: string;

beforeAll(async () => {
  ws = tempWorkstation();
  await seedCredit(ws); // docs/credit.md's Harbor example as ACME's LTM 2024, with four covenants
  dir = tempDir();
});

describe('credit memo PDF', () => {
  it('renders the model run when no analysis is saved', async () => {
    const file = path.join(dir, 'memo-model.pdf');
    await writeCreditMemo(ws.db.raw, { borrowerId: 'ACME' }, file);
    const text = squash(pdfPages(file).join('\n'));
    expect(text).toContain('Credit memo');
    expect(text).toContain('Acme Robotics (ACME)');
    expect(text).toContain('LTM ending 2024-12-31');
    expect(text).toContain('Revenue / EBITDA (USD) 250,000,000.00 / 40,000,000.00');
    expect(text).toContain('Recommendation: no saved analysis version');
    expect(text).toMatch(/Total debt ÷ EBITDA \S+ 5\.00x/); // FY 2023, then the LTM at 5.00x
    expect(text).toContain('LTV 53.9% 50.0%'); // 205/380, 200/400
    // covenants with headroom: leverage 5.0x against ≤ 6.00x → 16.7 %
    expect(text).toContain('Unitranche term loan Total debt ÷ EBITDA ≤ 6.00x 5.00x Pass 16.7% 16.7%');
    expect(text).toContain('Stress: EBITDA −20%, floating rates +200 bp');
    expect(text).toContain('Stressed EBITDA (USD) 32,000,000.00');
    expect(text).toContain('Confidential. Internal credit committee use only.');
    expect(pdfImages(file)).toEqual([]);
  });

  it("takes the rating and the recommendation from the latest saved analysis version", async () => {
    const a = buildAnalysisInputs(ws.db.raw, { borrowerId: 'ACME', override: { rating: 'b', reason: 'Customer concentration' } });
    await ws.mutate({ name: 'saveCreditAnalysis', args: { id: 'an-1', borrowerId: 'ACME', statementId: a.statementId, inputs: a.inputs, recommendation: 'Approve at 5.0x; review quarterly.' } });
    const file = path.join(dir, 'memo-analysis.pdf');
    const r = await writeCreditMemo(ws.db.raw, { borrowerId: 'ACME', ebitdaShockPct: 10, rateShockBp: 100 }, file);
    const pages = pdfPages(file);
    const text = squash(pages.join('\n'));
    expect(text).toContain('Recommendation: Approve at 5.0x; review quarterly.');
    expect(text).toMatch(/Final rating \(analysis v1, 2024-12-31\) b\b/);
    expect(text).toContain('Override');
    expect(text).toContain('Customer concentration');
    expect(text).toContain('Stress: EBITDA −10%, floating rates +100 bp');
    expect(pages.at(-1)).toContain(`page ${r.pages} of ${r.pages}`);
  });

  it('refuses an unknown borrower', async () => {
    await expect(writeCreditMemo(ws.db.raw, { borrowerId: 'NOPE' }, path.join(dir, 'x.pdf'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
