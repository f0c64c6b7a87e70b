/** First-run demo data: an empty profile gets the demo firm (electron/core/demo/seed-demo). */
import { isEmptyProfile, seedDemoData } from '../../core/demo/seed-demo';
import type { Workstation } from '../../core/workstation';

/** Seeds demo data when the profile is empty; says what it did. */
export async function seedDemoIfEmpty(ws: Workstation, log: (line: string) => void, today?: string): Promise<'seeded' | 'not-empty'> {
  if (!isEmptyProfile(ws)) return 'not-empty';
  log('New profile: loading demo data (five funds, their LPs, deals, calls, flows and a benchmark index)…');
  const summary = await seedDemoData(ws, today ? { today } : {});
  log(`Demo data loaded: ${summary.counts.funds} funds, ${summary.counts.deals} deals, ${summary.counts.allocations} allocations, ${summary.counts.capitalCalls} capital calls in ${(summary.elapsedMs / 1000).toFixed(1)} s.`);
  return 'seeded';
}
