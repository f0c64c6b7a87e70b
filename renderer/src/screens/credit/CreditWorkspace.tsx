/**
 * One borrower's credit workspace (#/credit/:borrowerId): headline ratios
 * and rating, ratio trends, covenants with headroom, the stress heatmap, the
 * scorecard, the financials grid, versions with a side-by-side diff, and the
 * comment thread. Everything shown for the chosen period is computed here
 * with shared/finance/credit from the rows creditWorkspace returns, so an
 * edit in the grid moves every panel at once.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CreditAnalysisOutputs, RatioKey } from '../../../../shared/domain/credit';
import { annualFigures, computeRatios } from '../../../../shared/finance/credit';
import { useApp } from '../../app/context';
import { api, toApiError, type ApiError } from '../../bridge/api';
import { fileSlug } from '../../components/grid-export';
import { ReportButton } from '../../components/ReportActions';
import { ErrorState, Kpi, Skeleton } from '../../components/ui';
import { fmtPct } from '../../lib/format';
import { useQuery } from '../../lib/hooks';
import { href } from '../../lib/router';
import { Comments } from './Comments';
import { CovenantTable } from './CovenantTable';
import { CREDIT_ENTITIES } from './entities';
import { FinancialsGrid } from './FinancialsGrid';
import { RatioCharts, type TrendPointView } from './RatioCharts';
import { SaveVersion } from './SaveVersion';
import { ScorecardPanel } from './ScorecardPanel';
import { StressHeatmap } from './StressHeatmap';
import { VersionHistory } from './VersionHistory';
import { RATIO_LABEL, analysePeriod, annualPeriods, fmtRatio, ratioNote } from './model';
import './credit.css';

const HEADLINE: RatioKey[] = ['total_leverage', 'net_leverage', 'interest_coverage', 'fixed_charge_coverage', 'dscr', 'ltv', 'current_ratio', 'ffo_to_debt'];

export function CreditWorkspace({ borrowerId }: { borrowerId: string }) {
  const { theme, can, toast } = useApp();
  const q = useQuery(() => api().creditWorkspace({ borrowerId }), [borrowerId], [...CREDIT_ENTITIES, 'deal']);
  const w = q.data;
  const periods = useMemo(() => annualPeriods(w?.statements ?? []), [w?.statements]);
  const [periodKey, setPeriodKey] = useState<string | null>(null);
  const period = periods.find((p) => p.key === periodKey) ?? periods[periods.length - 1] ?? null;
  const currency = period?.statement.currency ?? w?.statements[w.statements.length - 1]?.currency ?? '';

  const analysis = useMemo<{ outputs: CreditAnalysisOutputs | null; error: ApiError | null }>(() => {
    if (!w || !period) return { outputs: null, error: null };
    try {
      return { outputs: analysePeriod(period, w.covenants, w.methodology), error: null };
    } catch (e) {
      return { outputs: null, error: toApiError(e) };
    }
  }, [w, period]);
  const out = analysis.outputs;

  const trend = useMemo<TrendPointView[]>(() => {
    if (!w) return [];
    return periods.flatMap((p) => {
      try {
        return [{ label: `${p.statement.period_type === 'FY' ? 'FY' : 'LTM'} ${p.statement.period_end.slice(0, 7)}`, ratios: computeRatios(annualFigures(p.statement)) }];
      } catch {
        return [];
      }
    });
  }, [periods, w]);

  const [versionId, setVersionId] = useState<string | null>(null);
  // A version just saved is selected as soon as the reload brings it (until then the selection waits for it).
  const justSaved = useRef<string | null>(null);
  useEffect(() => {
    if (!w) return;
    if (versionId && w.analyses.some((a) => a.id === versionId)) {
      if (justSaved.current === versionId) justSaved.current = null;
      return;
    }
    if (versionId && justSaved.current === versionId) return;
    setVersionId(w.analyses[0]?.id ?? null);
  }, [w, versionId]);
  const selectedVersion = w?.analyses.find((a) => a.id === versionId) ?? null;
  const latest = w?.analyses[0] ?? null;
  const [saving, setSaving] = useState(false);

  if (q.error && !w) {
    return (
      <div className="page">
        <ErrorState error={q.error} retry={q.reload} what={q.error.code === 'NOT_FOUND' ? 'Borrower not found' : 'This borrower could not be loaded'} />
        <div style={{ textAlign: 'center' }}>
          <a href={href({ name: 'credit' })}>Back to credit</a>
        </div>
      </div>
    );
  }

  return (
    <div className="page" data-testid="screen-borrower">
      <header className="page-head">
        <nav className="crumbs" aria-label="Breadcrumb">
          <a href={href({ name: 'credit' })}>Credit</a>
          <span className="sep">/</span>
        </nav>
        <h1 data-testid="borrower-name">{w?.borrower.name ?? '…'}</h1>
        {w && (
          <span className="meta">
            {[w.borrower.sector, currency].filter(Boolean).join(' · ')}
            {latest ? ` · v${latest.analysis_version} rated ${latest.final_rating.toUpperCase()}` : ' · not rated yet'}
          </span>
        )}
        <span className="spacer" />
        <label className="meta" htmlFor="credit-period">
          Period
        </label>
        <select id="credit-period" className="select" value={period?.key ?? ''} onChange={(e) => setPeriodKey(e.target.value)} disabled={!periods.length} data-testid="period-select">
          {periods.length ? (
            [...periods].reverse().map((p) => (
              <option key={p.key} value={p.key}>
                {p.label}
              </option>
            ))
          ) : (
            <option value="">No annual-basis period</option>
          )}
        </select>
        {can('analyst') && (
          <button className="btn primary" disabled={!out || !period} onClick={() => setSaving(true)} data-testid="save-version" title={out ? 'Freeze this analysis as a new version' : 'Nothing to save: no period can be analysed'}>
            Save version
          </button>
        )}
        <ReportButton
          label="Credit memo (PDF)"
          testId="report-credit-memo"
          disabled={!w}
          title="Credit memo from the latest saved analysis version (docs/reports.md §5)"
          request={() => (w ? { kind: 'credit-memo', borrowerId, suggestedName: `credit-memo-${fileSlug(w.borrower.name)}.pdf` } : null)}
        />
      </header>
      <div className="page-body">
        {!w ? (
          <Skeleton height={300} />
        ) : (
          <>
            {analysis.error && <ErrorState error={analysis.error} what={`The ${period?.label ?? ''} figures cannot be analysed`} />}
            <div className="credit-metrics" data-testid="credit-kpis">
              <div className="kpi">
                <div className="k">Model rating</div>
                <div className="v lg">
                  {out ? (
                    <span className="rating-chip" data-testid="kpi-rating">
                      {out.scorecard.model_rating.toUpperCase()}
                    </span>
                  ) : (
                    '—'
                  )}
                </div>
                <div className="s">{out ? `score ${out.scorecard.weighted_score.toFixed(2)} · PD ${fmtPct(out.scorecard.model_pd, 2)}` : period ? '' : 'no period'}</div>
              </div>
              {HEADLINE.map((k) => (
                <Kpi key={k} label={RATIO_LABEL[k]} value={out ? fmtRatio(k, out.ratios[k]) : '—'} title={out ? ratioNote(out.ratios[k]) : undefined} testId={`kpi-${k}`} />
              ))}
            </div>
            <div className="credit-row wide-right">
              <RatioCharts points={trend} covenants={w.covenants} theme={theme} />
              <CovenantTable tests={out?.covenants ?? []} covenants={w.covenants} periodLabel={period?.label ?? '—'} />
            </div>
            <div className="credit-row wide-left">
              <StressHeatmap grid={out?.grid ?? null} covenants={w.covenants} figures={out && period ? annualFigures(period.statement) : null} />
              {out ? <ScorecardPanel scorecard={out.scorecard} methodology={w.methodology} /> : <section className="panel" />}
            </div>
            <FinancialsGrid statements={w.statements} currency={currency} canEdit={can('analyst')} />
            <div className="credit-row">
              <VersionHistory analyses={w.analyses} selectedId={versionId} onSelect={setVersionId} currency={currency} />
              <Comments analysis={selectedVersion} comments={w.comments} canComment={can('analyst')} />
            </div>
          </>
        )}
      </div>
      {saving && w && period && out && (
        <SaveVersion
          borrowerId={borrowerId}
          period={period}
          covenants={w.covenants}
          scorecard={out.scorecard}
          methodology={w.methodology}
          nextVersion={(latest?.analysis_version ?? 0) + 1}
          onClose={() => setSaving(false)}
          onSaved={(id) => {
            setSaving(false);
            justSaved.current = id;
            setVersionId(id);
            toast('ok', `Saved version ${(latest?.analysis_version ?? 0) + 1} of ${w.borrower.name}`);
            q.reload();
          }}
        />
      )}
    </div>
  );
}

