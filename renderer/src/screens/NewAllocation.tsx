/** New allocation: the rules engine checks the amount as you type; only a clean allocation is saved. */
import { useEffect, useState } from 'react';
import { SECURITY_TYPES, type AllocationRow, type DealRow, type SecurityType } from '../../../shared/domain/entities';
import type { Problem } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { needsApproval } from '../../../shared/rules/engine';
import { useApp } from '../app/context';
import { api, toApiError } from '../bridge/api';
import { MoneyInput } from '../components/MoneyInput';
import { Modal } from '../components/ui';
import { fmtMoney, humanize } from '../lib/format';
import { mutate } from '../lib/mutate';

export function NewAllocation({ fundId, fundName, currency, deals, onClose, onCreated }: { fundId: string; fundName: string; currency: string; deals: readonly DealRow[]; onClose: () => void; onCreated: (row: AllocationRow) => void }) {
  const { session, rules, toast } = useApp();
  const [dealId, setDealId] = useState(deals[0]?.id ?? '');
  const [text, setText] = useState('');
  const [amount, setAmount] = useState<number | null>(null);
  const [securityType, setSecurityType] = useState<SecurityType>('common_equity');
  const [date, setDate] = useState(session?.today ?? '');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    setProblems([]);
    if (!dealId || amount === null || amount <= 0) return;
    let live = true;
    const t = setTimeout(() => {
      api()
        .checkAllocation({ fundId, dealId, amount })
        .then(
          (p) => live && setProblems(p),
          (e: unknown) => live && setProblems(toApiError(e).problems),
        );
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [fundId, dealId, amount]);

  const submit = async () => {
    if (!dealId || amount === null || amount <= 0) return;
    setSaving(true);
    try {
      const r = await mutate('createAllocation', { id: newId(), fundId, dealId, amount, securityType, date });
      const row = r.result as AllocationRow;
      onCreated(row);
      toast('ok', row.status === 'proposed' ? `Allocation of ${fmtMoney(amount, currency)} proposed — it needs a portfolio manager's approval.` : `Allocation of ${fmtMoney(amount, currency)} approved.`);
      onClose();
    } catch (e) {
      const err = toApiError(e);
      setProblems(err.problems.length ? err.problems : [{ code: err.code, message: err.message }]);
    } finally {
      setSaving(false);
    }
  };

  const ok = !!dealId && amount !== null && amount > 0 && problems.length === 0 && !!date;
  return (
    <Modal
      title={`New allocation — ${fundName}`}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" disabled={!ok || saving} onClick={submit} data-testid="create-allocation">
            {saving ? 'Saving…' : 'Create allocation'}
          </button>
        </>
      }
    >
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) void submit();
        }}
      >
        <div className="field wide">
          <label htmlFor="na-deal">Deal</label>
          <select id="na-deal" className="select" value={dealId} onChange={(e) => setDealId(e.target.value)}>
            {deals.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
                {d.sector ? ` — ${d.sector}` : ''}
              </option>
            ))}
          </select>
        </div>
        <MoneyInput label="Amount" value={text} currency={currency} onChange={(t, c) => (setText(t), setAmount(c))} testId="new-allocation-amount" autoFocus />
        <div className="field">
          <label htmlFor="na-sec">Security type</label>
          <select id="na-sec" className="select" value={securityType} onChange={(e) => setSecurityType(e.target.value as SecurityType)}>
            {SECURITY_TYPES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="na-date">Date</label>
          <input id="na-date" className="input" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </div>
        <div className="field">
          <span className="label">Approval</span>
          <span className="hint" style={{ paddingTop: 5 }}>
            {amount !== null && needsApproval(rules, amount)
              ? `Above ${fmtMoney(rules.approvalThreshold, currency)}: created as proposed, a portfolio manager approves it.`
              : `Up to ${fmtMoney(rules.approvalThreshold, currency)}: approved at once.`}
          </span>
        </div>
        {problems.length > 0 && (
          <div className="note error wide" role="alert" data-testid="new-allocation-problems">
            {problems.map((p, i) => (
              <div key={i}>{p.message}</div>
            ))}
          </div>
        )}
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}
