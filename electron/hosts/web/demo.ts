/**
 * First-run demo data. The seeder (electron/core/demo/seed-demo.ts) is being
 * written in parallel; it is loaded when present, so the host works before
 * and after it lands. TO CONNECT (lead): once seed-demo.ts exists, replace
 * the dynamic import below with a static
 *   import { isEmptyProfile, seedDemoData } from '../../core/demo/seed-demo';
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Workstation } from '../../core/workstation';

export interface DemoSeeder {
  isEmptyProfile(ws: Workstation): boolean | Promise<boolean>;
  seedDemoData(ws: Workstation): Promise<unknown>;
}

export async function loadDemoSeeder(): Promise<DemoSeeder | null> {
  const url = new URL('../../core/demo/seed-demo.ts', import.meta.url);
  if (!fs.existsSync(fileURLToPath(url))) return null;
  const mod = (await import(/* @vite-ignore */ url.href)) as Partial<DemoSeeder>;
  if (typeof mod.seedDemoData !== 'function' || typeof mod.isEmptyProfile !== 'function') return null;
  return mod as DemoSeeder;
}

/** Seeds demo data when the profile is empty and the seeder exists; says what it did. */
export async function seedDemoIfEmpty(ws: Workstation, log: (line: string) => void): Promise<'seeded' | 'not-empty' | 'no-seeder'> {
  const seeder = await loadDemoSeeder();
  if (!seeder) {
    log('Demo data: the seeder (electron/core/demo/seed-demo.ts) is not available; the profile stays as it is.');
    return 'no-seeder';
  }
  if (!(await seeder.isEmptyProfile(ws))) return 'not-empty';
  const started = Date.now();
  await seeder.seedDemoData(ws);
  log(`Demo data seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 'seeded';
}
