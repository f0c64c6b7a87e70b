/** "Save version": the recommendation, and an optional rating override that needs a reason. */
import { useState } from 'react';
import type { CovenantRow, ScorecardMethodology, ScorecardResult } from '../../../../shared/domain/credit';
import { toApiError, type ApiError } from '../../bridge/api';
import { Modal } from '../../components/ui';
import { fmtNumber, fmtPct } from '../../lib/format';
import { saveAnalysisVersion } from './credit-mutations';
import type { AnnualPeriod } from './model';

export function SaveVersion({
  borrowerId,
  period,
  covenants,
  scorecard,
  methodology,
  nextVersion,
  onClose,
  onSaved,
}: {
  borrowerId: string;
  period: AnnualPeriod;
  covenants: CovenantRow[];
  scorecard: ScorecardResult;
  methodology: ScorecardMethodology;
  nextVersion: number;
  onClose: () => void;
  onSaved: (id: string) => void;
}) {
  const [recommendation, setRecommendation] = useState('');
  const [override, setOverride] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const overriding = override !== '' && override !== scorecard.model_rating;
  const missingReason = overriding && reason.trim() === '';
  const grade = methodology.rating_scale.find((g) => g.grade === (overriding ? override : scorecard.model_rating));

  const save = async () => {
    if (missingReason || !recommendation.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const { id } = await saveAnalysisVersion({
        borrowerId,
        period,
        covenants,
        methodology,
        recommendation: recommendation.trim(),
        override: overriding ? { rating: override, reason: reason.trim() } : null,
      });
      onSaved(id);
    } catch (e) {
      setError(toApiError(e));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`Save analysis version ${nextVersion}`}
      onClose={onClose}
      labelledBy="save-version-title"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" onClick={() => void save()} disabled={busy || missingReason || !recommendation.trim()} data-testid="save-version-confirm">
            {busy ? 'Saving…' : `Save version ${nextVersion}`}
          </button>
        </>
      }
    >
      <div className="form-grid">
        <div className="field wide">
          <span className="label">Basis</span>
          <span>
            {period.label} · model rating <b>{scorecard.model_rating.toUpperCase()}</b> (score {fmtNumber(scorecard.weighted_score, 2)}, PD {fmtPct(scorecard.model_pd, 2)})
          </span>
        </div>
        <div className="field wide">
          <label htmlFor="rec">Recommendation</label>
          <textarea
            id="rec"
            className="input"
            value={recommendation}
            onChange={(e) => setRecommendation(e.target.value)}
            maxLength={20_000}
            placeholder="e.g. Maintain exposure; watch the leverage covenant step-down in Q3."
            data-testid="recommendation-input"
          />
        </div>
        <div className="field">
          <label htmlFor="ovr">Rating override (optional)</label>
          <select id="ovr" className="select" value={override} onChange={(e) => setOverride(e.target.value)} data-testid="override-select">
            <option value="">None — use the model rating ({scorecard.model_rating.toUpperCase()})</option>
            {methodology.rating_scale
              .filter((g) => g.grade !== scorecard.model_rating)
              .map((g) => (
                <option key={g.grade} value={g.grade}>
                  {g.grade.toUpperCase()} — {g.description}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="why">Reason for the override</label>
          <input
            id="why"
            className="input"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            disabled={!overriding}
            aria-invalid={missingReason}
            placeholder={overriding ? 'Required with an override' : 'Only with an override'}
            data-testid="override-reason"
          />
          {missingReason && <span className="error">An override needs a reason.</span>}
        </div>
        <div className="field wide">
          <span className="hint">
            Final rating <b>{(overriding ? override : scorecard.model_rating).toUpperCase()}</b>
            {grade ? `, one-year PD ${fmtPct(grade.pd, 2)}` : ''}. The version freezes today’s figures, covenants and methodology; it is never edited afterwards.
          </span>
        </div>
        {error && (
          <div className="note error wide" role="alert" data-testid="save-version-error">
            {error.message}
          </div>
        )}
      </div>
    </Modal>
  );
}
