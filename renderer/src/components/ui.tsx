/** Small building blocks shared by the screens. */
import { useEffect, useRef, type ReactNode } from 'react';
import type { ApiError } from '../bridge/api';
import { fmtPct } from '../lib/format';
import { humanize } from '../lib/format';

export function Kpi({ label, value, sub, title, large, testId, group }: { label: string; value: ReactNode; sub?: ReactNode; title?: string; large?: boolean; testId?: string; group?: boolean }) {
  return (
    <div className={`kpi${group ? ' group-break' : ''}`} title={title} data-testid={testId}>
      <div className="k">{label}</div>
      <div className={`v tnum${large ? ' lg' : ''}`}>{value}</div>
      {sub !== undefined && <div className="s">{sub}</div>}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge s-${status}`} data-status={status}>
      {humanize(status)}
    </span>
  );
}

/**
 * Utilisation against the cap: the fill turns amber within 5 points of the
 * cap and red over it; the tick marks the cap.
 */
export function Gauge({ ratio, capPct, label = 'Utilisation', left, right }: { ratio: number | null; capPct: number; label?: string; left?: ReactNode; right?: ReactNode }) {
  const pct = ratio === null ? 0 : ratio * 100;
  const cls = pct > capPct ? 'bad' : pct > capPct - 5 ? 'warn' : '';
  return (
    <div className="gauge" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct * 10) / 10}>
      <div className="gauge-top">
        <span>{label}</span>
        <span>
          <b>{fmtPct(ratio)}</b> <span className="faint">/ {capPct}% cap</span>
        </span>
      </div>
      <div className="gauge-track">
        <div className={`gauge-fill ${cls}`} style={{ width: `${Math.min(100, Math.max(0, pct))}%` }} />
        <div className="gauge-cap" style={{ left: `calc(${capPct}% - 1px)` }} title={`${capPct}% utilisation cap`} />
      </div>
      {(left || right) && (
        <div className="gauge-foot">
          <span>{left}</span>
          <span>{right}</span>
        </div>
      )}
    </div>
  );
}

export function EmptyState({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}

/** An error from the contract, with its message verbatim and what to do next. */
export function ErrorState({ error, retry, what }: { error: ApiError; retry?: () => void; what?: string }) {
  return (
    <div className="empty error" role="alert">
      <h3>{what ?? 'This could not be loaded'}</h3>
      <p>{error.message}</p>
      {error.problems.length > 1 && (
        <ul>
          {error.problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
      {retry && (
        <div className="actions">
          <button className="btn" onClick={retry}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}

export function Skeleton({ height = 14, width = '100%' }: { height?: number; width?: number | string }) {
  return <div className="skeleton" style={{ height, width }} />;
}

export function Modal({ title, onClose, children, footer, labelledBy = 'modal-title', wide }: { title: ReactNode; onClose: () => void; children: ReactNode; footer?: ReactNode; labelledBy?: string; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not(.close)') ?? ref.current;
    first?.focus();
    // Escape closes the dialog wherever the focus is (it may be on the page behind after a click).
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || document.querySelector('.ag-cell-inline-editing')) return;
      e.stopPropagation();
      close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      prev?.focus?.();
    };
  }, []);
  return (
    <div
      className="scrim"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={labelledBy} ref={ref} tabIndex={-1} style={wide ? { width: 'min(980px, calc(100vw - 40px))' } : undefined}>
        <div className="panel-head">
          <h2 id={labelledBy}>{title}</h2>
          <span className="spacer" />
          <button className="btn ghost sm close" onClick={onClose} aria-label="Close">
            Esc
          </button>
        </div>
        <div className="panel-body">{children}</div>
        {footer && <div className="modal-foot">{footer}</div>}
      </div>
    </div>
  );
}
