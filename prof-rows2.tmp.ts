import { openSqlite } from './db/sqlite/open';
import { RowWriter } from './electron/core/sync/rows';
import fs from 'node:fs';
async function run(label: string, fk: boolean) {
  const f = '/tmp/prof-rows2.sqlite';
  for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, { force: true });
  const db = openSqlite(f);
  if (!fk) db.raw.pragma('foreign_keys = OFF');
  const w = new RowWriter(db.raw);
  const base = { version: 1, updated_at: '2024-01-01T00:00:00.000Z', updated_by: 'bench', deleted_at: null };
  db.raw.transaction(() => {
    for (let i = 0; i < 100; i++) w.upsert('fund', { id: `bench-fund-${i}`, name: 'f', currency: 'USD', vintage: 2020, size: 1, ...base });
    for (let i = 0; i < 1000; i++) w.upsert('deal', { id: `bench-deal-${i}`, name: 'd', sector: '', country: '', stage: '', ...base });
  })();
  const rows = [];
  for (let i = 0; i < 100000; i++) rows.push({ id: `0190a5c0-0000-7000-8000-${i.toString(16).padStart(12, '0')}`, fund_id: `bench-fund-${i % 100}`, deal_id: `bench-deal-${i % 1000}`, security_type: 'senior_debt', amount: 100 + i, status: 'proposed', date: '2024-01-01', approved_by: null, approved_at: null, ...base });
  const t = performance.now();
  for (let p = 0; p < 20; p++) db.raw.transaction(() => { for (let i = p * 5000; i < (p + 1) * 5000; i++) w.upsert('allocation', rows[i]!); })();
  console.log(label, Math.round(100000 / ((performance.now() - t) / 1000)));
  await db.close();
}
await run('fk on ', true); await run('fk off', false); await run('fk on ', true); await run('fk off', false);
