/**
 * Report benchmarks (docs/reports.md §9):
 * - a 50-page fund report (cover, metrics, both charts, ~2,070 allocation
 *   rows): time of the first document in the process (fonts parsed, ECharts
 *   loaded) and of the next ones; target under 2 s;
 * - the CSV export of 1,000,000 allocations (exportAllocationsCsv: streamed
 *   from a prepared statement's iterate() through csv-stringify into an
 *   atomically written file): rows/s and the peak RSS sampled during the
 *   export, against a raw loop over the same prepared statement that joins
 *   the cells itself and writes the file in 1 MiB chunks.
 *
 * `benchReports()` returns the figures (bench/run.ts writes
 * bench/results/reports.json); `npx tsx bench/reports.ts` prints them.
 * BENCH_ROWS=100000 for a quick look.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite, type LocalDatabase } from '../db/sqlite/open';
import { exportAllocationsCsv } from '../electron/core/exports/export-csv';
import { writeFundReport } from '../electron/core/reports/fund-report';
import { fromDayNumber, dayNumber } from '../shared/dates';
import { formatCents } from '../shared/money';

const NOW = '2026-01-01T00:00:00.000Z';
const SYNC = `0, '${NOW}', 'bench'`;
const SECURITY = ['common_equity', 'preferred_equity', 'senior_debt', 'unitranche', 'mezzanine'] as const;
const SECTORS = ['Technology', 'Healthcare', 'Industrials', 'Consumer', 'Business Services', 'Logistics', 'Education', 'Media & Telecom'];
/** Rows that make the report 50 pages (cover; metrics, charts and 7 rows; then about 43 rows a page). */
const REPORT_ROWS = 7 + 47 * 43;

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const rssMb = () => Math.round(process.memoryUsage().rss / 1048576);

function seed(db: LocalDatabase, rows: number): void {
  const raw = db.raw;
  raw.exec('BEGIN');
  raw.prepare(`INSERT INTO fund (id, name, currency, vintage, size, version, updated_at, updated_by) VALUES ('BIG', 'Bench Fund Big', 'USD', 2020, 1000000000000, ${SYNC})`).run();
  raw.prepare(`INSERT INTO fund (id, name, currency, vintage, size, version, updated_at, updated_by) VALUES ('R50', 'Bench Growth Fund', 'USD', 2018, 50000000000, ${SYNC})`).run();
  const deal = raw.prepare(`INSERT INTO deal (id, name, sector, country, stage, version, updated_at, updated_by) VALUES (?, ?, ?, 'US', 'Growth', ${SYNC})`);
  for (let d = 0; d < 1000; d++) deal.run(`D${d}`, `Portfolio Company ${d} Holdings`, SECTORS[d % SECTORS.length]!);
  const alloc = raw.prepare(`INSERT INTO allocation (id, fund_id, deal_id, security_type, amount, status, date, version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ${SYNC})`);
  const insert = (i: number, fund: string) =>
    alloc.run(
      `0190a5c0-0000-7000-8${fund === 'BIG' ? '000' : '001'}-${i.toString(16).padStart(12, '0')}`,
      fund,
      `D${(i * 7) % 1000}`,
      SECURITY[i % SECURITY.length]!,
      100_000 + ((i * 7919) % 800_000),
      i % 10 === 9 ? 'proposed' : 'approved',
      fromDayNumber(dayNumber('2018-01-01') + (i % 2900)),
    );
  for (let i = 0; i < rows; i++) insert(i, 'BIG');
  for (let i = 0; i < REPORT_ROWS; i++) insert(i, 'R50');
  // Flows for the metrics and the J-curve of the report's fund: quarterly contributions, later distributions, NAV marks, an index.
  const contribution = raw.prepare(`INSERT INTO contribution (id, fund_id, date, amount, version, updated_at, updated_by) VALUES (?, 'R50', ?, ?, ${SYNC})`);
  const distribution = raw.prepare(`INSERT INTO distribution (id, fund_id, date, amount, recallable, version, updated_at, updated_by) VALUES (?, 'R50', ?, ?, 0, ${SYNC})`);
  const nav = raw.prepare(`INSERT INTO nav_mark (id, fund_id, date, nav, version, updated_at, updated_by) VALUES (?, 'R50', ?, ?, ${SYNC})`);
  const level = raw.prepare(`INSERT INTO index_level (id, index_name, date, level, version, updated_at, updated_by) VALUES (?, 'Bench Index', ?, ?, ${SYNC})`);
  let navValue = 0;
  for (let q = 0; q < 32; q++) {
    const date = fromDayNumber(dayNumber('2018-03-31') + Math.round(q * 91.3));
    if (q < 20) contribution.run(`c${q}`, date, 1_000_000_000);
    if (q >= 12) distribution.run(`d${q}`, date, 700_000_000 + q * 10_000_000);
    navValue = Math.max(0, navValue + (q < 20 ? 1_050_000_000 : 0) - (q >= 12 ? 600_000_000 : 0) + 150_000_000);
    nav.run(`n${q}`, date, navValue);
    level.run(`Bench Index:${date}`, date, 100 * 1.02 ** q);
  }
  level.run('Bench Index:2017-12-31', '2017-12-31', 99);
  raw.exec('COMMIT');
}

