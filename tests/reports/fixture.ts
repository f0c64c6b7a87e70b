/**
 * A small fund with known numbers for the report tests (docs/reports.md §8):
 * fund F1 (USD, size 20m), LPs I1/I2/I3 committing 5m/3m/2m, 32 allocations
 * of 100,000.00 (approved on creation, below the approval threshold; enough to carry the allocation table over to page 3),
 * calls C1 (2023-01-15, 2m, paid by all) and C2 (2024-01-15, 1m, I3 unpaid),
 * a distribution of 600,000.00 (100,000.00 recallable) on 2024-06-30, NAV
 * marks 1.9m (2023-12-31), 2.5m (2024-06-30), 3m (2024-12-31) and index levels.
 */
import { execFileSync } from 'node:child_process';
import type { Workstation } from '../../electron/core/workstation';
import { M, seedBasics } from '../helpers/seed';

export const AS_OF = '2024-12-31';

export async function seedReportFund(ws: Workstation, allocations = 32): Promise<void> {
  await seedBasics(ws);
  const deals = ['D1', 'D2', 'D3'];
  for (let i = 0; i < allocations; i++) {
    const id = `A${String(i + 1).padStart(3, '0')}`;
    const day = String((i % 28) + 1).padStart(2, '0');
    await ws.mutate({ name: 'createAllocation', args: { id, fundId: 'F1', dealId: deals[i % 3]!, amount: M(100_000), date: `2023-${String((i % 12) + 1).padStart(2, '0')}-${day}` } });
  }
  await ws.mutate({ name: 'createCapitalCall', args: { id: 'C1', fundId: 'F1', amount: M(2_000_000), callDate: '2023-01-15', dueDate: '2023-01-31', issue: true, description: 'First call' } });
  for (const [inv, amt] of [['I1', 1_000_000], ['I2', 600_000], ['I3', 400_000]] as const) {
    await ws.mutate({ name: 'recordPayment', args: { id: `P1-${inv}`, callId: 'C1', investorId: inv, amount: M(amt), date: '2023-01-20' } });
  }
  await ws.mutate({ name: 'createCapitalCall', args: { id: 'C2', fundId: 'F1', amount: M(1_000_000), callDate: '2024-01-15', dueDate: '2024-01-31', issue: true, description: 'Second call' } });
  for (const [inv, amt] of [['I1', 500_000], ['I2', 300_000]] as const) {
    await ws.mutate({ name: 'recordPayment', args: { id: `P2-${inv}`, callId: 'C2', investorId: inv, amount: M(amt), date: '2024-01-25' } });
  }
  await ws.mutate({ name: 'recordDistribution', args: { id: 'DIST1', fundId: 'F1', date: '2024-06-30', amount: M(600_000), recallable: M(100_000) } });
  for (const [date, nav] of [['2023-12-31', 1_900_000], ['2024-06-30', 2_500_000], ['2024-12-31', 3_000_000]] as const) {
    await ws.mutate({ name: 'recordNavMark', args: { id: `NAV-${date}`, fundId: 'F1', date, nav: M(nav) } });
  }
  for (const [date, level] of [['2022-12-31', 100], ['2023-06-30', 104], ['2023-12-31', 110], ['2024-06-30', 115], ['2024-12-31', 120]] as const) {
    await ws.mutate({ name: 'setIndexLevel', args: { indexName: 'World Equity Index', date, level } });
  }
}

/** `pdftotext -layout` of every page, split on form feeds. */
export function pdfPages(file: string): string[] {
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const pages = text.split('\f');
  if (pages[pages.length - 1]!.trim() === '') pages.pop();
  return pages;
}

/** Rows of `pdfimages -list` (after its two header lines): one per image in the file. */
export function pdfImages(file: string): string[] {
  return execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
}

/** Collapses runs of spaces so assertions do not depend on column positions. */
export const squash = (s: string) => s.replace(/[ \t]+/g, ' ');
