import { openSqlite } from './db/sqlite/open';
import { RowWriter } from './electron/core/sync/rows';
import fs from 'node:fs';
const f = process.argv[2] ?? '/tmp/prof-rows.sqlite';
for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, { force: true });
const db = openSqlite(f);
const w = new RowWriter(db.raw);
const base = { version: 1, updated_at: 'x', updated_by: 'b', deleted_at: null };
db.raw.transaction(() => {
  for (let i = 0; i < 100; i++) w.upsert('fund', { id: `F${i}`, name: 'f', currency: 'USD', vintage: 2020, size: 1, ...base });
  for (let i = 0; i < 1000; i++) w.upsert('deal', { id: `D${i}`, name: 'd', sector: '', country: '', stage: '', ...base });
})();
let t = performance.now();
for (let p = 0; p < 20; p++) {
  db.raw.transaction(() => {
    for (let i = p * 5000; i < (p + 1) * 5000; i++) w.upsert('allocation', { id: `0190-${String(i).padStart(10, '0')}`, fund_id: `F${i % 100}`, deal_id: `D${i % 1000}`, security_type: 'senior_debt', amount: 100 + i, status: 'proposed', date: '2024-01-01', approved_by: null, approved_at: null, ...base });
  })();
}
console.log('rows/s', 100000 / ((performance.now() - t) / 1000));
