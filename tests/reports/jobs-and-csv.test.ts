import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFinancials } from '../../electron/core/credit/import-financials';
import { reportApi } from '../../electron/core/reports/report-api';
import { LOCAL_ACTOR, type Workstation } from '../../electron/core/workstation';
import { runCli } from '../../electron/hosts/cli/main';
import type { JobProgressEvent } from '../../shared/api/contract';
import { M, seedBasics } from '../helpers/seed';
import { tempDir, tempWorkstation } from '../helpers/temp-profile';
import { AS_OF, pdfPages, seedReportFund, squash } from './fixture';

let ws: Workstation;
let dir: string;

const readCsv = (file: string) => parse(fs.readFileSync(file), { bom: true, columns: true }) as Record<string, string>[];
const leftovers = (d: string) => fs.readdirSync(d).filter((f) => f.includes('.tmp-'));

beforeAll(async () => {
  ws = tempWorkstation({ today: () => AS_OF });
  await seedReportFund(ws, 120);
  dir = tempDir();
});

describe('reports as jobs', () => {
  it('report progress by pages and end "done"', async () => {
    const events: JobProgressEvent[] = [];
    const on = (e: JobProgressEvent) => events.push(e);
    ws.events.on('jobProgress', on);
    const r = await reportApi(ws, { today: () => AS_OF }).saveReport({ kind: 'fund-report', fundId: 'F1', file: path.join(dir, 'job.pdf') });
    ws.events.off('jobProgress', on);
    expect(r).toMatchObject({ kind: 'fund-report', pages: 5 });
    expect(fs.statSync(r.file).size).toBe(r.bytes);
    expect(events[0]).toMatchObject({ kind: 'report fund-report', state: 'running', done: 1 });
    expect(events.at(-1)).toMatchObject({ state: 'done' });
  });

  it('cancel: the job ends "cancelled" and leaves no file, not even a temporary one', async () => {
    const out = path.join(dir, 'cancelled.pdf');
    const events: JobProgressEvent[] = [];
    const on = (e: JobProgressEvent) => {
      events.push(e);
      if (e.state === 'running') ws.jobs.cancel(e.jobId);
    };
    ws.events.on('jobProgress', on);
    await expect(reportApi(ws).saveReport({ kind: 'fund-report', fundId: 'F1', asOf: AS_OF, file: out })).rejects.toMatchObject({ code: 'CANCELLED' });
    ws.events.off('jobProgress', on);
    expect(events.at(-1)).toMatchObject({ state: 'cancelled' });
    expect(fs.existsSync(out)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it('a cancelled report leaves an existing file of that name as it was', async () => {
    const out = path.join(dir, 'kept.pdf');
    fs.writeFileSync(out, 'previous');
    const on = (e: JobProgressEvent) => e.state === 'running' && ws.jobs.cancel(e.jobId);
    ws.events.on('jobProgress', on);
    await expect(reportApi(ws).saveReport({ kind: 'fund-report', fundId: 'F1', asOf: AS_OF, file: out })).rejects.toMatchObject({ code: 'CANCELLED' });
    ws.events.off('jobProgress', on);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous');
  });

  it('validates the request: a kind without its ids is INVALID_INPUT naming the field', async () => {
    await expect(reportApi(ws).saveReport({ kind: 'lp-statement', fundId: 'F1', file: path.join(dir, 'x.pdf') })).rejects.toMatchObject({ code: 'INVALID_INPUT', problems: [{ path: 'investorId' }] });
    await expect(reportApi(ws).saveReport({ kind: 'fund-report', fundId: 'F1', asOf: '2024-02-30', file: path.join(dir, 'x.pdf') } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('CSV exports', () => {
  it('capital calls with their lines: effective status, amounts as plain decimals', async () => {
    const r = await reportApi(ws, { today: () => AS_OF }).saveCsvExport({ kind: 'capital-calls', fundId: 'F1', file: path.join(dir, 'calls.csv') });
    expect(r.rows).toBe(6);
    const rows = readCsv(r.file);
    const i3 = rows.find((x) => x.call_id === 'C2' && x.investor_id === 'I3')!;
    expect(i3).toMatchObject({ call_status: 'overdue', commitment: '2000000.00', amount: '200000.00', paid: '0.00', outstanding: '200000.00', description: 'Second call' });
    expect(rows.filter((x) => x.call_id === 'C1').every((x) => x.call_status === 'paid')).toBe(true);
  });

  it('payments, and the LP statement whose rows add up to the fund', async () => {
    const api = reportApi(ws, { today: () => AS_OF });
    const pay = await api.saveCsvExport({ kind: 'payments', file: path.join(dir, 'payments.csv') });
    expect(pay.rows).toBe(5);
    expect(readCsv(pay.file).map((p) => `${p.id} ${p.investor_name} ${p.date} ${p.amount}`)).toContain('P2-I2 Endowment B 2024-01-25 300000.00');
    const st = await api.saveCsvExport({ kind: 'lp-statement', fundId: 'F1', from: '2024-01-01', file: path.join(dir, 'lp.csv') });
    const rows = readCsv(st.file);
    expect(rows.map((x) => x.investor_id)).toEqual(['I2', 'I3', 'I1']); // by name
    const total = (k: string) => rows.reduce((t, x) => t + Math.round(Number(x[k]) * 100), 0);
    expect(total('opening')).toBe(M(1_900_000));
    expect(total('distributions')).toBe(M(600_000));
    expect(total('closing')).toBe(M(3_000_000));
    expect(total('contributions')).toBe(M(800_000));
    expect(rows.find((x) => x.investor_id === 'I1')).toMatchObject({ opening: '950000.00', contributions: '500000.00', gains: '350000.00', unfunded: '3550000.00' });
  });

  it('neutralises formula injection and writes a BOM when asked', async () => {
    const other = tempWorkstation();
    await seedBasics(other);
    const evil = '=HYPERLINK("http://evil.example","x")';
    await other.mutate({ name: 'createDeal', args: { id: 'DX', name: evil, sector: '@risk', country: 'US', stage: 'Growth' } });
    await other.mutate({ name: 'createAllocation', args: { id: 'AX', fundId: 'F1', dealId: 'DX', amount: M(5_000), date: '2024-01-15' } });
    const r = await reportApi(other).saveCsvExport({ kind: 'allocations', file: path.join(dir, 'bom.csv'), bom: true });
    const bytes = fs.readFileSync(r.file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n');
    expect(readCsv(r.file)[0]).toMatchObject({ deal_name: `'${evil}`, amount: '5000.00' });
  });

  it('financials round trip: export, import into a fresh profile, export again gives the same records and bytes', async () => {
    for (const id of ['ACME', 'DUNE']) await ws.mutate({ name: 'createDeal', args: { id, name: `${id} Holdings`, sector: 'Industrials', country: 'US', stage: 'Buyout' } });
    await importFinancials(ws.db, path.resolve('docs/examples/financials.csv'), { actor: LOCAL_ACTOR });
    const api = reportApi(ws);
    const first = await api.saveCsvExport({ kind: 'financials', file: path.join(dir, 'fin1.csv') });
    expect(first.rows).toBe(6);
    const fresh = tempWorkstation();
    for (const id of ['ACME', 'DUNE']) await fresh.mutate({ name: 'createDeal', args: { id, name: `${id} Holdings`, sector: 'Industrials', country: 'US', stage: 'Buyout' } });
    const report = await importFinancials(fresh.db, first.file, { actor: LOCAL_ACTOR });
    expect(report).toMatchObject({ rows: 6, imported: 6, skipped: 0 });
    const business = (w: Workstation) =>
      w.db.raw.prepare('SELECT * FROM financial_statement ORDER BY id').all().map((r) => {
        const { version: _v, updated_at: _u, updated_by: _b, ...rest } = r as Record<string, unknown>;
        return rest;
      });
    expect(business(fresh)).toEqual(business(ws));
    const second = await reportApi(fresh).saveCsvExport({ kind: 'financials', file: path.join(dir, 'fin2.csv') });
    expect(fs.readFileSync(second.file).equals(fs.readFileSync(first.file))).toBe(true);
  });

  it('allocations round trip through the CLI: export, import into the same profile changes nothing', async () => {
    const out = path.join(dir, 'alloc.csv');
    expect(await runCli(['--db', ws.db.file!, 'export', 'allocations', '--fund', 'F1', '--format', 'csv', '--out', out])).toBe(0);
    const rows = readCsv(out);
    expect(rows).toHaveLength(120);
    const report = await ws.importCsv({ kind: 'allocations', file: out });
    expect(report).toMatchObject({ rows: 120, imported: 120 });
    expect((report as { unchanged?: number }).unchanged).toBe(120);
  });
});

describe('meridian export (CLI)', () => {
  it('writes each PDF kind and refuses wrong usage with exit code 2', async () => {
    const db = ws.db.file!;
    const out = path.join(dir, 'cli-fund.pdf');
    expect(await runCli(['--db', db, 'export', 'fund-report', '--fund', 'F1', '--as-of', AS_OF, '--format', 'pdf', '--out', out])).toBe(0);
    expect(squash(pdfPages(out)[1]!)).toContain('TVPI 1.29x');
    const notice = path.join(dir, 'cli-notice.pdf');
    expect(await runCli(['--db', db, 'export', 'capital-call-notice', '--id', 'C2', '--investor', 'I3', '--management-fees', '50000', '--out', notice])).toBe(0);
    expect(squash(pdfPages(notice)[0]!)).toContain('Management fees 50,000.00 10,000.00');
    const st = path.join(dir, 'cli-st.pdf');
    expect(await runCli(['--db', db, 'export', 'lp-statement', '--fund', 'F1', '--investor', 'I1', '--as-of', AS_OF, '--format', 'pdf', '--out', st])).toBe(0);
    expect(squash(pdfPages(st)[0]!)).toContain('Closing NAV 1,500,000.00');
    expect(await runCli(['--db', db, 'export', 'payments', '--format', 'pdf', '--out', out])).toBe(2);
    expect(await runCli(['--db', db, 'export', 'fund-report', '--format', 'csv', '--out', out])).toBe(2);
    expect(await runCli(['--db', db, 'export', 'balance-sheet', '--out', out])).toBe(2);
    expect(await runCli(['--db', db, 'export', 'credit-memo', '--out', out])).toBe(1); // no --borrower: INVALID_INPUT
  });
});
