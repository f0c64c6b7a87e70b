/**
 * Analysis versions (newest first): pick one to read its comments, tick two
 * to compare them side by side. The diff reads both versions' frozen inputs
 * and outputs (creditAnalysis) and marks every field that changed.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CreditAnalysisSummaryView, CreditAnalysisView } from '../../../../shared/api/credit-contract';
import { api, toApiError, type ApiError } from '../../bridge/api';
import { EmptyState, ErrorState, Modal, Skeleton } from '../../components/ui';
import { fmtAmount, fmtInstant, fmtNumber, fmtPct } from '../../lib/format';
import { diffVersions, type DiffLine } from './model';

export function VersionHistory({
  analyses,
  selectedId,
  onSelect,
  currency,
}: {
  analyses: CreditAnalysisSummaryView[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  currency: string;
}) {
  const [picked, setPicked] = useState<string[]>([]);
  const [comparing, setComparing] = useState<[string, string] | null>(null);
  useEffect(() => setPicked((p) => p.filter((id) => analyses.some((a) => a.id === id))), [analyses]);

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  const compare = () => {
    const [a, b] = picked.map((id) => analyses.find((x) => x.id === id)!).sort((x, y) => x.analysis_version - y.analysis_version);
    if (a && b) setComparing([a.id, b.id]);
  };

  return (
    <section className="panel" aria-label="Version history" data-testid="versions">
      <div className="panel-head">
        <h3>Versions</h3>
        <span className="sub">{analyses.length ? `${analyses.length} saved · tick two to compare` : ''}</span>
        <span className="spacer" />
        <button className="btn sm" disabled={picked.length !== 2} onClick={compare} data-testid="compare-versions" title="Compare the two ticked versions side by side">
          Compare
        </button>
      </div>
      {analyses.length === 0 ? (
        <EmptyState title="No saved analysis">Review the figures, then “Save version” to record the rating and your recommendation.</EmptyState>
      ) : (
        <div style={{ maxHeight: 300, overflow: 'auto' }}>
          <table className="data versions">
            <thead>
              <tr>
                <th className="pick" />
                <th className="num">v</th>
                <th>Period</th>
                <th>Rating</th>
                <th className="num">Score</th>
                <th>Saved</th>
                <th>By</th>
                <th className="num" title="Comments on the version">Notes</th>
              </tr>
            </thead>
            <tbody>
              {analyses.map((a) => (
                <tr key={a.id} className={`clickable${a.id === selectedId ? ' current' : ''}`} onClick={() => onSelect(a.id)} data-version={a.analysis_version} data-testid="version-row">
                  <td className="pick" onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" checked={picked.includes(a.id)} onChange={() => toggle(a.id)} aria-label={`Compare version ${a.analysis_version}`} />
                  </td>
                  <td className="num">{a.analysis_version}</td>
                  <td className="tnum">{a.period_end}</td>
                  <td>
                    <span className="rating-chip">{a.final_rating.toUpperCase()}</span>
                    {a.rating_override && (
                      <span className="faint" title={`Model: ${a.model_rating.toUpperCase()}. Override: ${a.override_reason ?? ''}`}>
                        {' '}
                        override
                      </span>
                    )}
                  </td>
                  <td className="num">{a.weightedScore === null ? '—' : fmtNumber(a.weightedScore, 2)}</td>
                  <td className="tnum muted">{fmtInstant(a.created_at)}</td>
                  <td className="muted">{a.created_by}</td>
                  <td className={`num${a.commentCount ? '' : ' zero'}`}>{a.commentCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {comparing && <VersionDiff ids={comparing} currency={currency} onClose={() => setComparing(null)} />}
    </section>
  );
}

function VersionDiff({ ids, currency, onClose }: { ids: [string, string]; currency: string; onClose: () => void }) {
  const [data, setData] = useState<[CreditAnalysisView, CreditAnalysisView] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [onlyChanged, setOnlyChanged] = useState(false);
  useEffect(() => {
    let live = true;
    Promise.all(ids.map((analysisId) => api().creditAnalysis({ analysisId }))).then(
      ([a, b]) => live && setData([a!, b!]),
      (e: unknown) => live && setError(toApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [ids]);

  const lines = useMemo<DiffLine[]>(() => {
    if (!data) return [];
    const side = (v: CreditAnalysisView) => ({ ...v, inputs: { statement: v.inputs.statement, covenants: v.inputs.covenants }, outputs: { ...v.outputs, scorecard: v.scorecard } });
    return diffVersions(side(data[0]), side(data[1]), (c) => (c === null ? '—' : `${currency} ${fmtAmount(c)}`));
  }, [data, currency]);
  const shown = onlyChanged ? lines.filter((l) => l.changed) : lines;
  const changed = lines.filter((l) => l.changed).length;

  return (
    <Modal title={data ? `Version ${data[0].analysis_version} vs version ${data[1].analysis_version}` : 'Comparing versions…'} onClose={onClose} wide labelledBy="diff-title">
      {error ? (
        <ErrorState error={error} what="The versions could not be loaded" />
      ) : !data ? (
        <Skeleton height={240} />
      ) : (
        <div data-testid="version-diff">
          <div className="toolbar" style={{ padding: '0 0 8px', borderBottom: 0 }}>
            <span className="count" data-testid="diff-summary">
              {changed} field{changed === 1 ? '' : 's'} changed of {lines.length}
            </span>
            <span className="spacer" />
            <label className="credit-check">
              <input type="checkbox" checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)} /> Only changes
            </label>
          </div>
          <div style={{ maxHeight: '62vh', overflow: 'auto' }}>
            <table className="data diff">
              <thead>
                <tr>
                  <th style={{ width: '26%' }}>Field</th>
                  <th>Version {data[0].analysis_version}</th>
                  <th>Version {data[1].analysis_version}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((l, i) => (
                  <DiffRow key={i} line={l} sectionStart={i === 0 || shown[i - 1]!.section !== l.section} />
                ))}
              </tbody>
            </table>
          </div>
          <p className="faint" style={{ margin: '8px 0 0', fontSize: 'var(--fs-sm)' }}>
            PD {fmtPct(data[0].scorecard.final_pd, 2)} → {fmtPct(data[1].scorecard.final_pd, 2)}. Each version keeps the inputs it was computed from, so later edits to the financials do not change it.
          </p>
        </div>
      )}
    </Modal>
  );
}

function DiffRow({ line, sectionStart }: { line: DiffLine; sectionStart: boolean }) {
  return (
    <>
      {sectionStart && (
        <tr className="section">
          <td colSpan={3}>{line.section}</td>
        </tr>
      )}
      <tr className={line.changed ? 'changed' : undefined} data-testid="diff-line" data-changed={line.changed} data-label={line.label}>
        <td>{line.label}</td>
        <td className="diff-cell">{line.left}</td>
        <td className="diff-cell">{line.right}</td>
      </tr>
    </>
  );
}
