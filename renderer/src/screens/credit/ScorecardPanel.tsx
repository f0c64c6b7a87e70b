/** Scorecard breakdown: each factor's ratio, band score, weight and contribution; the weighted score, rating and PD. */
import type { ScorecardMethodology, ScorecardResult } from '../../../../shared/domain/credit';
import { fmtNumber, fmtPct } from '../../lib/format';
import { fmtRatioValue } from './model';

const BASIS_NOTE: Record<string, string> = {
  value: '',
  not_meaningful_best: 'not meaningful, scored best',
  not_meaningful_worst: 'not meaningful, scored worst',
  missing_worst: 'missing input, scored worst',
  missing_excluded: 'missing input, left out (weights re-scaled)',
};

export function ScorecardPanel({ scorecard, methodology }: { scorecard: ScorecardResult; methodology: ScorecardMethodology }) {
  const grade = methodology.rating_scale.find((g) => g.grade === scorecard.model_rating);
  const maxContribution = Math.max(...scorecard.factors.map((f) => f.applied_weight * 10), 1e-9);
  return (
    <section className="panel" aria-label="Scorecard" data-testid="scorecard">
      <div className="panel-head">
        <h3>Scorecard</h3>
        <span className="sub">
          {methodology.name} v{methodology.version}
        </span>
      </div>
      <div className="score-head">
        <span className="rating-chip lg" data-testid="model-rating">
          {scorecard.model_rating.toUpperCase()}
        </span>
        <dl className="dl" style={{ flex: 1 }}>
          <dt>Weighted score</dt>
          <dd data-testid="weighted-score">{fmtNumber(scorecard.weighted_score, 2)} / 10</dd>
          <dt>Risk rating</dt>
          <dd>
            {scorecard.model_risk_rating} of {methodology.rating_scale.length}
          </dd>
          <dt>One-year PD</dt>
          <dd data-testid="model-pd">{fmtPct(scorecard.model_pd, 2)}</dd>
        </dl>
        <span className="muted" style={{ maxWidth: 180, fontSize: 'var(--fs-sm)' }}>
          {grade?.description}
        </span>
      </div>
      <table className="data">
        <thead>
          <tr>
            <th>Factor</th>
            <th className="num">Value</th>
            <th className="num">Score</th>
            <th className="num">Weight</th>
            <th style={{ width: 150 }}>Contribution</th>
          </tr>
        </thead>
        <tbody>
          {scorecard.factors.map((f) => (
            <tr key={f.key} data-factor={f.key} title={BASIS_NOTE[f.basis] || undefined}>
              <td>{f.label}</td>
              <td className="num">{f.value === null ? <span className="faint">{f.basis === 'not_meaningful_best' ? 'n.m. (best)' : f.basis.startsWith('missing') ? 'missing' : 'n.m.'}</span> : fmtRatioValue(f.metric, f.value)}</td>
              <td className="num">{f.score === null ? '—' : fmtNumber(f.score, 0)}</td>
              <td className="num">{fmtPct(f.applied_weight, 0)}</td>
              <td>
                <div className="contrib">
                  <div className="contrib-track">
                    <span style={{ width: `${(f.contribution / maxContribution) * 100}%` }} />
                  </div>
                  <span className="num">{fmtNumber(f.contribution, 2)}</span>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={3}>Weighted score</td>
            <td className="num">100%</td>
            <td className="num">{fmtNumber(scorecard.weighted_score, 2)}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
