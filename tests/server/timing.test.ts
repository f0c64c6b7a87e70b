import { it } from 'vitest';
import { openPglite } from '../../db/postgres/connect';
import { buildServer } from '../../server/app';
it('timing', async () => {
  let t = performance.now();
  const d = await openPglite('memory://');
  console.log('pglite', performance.now() - t); t = performance.now();
  const app = await buildServer({ database: d, adminPassword: 'x'.repeat(20), scrypt: { N: 1024, r: 8, p: 1 }, logger: { level: 'silent' }, defaultMetrics: false });
  console.log('build', performance.now() - t); t = performance.now();
  await app.close(); await d.close();
});
