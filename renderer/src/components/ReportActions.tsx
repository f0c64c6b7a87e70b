/**
 * The report and export buttons of the screens (issue 8):
 * - ReportButton: generates a PDF through the host's save flow
 *   (`saveReport`: save dialog / download), shows the job's progress from
 *   `jobProgress` (pages laid out) with a Cancel, then the outcome (file and
 *   pages) as a toast.
 * - ExportCsvButton: what a grid shows, as CSV (`saveGridCsv`; AG Grids through
 *   ./grid-export `gridExport`, HTML tables through `tableExport` here).
 */
import { useRef, useState } from 'react';
import type { ContractInput } from '../../../shared/api/contract';
import { useApp } from '../app/context';
import { api, toApiError } from '../bridge/api';
import { useEvent } from '../lib/hooks';
import type { GridExport } from './grid-export';
import { Icon } from './icons';

export type ReportRequest = ContractInput<'saveReport'>;

export function ReportButton({ label, request, disabled, testId, title, className = 'btn' }: { label: string; request: () => ReportRequest | null; disabled?: boolean; testId?: string; title?: string; className?: string }) {
  const { toast } = useApp();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ jobId: string; done: number } | null>(null);
  const kind = useRef<string | null>(null);

  useEvent('jobProgress', (p) => {
    if (!busy || p.kind !== kind.current) return;
    setProgress(p.state === 'running' ? { jobId: p.jobId, done: p.done } : null);
  });

  const run = async () => {
    const req = request();
    if (!req) return;
    kind.current = `report ${req.kind}`;
    setBusy(true);
    setProgress(null);
    try {
      const r = await api().saveReport(req);
      if (r) toast('ok', `Saved ${r.file} — ${r.pages} page${r.pages === 1 ? '' : 's'}.`);
    } catch (e) {
      const err = toApiError(e);
      toast(err.code === 'CANCELLED' ? 'info' : 'error', err.code === 'CANCELLED' ? 'Report cancelled; no file was written.' : err.message);
    } finally {
      setBusy(false);
      setProgress(null);
      kind.current = null;
    }
  };

  const cancel = () => {
    if (progress) void api().cancelJob({ jobId: progress.jobId }).catch(() => undefined);
  };

  return (
    <span className="report-action" style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      <button className={className} onClick={run} disabled={disabled || busy} data-testid={testId} title={title} aria-busy={busy}>
        <Icon.download /> {busy ? `Generating…${progress ? ` ${progress.done} page${progress.done === 1 ? '' : 's'}` : ''}` : label}
      </button>
      {busy && progress && (
        <button className="btn ghost sm" onClick={cancel} data-testid={testId ? `${testId}-cancel` : undefined}>
          Cancel
        </button>
      )}
    </span>
  );
}

const text = (el: Element) => (el as HTMLElement).innerText?.trim() ?? el.textContent?.trim() ?? '';

/** What an HTML table displays: header cells of its last header row, then body and footer rows. */
export function tableExport(table: HTMLTableElement): GridExport {
  const head = table.tHead?.rows[table.tHead.rows.length - 1];
  const columns = head ? [...head.cells].map((c) => ({ header: text(c) })) : [];
  const rows: string[][] = [];
  const bodies = [...table.tBodies, ...(table.tFoot ? [table.tFoot] : [])];
  for (const b of bodies)
    for (const r of b.rows) {
      const cells = [...r.cells].map(text);
      while (cells.length < columns.length) cells.push('');
      rows.push(cells.slice(0, columns.length));
    }
  return { columns, rows };
}

export function ExportCsvButton({ collect, suggestedName, testId, disabled, what = 'rows', className = 'btn' }: { collect: () => GridExport | null; suggestedName: () => string; testId?: string; disabled?: boolean; what?: string; className?: string }) {
  const { toast } = useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    const data = collect();
    if (!data) return;
    setBusy(true);
    try {
      const r = await api().saveGridCsv({ suggestedName: suggestedName(), columns: data.columns, rows: data.rows, bom: false });
      if (r) toast('ok', `Exported ${r.rows.toLocaleString()} ${what} to ${r.file}`);
    } catch (e) {
      toast('error', toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button className={className} onClick={run} disabled={disabled || busy} data-testid={testId} title="Export the rows as shown (columns, filter, sort) to CSV">
      <Icon.download /> {busy ? 'Exporting…' : 'Export CSV'}
    </button>
  );
}
