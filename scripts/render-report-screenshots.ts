/**
 * Renders the first pages of every PDF document from the demo data (seeded
 * as of a fixed date, so figures are stable) to docs/screenshots/report-*.png
 * with `pdftoppm -png -r 60` (poppler-utils), for the docs and for a look.
 *
 *   npx tsx scripts/render-report-screenshots.ts [--keep]
 *
 * The PDFs are written to a temporary folder (printed; --keep leaves it).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemoData } from '../electron/core/demo/seed-demo';
import { reportApi } from '../electron/core/reports/report-api';
import { Workstation } from '../electron/core/workstation';
import type { ReportRequest } from '../shared/api/report-contract';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'docs', 'screenshots');
const TODAY = '2026-11-20';

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-reports-'));
  const ws = Workstation.open(path.join(tmp, 'demo.sqlite'), { today: () => TODAY });
  try {
    console.log('seeding the demo data …');
    await seedDemoData(ws, { today: TODAY });
    const db = ws.db.raw;
    const one = <T>(sql: string, ...p: unknown[]) => db.prepare(sql).get(...p) as T;
    // The fund with the most allocations (its table runs over several pages).
    const fund = one<{ id: string }>('SELECT fund_id AS id FROM allocation GROUP BY fund_id ORDER BY count(*) DESC, fund_id LIMIT 1');
    const call = one<{ id: string; fund_id: string }>("SELECT id, fund_id FROM capital_call WHERE status IN ('issued','partially_paid','paid') AND fund_id = ? ORDER BY call_date DESC, id LIMIT 1", fund.id);
    const lp = one<{ investor_id: string }>('SELECT investor_id FROM capital_call_line WHERE call_id = ? ORDER BY amount DESC, investor_id LIMIT 1', call.id);
    const borrower = one<{ borrower_id: string }>('SELECT borrower_id FROM credit_analysis ORDER BY created_at DESC LIMIT 1');
    const asOf = '2026-09-30';
    const docs: Array<{ name: string; pages: number; req: ReportRequest }> = [
      { name: 'fund', pages: 3, req: { kind: 'fund-report', fundId: fund.id, asOf, file: '' } },
      { name: 'capital-call-notice', pages: 1, req: { kind: 'capital-call-notice', id: call.id, investorId: lp.investor_id, purposes: { managementFees: 17_500_000 }, file: '' } },
      { name: 'lp-statement', pages: 1, req: { kind: 'lp-statement', fundId: fund.id, investorId: lp.investor_id, asOf, file: '' } },
      ...(borrower ? [{ name: 'credit-memo', pages: 2, req: { kind: 'credit-memo' as const, borrowerId: borrower.borrower_id, file: '' } }] : []),
    ];
    const api = reportApi(ws, { today: () => TODAY });
    fs.mkdirSync(OUT, { recursive: true });
    for (const d of docs) {
      const file = path.join(tmp, `${d.name}.pdf`);
      const started = performance.now();
      const r = await api.saveReport({ ...d.req, file });
      console.log(`${d.name}: ${r.pages} page(s), ${r.bytes} bytes, ${(performance.now() - started).toFixed(0)} ms → ${file}`);
      for (const old of fs.readdirSync(OUT).filter((f) => f.startsWith(`report-${d.name}-`))) fs.rmSync(path.join(OUT, old));
      const last = Math.min(d.pages, r.pages);
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', String(last), file, path.join(OUT, `report-${d.name}`)]);
      // pdftoppm pads page numbers by the document's page count: name them report-<doc>-<n>.png.
      for (const f of fs.readdirSync(OUT).filter((f) => f.startsWith(`report-${d.name}-`))) {
        const n = Number(/-(\d+)\.png$/.exec(f)?.[1]);
        fs.renameSync(path.join(OUT, f), path.join(OUT, `report-${d.name}-${n}.png`));
      }
    }
    console.log(`wrote ${fs.readdirSync(OUT).filter((f) => f.startsWith('report-')).length} screenshots to ${path.relative(ROOT, OUT)}`);
  } finally {
    await ws.close();
    if (!process.argv.includes('--keep')) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
