/** An amount field: accepts "2,500,000", "2.5m", "750k"; shows the parsed value in the fund's currency. */
import { useId } from 'react';
import { fmtAmount, fmtMoney, parseAmountInput } from '../lib/format';

export function MoneyInput({
  label,
  value,
  onChange,
  currency,
  hint,
  error,
  testId,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange: (text: string, cents: number | null) => void;
  currency: string;
  hint?: string;
  error?: string | null;
  testId?: string;
  autoFocus?: boolean;
}) {
  const id = useId();
  const cents = value.trim() ? parseAmountInput(value) : null;
  const invalid = value.trim() !== '' && (cents === null || cents <= 0);
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {currency ? ` (${currency})` : ''}
      </label>
      <input
        id={id}
        className="input num"
        inputMode="decimal"
        autoComplete="off"
        value={value}
        autoFocus={autoFocus}
        aria-invalid={invalid || !!error}
        onChange={(e) => onChange(e.target.value, e.target.value.trim() ? parseAmountInput(e.target.value) : null)}
        data-testid={testId}
      />
      {invalid ? (
        <span className="error">Enter a positive amount with at most two decimals, such as 2,500,000.00 or 2.5m.</span>
      ) : error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : (
        <span className="hint tnum">{cents !== null ? (currency ? fmtMoney(cents, currency) : fmtAmount(cents)) : (hint ?? 'e.g. 2,500,000 or 2.5m')}</span>
      )}
    </div>
  );
}
