/** Covenant tests of the chosen period: threshold, actual, pass/breach, headroom with a bar, and the EBITDA decline that would breach. */
import type { CovenantRow, CovenantTest } from '../../../../shared/domain/credit';
import { EmptyState, StatusBadge } from '../../components/ui';
import { fmtPct } from '../../lib/format';
import { RATIO_LABEL, fmtHeadroomUnits, fmtRatioValue, fmtThreshold } from './model';

/** The bar's full width stands for 50 % headroom; amber under 10 %, red on a breach. */
export function HeadroomBar({ headroom }: { headroom: number | null }) {
  const cls = headroom === null ? '' : headroom < 0 ? 'bad' : headroom < 0.1 ? 'warn' : '';
  const width = headroom === null ? 0 : headroom < 0 ? 100 : Math.min(100, (headroom / 0.5) * 100);
  return (
    <div className="headroom">
      <span className={`num${headroom !== null && headroom < 0 ? ' neg' : ''}`} data-testid="headroom-pct">
        {headroom === null ? '—' : fmtPct(headroom, 1)}
      </span>
      <div className="headroom-track" role="meter" aria-label="Headroom" aria-valuemin={0} aria-valuemax={50} aria-valuenow={headroom === null ? 0 : Math.round(headroom * 1000) / 10}>
        <div className={`headroom-fill ${cls}`} style={{ width: `${width}%` }} />
      </div>
    </div>
  );
}

export function CovenantTable({ tests, covenants, periodLabel }: { tests: CovenantTest[]; covenants: CovenantRow[]; periodLabel: string }) {
  const byId = new Map(covenants.map((c) => [c.id, c]));
  const notInForce = covenants.filter((c) => !tests.some((t) => t.covenant_id === c.id));
  return (
    <section className="panel" aria-label="Covenants" data-testid="covenants">
      <div className="panel-head">
        <h3>Covenants</h3>
        <span className="sub">tested on {periodLabel}</span>
        <span className="spacer" />
        <span className="sub">{tests.filter((t) => t.status === 'breach').length ? <b className="neg">{tests.filter((t) => t.status === 'breach').length} in breach</b> : tests.length ? 'all passing' : ''}</span>
      </div>
      {covenants.length === 0 ? (
        <EmptyState title="No covenants">This borrower has no financial covenants on record; add them with the credit import or the CLI.</EmptyState>
      ) : (
        <div style={{ overflowX: 'auto' }}>
          <table className="data" data-testid="covenant-table">
            <thead>
              <tr>
                <th>Facility / test</th>
                <th className="num">Threshold</th>
                <th className="num">Actual</th>
                <th>Status</th>
                <th>Headroom</th>
                <th className="num">In units</th>
                <th className="num" title="How far EBITDA can fall (with everything else unchanged) before this covenant breaches">Max EBITDA fall</th>
              </tr>
            </thead>
            <tbody>
              {tests.map((t) => {
                const c = byId.get(t.covenant_id);
                return (
                  <tr key={t.covenant_id} data-covenant-id={t.covenant_id} title={c ? `${c.test_frequency} test${c.cure_rights_note ? ` · cure rights: ${c.cure_rights_note}` : ''}` : undefined}>
                    <td>
                      <div>{RATIO_LABEL[t.metric]}</div>
                      <div className="faint" style={{ fontSize: 'var(--fs-xs)', lineHeight: 1.2 }}>
                        {t.facility}
                      </div>
                    </td>
                    <td className="num">{fmtThreshold(t.metric, t.operator, t.threshold)}</td>
                    <td className="num" data-testid="covenant-actual">
                      {t.actual === null ? 'n.m.' : fmtRatioValue(t.metric, t.actual)}
                    </td>
                    <td>
                      <StatusBadge status={t.status} />
                    </td>
                    <td>
                      <HeadroomBar headroom={t.headroom} />
                    </td>
                    <td className={`num${t.headroom_units !== null && t.headroom_units < 0 ? ' neg' : ''}`}>{fmtHeadroomUnits(t.metric, t.headroom_units)}</td>
                    <td className={`num${t.ebitda_decline_to_breach !== null && t.ebitda_decline_to_breach < 0 ? ' neg' : ''}`} data-testid="covenant-cushion">
                      {t.ebitda_decline_to_breach === null
                        ? t.decline_reason === 'not_ebitda_sensitive'
                          ? 'n/a'
                          : '—'
                        : t.ebitda_decline_to_breach < 0
                          ? `needs +${fmtPct(-t.ebitda_decline_to_breach, 1)}`
                          : fmtPct(t.ebitda_decline_to_breach, 1)}
                    </td>
                  </tr>
                );
              })}
              {notInForce.map((c) => (
                <tr key={c.id} className="faint">
                  <td>
                    {RATIO_LABEL[c.metric]} <span className="faint">· {c.facility}</span>
                  </td>
                  <td className="num">{fmtThreshold(c.metric, c.operator, c.threshold)}</td>
                  <td colSpan={5} className="faint">
                    not in force at this period ({c.effective_from ?? '…'} – {c.effective_to ?? '…'})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
