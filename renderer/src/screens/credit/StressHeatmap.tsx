/**
 * The stress heatmap: EBITDA down x % (rows) × floating rates up y bp
 * (columns). A cell is red where a covenant breaks (darker with more
 * breaches), green shaded by the smallest headroom where all pass. One
 * covenant can be singled out. Below it, any one scenario the analyst types,
 * with its stressed ratios (shared/finance/credit runScenario).
 */
import { useMemo, useState } from 'react';
import { runScenario } from '../../../../shared/finance/credit';
import type { CovenantRow, CreditFigures, ScenarioGrid } from '../../../../shared/domain/credit';
import { EmptyState } from '../../components/ui';
import { fmtPct } from '../../lib/format';
import { RATIO_LABEL, covenantTerms, fmtRatio } from './model';

function cellStyle(breaches: number, minHeadroom: number | null, tested: boolean): React.CSSProperties {
  if (!tested) return { background: 'var(--panel-2)' };
  if (breaches > 0) {
    const strength = Math.min(85, 38 + breaches * 16);
    return { background: `color-mix(in srgb, var(--neg) ${strength}%, var(--panel))`, color: '#fff', fontWeight: 650 };
  }
  const h = minHeadroom ?? 0.5;
  const strength = Math.round(10 + Math.min(1, h / 0.5) * 35);
  return { background: `color-mix(in srgb, var(--pos) ${strength}%, var(--panel))` };
}

export function StressHeatmap({ grid, covenants, figures }: { grid: ScenarioGrid | null; covenants: CovenantRow[]; figures: CreditFigures | null }) {
  const [focus, setFocus] = useState<string>('');
  const [shockPct, setShockPct] = useState('20');
  const [shockBp, setShockBp] = useState('200');
  const inForce = covenants.filter((c) => grid && grid.by_covenant[c.id]);

  const scenario = useMemo(() => {
    const d = Number(shockPct);
    const bp = Number(shockBp);
    if (!figures || !Number.isFinite(d) || !Number.isFinite(bp) || bp < 0 || shockPct.trim() === '' || shockBp.trim() === '') return null;
    try {
      return runScenario(figures, covenantTerms(inForce), { ebitda_decline: d / 100, rate_shock_bp: bp });
    } catch {
      return null;
    }
  }, [figures, inForce, shockPct, shockBp]);

  if (!grid || !figures) {
    return (
      <section className="panel" aria-label="Stress">
        <div className="panel-head">
          <h3>Stress</h3>
        </div>
        <EmptyState title="No period to stress">Enter or import an FY or LTM statement (or four quarters) first.</EmptyState>
      </section>
    );
  }

  return (
    <section className="panel" aria-label="Stress heatmap" data-testid="stress">
      <div className="panel-head">
        <h3>Stress: covenant breaches</h3>
        <span className="sub">EBITDA down × floating rates up</span>
        <span className="spacer" />
        <select className="select" value={focus} onChange={(e) => setFocus(e.target.value)} aria-label="Covenant shown in the heatmap" disabled={!inForce.length}>
          <option value="">All covenants</option>
          {inForce.map((c) => (
            <option key={c.id} value={c.id}>
              {RATIO_LABEL[c.metric]} · {c.facility}
            </option>
          ))}
        </select>
      </div>
      <div className="heatmap-wrap">
        <table className="heatmap" data-testid="heatmap">
          <thead>
            <tr>
              <th title="EBITDA decline (rows) / rate shock in bp (columns)">EBITDA ↓ \ bp</th>
              {grid.rate_shocks_bp.map((bp) => (
                <th key={bp}>+{bp}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.cells.map((row, i) => (
              <tr key={i}>
                <th>{grid.ebitda_declines[i] ? `−${fmtPct(grid.ebitda_declines[i]!, 0)}` : '0%'}</th>
                {row.map((cell, j) => {
                  const status = focus ? grid.by_covenant[focus]?.[i]?.[j] : undefined;
                  const breaches = focus ? (status === 'breach' ? 1 : 0) : cell.breach_count;
                  const tested = focus ? status !== 'not_tested' : true;
                  const names = cell.breached_covenant_ids.map((id) => covenants.find((c) => c.id === id)).map((c) => (c ? RATIO_LABEL[c.metric] : '?'));
                  const selected = scenario && Math.abs(scenario.scenario.ebitda_decline - cell.ebitda_decline) < 1e-9 && scenario.scenario.rate_shock_bp === cell.rate_shock_bp;
                  return (
                    <td
                      key={j}
                      className={selected ? 'selected' : undefined}
                      style={cellStyle(breaches, cell.min_headroom, tested)}
                      data-breaches={breaches}
                      data-decline={cell.ebitda_decline}
                      data-bp={cell.rate_shock_bp}
                      title={`EBITDA −${fmtPct(cell.ebitda_decline, 0)}, rates +${cell.rate_shock_bp} bp: ${cell.breach_count ? `breaches ${names.join(', ')}` : 'every covenant passes'}; total leverage ${fmtRatio('total_leverage', cell.ratios.total_leverage)}, interest cover ${fmtRatio('interest_coverage', cell.ratios.interest_coverage)}`}
                      onClick={() => {
                        setShockPct(String(Math.round(cell.ebitda_decline * 1000) / 10));
                        setShockBp(String(cell.rate_shock_bp));
                      }}
                    >
                      {focus ? (status === 'breach' ? '✕' : status === 'pass' ? '✓' : '·') : breaches > 0 ? breaches : cell.min_headroom === null ? '✓' : fmtPct(cell.min_headroom, 0)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="heatmap-legend">
          <span>
            <i style={{ background: 'color-mix(in srgb, var(--pos) 40%, var(--panel))' }} />
            all pass (smallest headroom)
          </span>
          <span>
            <i style={{ background: 'color-mix(in srgb, var(--neg) 60%, var(--panel))' }} />
            number of covenants breached
          </span>
        </div>
        <div className="stress-inputs" style={{ marginTop: 10 }}>
          <span className="muted">Scenario: EBITDA down</span>
          <input className="input num" aria-label="EBITDA shock in percent" value={shockPct} onChange={(e) => setShockPct(e.target.value)} inputMode="decimal" />
          <span className="muted">% and rates up</span>
          <input className="input num" aria-label="Rate shock in basis points" value={shockBp} onChange={(e) => setShockBp(e.target.value)} inputMode="numeric" />
          <span className="muted">bp</span>
          {scenario ? (
            <span data-testid="scenario-result">
              → leverage <b>{fmtRatio('total_leverage', scenario.ratios.total_leverage)}</b>, interest cover <b>{fmtRatio('interest_coverage', scenario.ratios.interest_coverage)}</b>, DSCR{' '}
              <b>{fmtRatio('dscr', scenario.ratios.dscr)}</b> ·{' '}
              {scenario.breached_covenant_ids.length ? <b className="neg">{scenario.breached_covenant_ids.length} breached</b> : <b className="pos">no breach</b>}
            </span>
          ) : (
            <span className="faint">Enter a decline in % and a shock in bp (≥ 0).</span>
          )}
        </div>
      </div>
    </section>
  );
}
