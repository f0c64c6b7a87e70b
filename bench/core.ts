/**
 * Core benchmarks (docs/imports-exports.md § Performance):
 * - CSV import of 1,000,000 valid allocations with importCsv into a fresh
 *   database, against a raw better-sqlite3 prepared-statement insert of the
 *   same rows in one transaction into another fresh database (same schema
 *   and pragmas, via openSqlite); the ratio is import speed ÷ raw speed.
 * - computeFundMetrics for 1,000 funds × 1,000 cash flows (with NAV marks
 *   and a benchmark index, so the PMEs run too).
 * - Peak RSS of the process.
 *
 * `benchCore()` returns the figures (the lead's runner writes
 * bench/results/core.json); `npx tsx bench/core.ts` prints them as JSON.
 * Sizes can be lowered for a quick look: BENCH_ROWS=100000 npx tsx bench/core.ts
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite, type LocalDatabase } from '../db/sqlite/open';
import { exportAllocationsCsv } from '../electron/core/exports/export-csv';
import { readCsvRecords, type CsvReaderMode } from '../electron/core/imports/csv-records';
import { importCsv } from '../electron/core/imports/import-csv';
import { computeFundMetrics, prepareIndexSeries, type FundMetricsInput } from '../shared/finance';
import { fromDayNumber, dayNumber } from '../shared/dates';
import { formatCents } from '../shared/money';

const SECURITY = ['common_equity', 'preferred_equity', 'senior_debt', 'unitranche', 'mezzanine'] as const;

interface AllocationSpec {
  rows: number;
  funds: number;
  deals: number;
}

/** Deterministic UUID-shaped id of allocation i (time-ordered like a UUIDv7). */
function allocationId(i: number): string {
  const h = i.toString(16).padStart(12, '0');
  return `0190a5c0-0000-7000-8000-${h}`;
}

/**
 * Allocation i: fund i mod F, deal (i div F) mod D, 1,000.00–8,999.99,
 * 90 % approved (counted) and 10 % proposed. With the defaults (1,000,000
 * rows, 200 funds of size 100,000,000.00, 1,000 deals) each fund counts
 * about 22.5m (limit 50m, cap 95m) and each fund × deal pair about 25k
 * (limit 10m), so every row passes the rules.
 */
function allocationRow(i: number, s: AllocationSpec): [string, string, string, string, number, string, string] {
  const fund = i % s.funds;
  const deal = Math.floor(i / s.funds) % s.deals;
  const amount = 100_000 + ((i * 7919) % 800_000); // cents
  const status = i % 10 === 9 ? 'proposed' : 'approved';
  const date = fromDayNumber(dayNumber('2020-01-01') + (i % 1500));
  return [allocationId(i), `F${fund}`, `D${deal}`, SECURITY[i % SECURITY.length]!, amount, status, date];
}

function seedFundsAndDeals(db: LocalDatabase, s: AllocationSpec, now: string): void {
  const fund = db.raw.prepare(
    "INSERT INTO fund (id, name, currency, vintage, size, version, updated_at, updated_by) VALUES (?, ?, 'USD', 2020, ?, 0, ?, 'bench')",
  );
  const deal = db.raw.prepare("INSERT INTO deal (id, name, sector, country, stage, version, updated_at, updated_by) VALUES (?, ?, '', '', '', 0, ?, 'bench')");
  db.raw.transaction(() => {
    for (let f = 0; f < s.funds; f++) fund.run(`F${f}`, `Fund ${f}`, 10_000_000_000, now);
    for (let d = 0; d < s.deals; d++) deal.run(`D${d}`, `Deal ${d}`, now);
  })();
}

