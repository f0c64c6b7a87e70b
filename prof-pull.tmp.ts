import pg from 'pg';
import { sql } from 'kysely';
import { connectPostgres } from './db/postgres/connect';
import { migratePostgres } from './db/postgres/migrate';
import { pullPage } from './server/sync/pull';
const base = 'postgres://meridian@127.0.0.1:45645/postgres';
const name = 'prof_' + Date.now();
const a = new pg.Client({ connectionString: base }); await a.connect(); await a.query(`create database ${name}`); await a.end();
const url = base.replace('/postgres', '/' + name);
const d = connectPostgres(url);
await migratePostgres(d.db);
await sql`INSERT INTO change_log (seq, idx, entity, id, op, row) SELECT g, 0, 'allocation', 'id-' || g, 'insert', json_build_object('id','0190a5c0-0000-7000-8000-' || lpad(to_hex(g), 12, '0'),'fund_id','BF1','deal_id','BD2','security_type','senior_debt','amount',100000+g,'status','approved','date','2024-06-30','approved_by','0190a5c0-aaaa-7000-8000-000000000001','approved_at','2024-06-30T09:00:00.000Z','version',g,'updated_at','2024-06-30T09:00:00.000Z','updated_by','0190a5c0-aaaa-7000-8000-000000000001','deleted_at',null)::text FROM generate_series(1,100000) g`.execute(d.db);
await sql`update change_counter set seq = 100000`.execute(d.db);
await sql`analyze`.execute(d.db);
for (let round = 0; round < 3; round++) {
  let t = performance.now(); let cursor = 0; let n = 0;
  for (;;) { const j = await pullPage(d.db, { clientId: 'x', userId: 'u', cursor, limit: 10000 }); const m = /"cursor":(\d+),"hasMore":(true|false)/.exec(j.slice(-300))!; n++; cursor = Number(m[1]); if (m[2] === 'false') break; }
  console.log('pullPage', n, Math.round(performance.now() - t));
  t = performance.now(); cursor = 0;
  for (;;) { const r = await d.db.selectFrom('change_log').select(['seq','idx','entity','id','op','row']).where('seq','>',cursor).orderBy('seq').orderBy('idx').limit(10000).execute(); if (r.length < 10000) break; cursor = r.at(-1)!.seq; }
  console.log('kysely', Math.round(performance.now() - t));
}
await d.close();
const b = new pg.Client({ connectionString: base }); await b.connect(); await b.query(`drop database ${name} with (force)`); await b.end();
