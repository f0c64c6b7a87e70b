/**
 * CLI output conventions: --json prints camelCase keys, money as decimal
 * strings with two decimals ("1208053.71"), ratios as numbers and null where
 * a value is undefined. Problems go to stderr, one line each, with the code.
 */
import { formatCents } from '../../../shared/money';
import type { Problem } from '../../../shared/errors';

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Recursively camelCases keys and formats the named money keys (matched after camelCasing). */
export function toJson(value: unknown, moneyKeys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => toJson(v, moneyKeys));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = camel(k);
      out[key] = moneyKeys.has(key) && typeof v === 'number' ? formatCents(v) : toJson(v, moneyKeys);
    }
    return out;
  }
  return value === undefined ? null : value;
}

export function printJson(value: unknown, moneyKeys: ReadonlySet<string>): void {
  process.stdout.write(`${JSON.stringify(toJson(value, moneyKeys), null, 2)}\n`);
}

export function problemLine(p: Problem): string {
  const where = p.line !== undefined ? [`line ${p.line}`, p.path ? `column ${p.path}` : ''].filter(Boolean).join(', ') : p.path ? `field ${p.path}` : '';
  return `${p.code}${where ? ` (${where})` : ''}: ${p.message}`;
}

/** A plain aligned table for terminals. */
export function table(rows: Record<string, string>[], columns: string[]): string {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = /^-?(?:[A-Z]{3} )?-?[\d,]+(?:\.\d+)?[%x]?$/;
  const line = (cells: string[]) => cells.map((c, i) => (numeric.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n');
}

export const pct = (r: number | null, digits = 2) => (r === null ? 'n/a' : `${(r * 100).toFixed(digits)}%`);
export const multiple = (r: number | null) => (r === null ? 'n/a' : `${r.toFixed(2)}x`);