/** The raw baseline: the same statement, cells joined by hand (no quoting needed for these rows), 1 MiB writes. */
function rawExport(db: LocalDatabase, file: string): number {
  const stmt = db.raw
    .prepare(
      `SELECT a.id, a.fund_id, f.name, a.deal_id, d.name, a.security_type, a.amount, a.status, a.date, a.version
         FROM allocation a JOIN fund f ON f.id = a.fund_id JOIN deal d ON d.id = a.deal_id WHERE a.deleted_at IS NULL ORDER BY a.id`,
    )
    .raw(true);
  const fd = fs.openSync(file, 'w');
  let buf = 'id,fund_id,fund_name,deal_id,deal_name,security_type,amount,status,date,version\r\n';
  let n = 0;
  for (const r of stmt.iterate() as Iterable<unknown[]>) {
    r[6] = formatCents(r[6] as number);
    buf += `${r.join(',')}\r\n`;
    n++;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  return n;
}

/** Peak RSS sampled every 20 ms while `fn` runs. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number; ms: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMb: Math.round(peak / 1048576), ms: performance.now() - t0 };
  } finally {
    clearInterval(timer);
  }
}

export async function benchReports(): Promise<Record<string, unknown>> {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-bench-reports-'));
  const loadBefore = os.loadavg();
  const db = openSqlite(path.join(dir, 'bench.sqlite'));
  try {
    const t0 = performance.now();
    seed(db, rows);
    const seedSeconds = (performance.now() - t0) / 1000;

    // 50-page fund report: first in the process, then three more (median).
    const times: number[] = [];
    const cpus: number[] = [];
    let pages = 0;
    let bytes = 0;
    for (let i = 0; i < 4; i++) {
      const cpu0 = process.cpuUsage();
      const s = performance.now();
      const r = await writeFundReport(db.raw, { fundId: 'R50', asOf: '2025-12-31', index: 'Bench Index' }, path.join(dir, `report-${i}.pdf`));
      times.push(performance.now() - s);
      const cpu = process.cpuUsage(cpu0);
      cpus.push((cpu.user + cpu.system) / 1000);
      pages = r.pages;
      bytes = r.bytes;
    }
    const warm = [...times.slice(1)].sort((a, b) => a - b)[1]!;
    const warmCpu = [...cpus.slice(1)].sort((a, b) => a - b)[1]!;

    // 1,000,000-row CSV export vs the raw loop over the same statement.
    const rssBeforeExportMb = rssMb();
    const exp = await withPeakRss(() => exportAllocationsCsv(db, {}, path.join(dir, 'allocations.csv')));
    const csvBytes = fs.statSync(path.join(dir, 'allocations.csv')).size;
    fs.rmSync(path.join(dir, 'allocations.csv'));
    const raw = await withPeakRss(async () => rawExport(db, path.join(dir, 'raw.csv')));
    const exportRows = exp.value.rows;
    return {
      fundReport: {
        pages,
        bytes,
        allocationRows: REPORT_ROWS,
        targetMs: 2000,
        firstInProcessMs: Math.round(times[0]!),
        firstInProcessCpuMs: Math.round(cpus[0]!),
        warmMedianMs: Math.round(warm),
        warmMedianCpuMs: Math.round(warmCpu),
        allRunsMs: times.map((t) => Math.round(t)),
        meetsTarget: warm < 2000,
      },
      csvExport: {
        rows: exportRows,
        bytes: csvBytes,
        seconds: round(exp.ms / 1000, 2),
        rowsPerSecond: Math.round(exportRows / (exp.ms / 1000)),
        rssBeforeMb: rssBeforeExportMb,
        peakRssDuringMb: exp.peakMb,
        rawLoop: { rows: raw.value, seconds: round(raw.ms / 1000, 2), rowsPerSecond: Math.round(raw.value / (raw.ms / 1000)), peakRssDuringMb: raw.peakMb },
        exportOverRawSpeed: round(raw.ms / exp.ms, 2),
      },
      seedSeconds: round(seedSeconds, 1),
      peakRssProcessMb: Math.round(process.resourceUsage().maxRSS / 1024),
      loadAverageBefore: loadBefore.map((x) => round(x, 2)),
      loadAverageAfter: os.loadavg().map((x) => round(x, 2)),
    };
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchReports(), null, 2));
}