async function writeAllocationsCsv(file: string, s: AllocationSpec): Promise<number> {
  const out = fs.createWriteStream(file);
  let chunk = 'id,fund_id,deal_id,security_type,amount,status,date\n';
  for (let i = 0; i < s.rows; i++) {
    const r = allocationRow(i, s);
    chunk += `${r[0]},${r[1]},${r[2]},${r[3]},${formatCents(r[4])},${r[5]},${r[6]}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  await new Promise<void>((resolve, reject) => out.end(chunk, () => resolve()).once('error', reject));
  return fs.statSync(file).size;
}

const rssMb = () => Math.round(process.memoryUsage().rss / 1048576);
/** CPU time of this process (user + system), ms: steadier than wall time on a shared machine. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

/** Reads the file with one of the two CSV readers (docs §6: why the importer does not use csv-parse alone). */
async function benchReader(file: string, mode: CsvReaderMode) {
  const t = performance.now();
  const c = cpuMs();
  let records = 0;
  for await (const b of readCsvRecords(file, { mode })) records += b.records.length;
  return { records, ms: round(performance.now() - t), cpuMs: round(cpuMs() - c) };
}

async function benchImport(dir: string, s: AllocationSpec) {
  const now = new Date().toISOString();
  const csv = path.join(dir, 'allocations.csv');
  let t = performance.now();
  const bytes = await writeAllocationsCsv(csv, s);
  const generateMs = performance.now() - t;

  // importCsv into a fresh database.
  const db = openSqlite(path.join(dir, 'import.sqlite'));
  seedFundsAndDeals(db, s, now);
  let phase = 'validate';
  let validateMs = 0;
  t = performance.now();
  let c = cpuMs();
  const report = await importCsv(db, 'allocations', csv, {
    userId: 'bench',
    now,
    onProgress: (p) => {
      if (p.phase !== phase) {
        phase = p.phase;
        validateMs = performance.now() - t;
      }
    },
  });
  const importMs = performance.now() - t;
  const importCpuMs = cpuMs() - c;
  const imported = db.raw.prepare('SELECT count(*) FROM allocation').pluck().get() as number;
  const rssAfterImportMb = rssMb();

  // Export the million rows back (streaming, constant memory).
  t = performance.now();
  const exported = await exportAllocationsCsv(db, {}, path.join(dir, 'export.csv'));
  const exportMs = performance.now() - t;
  await db.close();
  if (report.imported !== s.rows || imported !== s.rows || exported.rows !== s.rows) {
    throw new Error(`import/export lost rows: imported ${report.imported}, stored ${imported}, exported ${exported.rows}`);
  }

  // Re-import the same file: every row is unchanged, nothing is written.
  const again = openSqlite(path.join(dir, 'import.sqlite'));
  t = performance.now();
  const re = await importCsv(again, 'allocations', csv, { userId: 'bench', now });
  const reimportMs = performance.now() - t;
  await again.close();

  // Raw prepared-statement insert of the same rows (materialised first; only the insert is timed).
  const rows: ReturnType<typeof allocationRow>[] = new Array(s.rows);
  for (let i = 0; i < s.rows; i++) rows[i] = allocationRow(i, s);
  const rawDb = openSqlite(path.join(dir, 'raw.sqlite'));
  seedFundsAndDeals(rawDb, s, now);
  const insert = rawDb.raw.prepare(
    `INSERT INTO allocation (id, fund_id, deal_id, security_type, amount, status, date, version, updated_at, updated_by, deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, NULL)`,
  );
  t = performance.now();
  c = cpuMs();
  rawDb.raw.transaction(() => {
    for (const r of rows) insert.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6], now, 'bench');
  })();
  const rawMs = performance.now() - t;
  const rawCpuMs = cpuMs() - c;
  await rawDb.close();
  rows.length = 0;

  const readers = { fast: await benchReader(csv, 'fast'), csvParse: await benchReader(csv, 'csv-parse') };

  const importRate = s.rows / (importMs / 1000);
  const rawRate = s.rows / (rawMs / 1000);
  return {
    rows: s.rows,
    funds: s.funds,
    deals: s.deals,
    csvBytes: bytes,
    generateCsvMs: round(generateMs),
    importMs: round(importMs),
    importValidateMs: round(validateMs),
    importWriteMs: round(importMs - validateMs),
    importRowsPerSec: round(importRate),
    rawInsertMs: round(rawMs),
    rawInsertRowsPerSec: round(rawRate),
    importVsRawRatio: round(importRate / rawRate, 3),
    importCpuMs: round(importCpuMs),
    rawInsertCpuMs: round(rawCpuMs),
    importVsRawCpuRatio: round(rawCpuMs / importCpuMs, 3),
    loadAverage1m: round(os.loadavg()[0]!, 2),
    reimportMs: round(reimportMs),
    reimportUnchanged: re.unchanged,
    exportMs: round(exportMs),
    exportRowsPerSec: round(s.rows / (exportMs / 1000)),
    rssAfterImportMb,
    csvReaders: readers,
  };
}

/** Metrics of `funds` funds with `flowsPerFund` flows each, PMEs against a daily index included (4 XIRR solves per fund). */
export function benchMetrics(funds: number, flowsPerFund: number) {
  const start = dayNumber('2015-01-01');
  const levels = [];
  for (let d = 0; d <= 3650; d += 1) levels.push({ date: fromDayNumber(start + d), level: 1000 * Math.exp(0.07 * (d / 365)) * (1 + 0.05 * Math.sin(d / 90)) });
  const index = prepareIndexSeries(levels);
  const inputs: FundMetricsInput[] = [];
  for (let f = 0; f < funds; f++) {
    const contributions = [];
    const distributions = [];
    for (let k = 0; k < flowsPerFund; k++) {
      const date = fromDayNumber(start + Math.floor((k * 3600) / flowsPerFund));
      const amount = 1_000_000 + ((k * 7919 + f * 104_729) % 9_000_000);
      if (k < flowsPerFund * 0.6) contributions.push({ date, amount });
      else distributions.push({ date, amount: Math.round(amount * 1.1), recallable: 0 });
    }
    inputs.push({
      fundId: `F${f}`,
      currency: 'USD',
      size: 10_000_000_000,
      asOf: fromDayNumber(start + 3650),
      committed: 10_000_000_000,
      called: contributions.reduce((a, c) => a + c.amount, 0),
      contributions,
      distributions,
      navMarks: [{ date: fromDayNumber(start + 3600), nav: 2_000_000_000 + f * 1000 }],
      allocated: 5_000_000_000,
      index,
    });
  }
  // Run 1 is cold (the JIT compiles the solver while it runs); runs 2–5 are
  // what an analyst's workstation sees after the first dashboard.
  const runs: { ms: number; cpuMs: number }[] = [];
  let withIrr = 0;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    withIrr = 0;
    for (const input of inputs) if (computeFundMetrics(input).irr !== null) withIrr++;
    const ms = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    runs.push({ ms: round(ms), cpuMs: round((cpu.user + cpu.system) / 1000) });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const warm = runs.slice(1);
  const ms = median(warm.map((r) => r.ms));
  return {
    funds,
    flowsPerFund,
    metricsPerFund: 'pic, distributions, nav, dpi, rvpi, tvpi, unfunded, utilisation, irr, ksPme, lnPme, pmePlus, directAlpha',
    coldMs: runs[0]!.ms,
    coldCpuMs: runs[0]!.cpuMs,
    ms,
    cpuMs: median(warm.map((r) => r.cpuMs)),
    minMs: Math.min(...warm.map((r) => r.ms)),
    runs,
    fundsPerSec: round(funds / (ms / 1000)),
    fundsWithIrr: withIrr,
    targetMs: 1000,
    loadAverage1m: round(os.loadavg()[0]!),
  };
}

export async function benchCore(): Promise<Record<string, unknown>> {
  const rowsWanted = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const spec: AllocationSpec = { rows: rowsWanted, funds: Math.max(1, Math.ceil(rowsWanted / 5000)), deals: 1000 };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-bench-'));
  try {
    const csvImport = await benchImport(dir, spec);
    const metrics = benchMetrics(1000, 1000);
    return {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: os.cpus().length,
      csvImport,
      fundMetrics: metrics,
      peakRssMb: round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchCore().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
