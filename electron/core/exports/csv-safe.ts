/**
 * CSV formula-injection defence (DESIGN §6, docs/imports-exports.md).
 *
 * A spreadsheet runs a cell as a formula when its text starts with `=`, `+`,
 * `-` or `@` (and some also after a leading tab or CR). Every TEXT cell we
 * export that could be read that way is prefixed with a single quote, which
 * spreadsheets show as text and never evaluate.
 *
 * Decisions:
 * - Numbers are never touched: a JS number, and a string that is a plain
 *   decimal number (`-12.50`, `1000`, `0.5`) stay as they are, so amounts
 *   stay numbers in the spreadsheet. A plain decimal cannot carry a formula.
 * - The rule is a bijection, so an export imports back exactly:
 *   neutralise prefixes `'` when the text matches /^'*[=+\-@\t\r]/, and
 *   restoreCell (used by the importer) removes one `'` when the text matches
 *   /^'+[=+\-@\t\r]/. A value that already starts with quotes followed by a
 *   trigger gets one more quote, so nothing is ambiguous.
 */

/** Characters that make a spreadsheet evaluate a cell when they come first. */
export const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'] as const;

const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
const NEEDS_QUOTE = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

export type CellValue = string | number | bigint | boolean | null | undefined;

/** The text to write for one cell, neutralised when a spreadsheet would run it. */
export function neutraliseCell(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  if (value.length === 0) return value;
  const c = value.charCodeAt(0);
  // Fast exit: only `'`, `=`, `+`, `-`, `@`, TAB and CR can start a dangerous cell.
  if (c !== 39 && c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return value;
  if (c === 45 && PLAIN_NUMBER.test(value)) return value;
  return NEEDS_QUOTE.test(value) ? `'${value}` : value;
}

/** Undoes neutraliseCell on a cell read back from a CSV file. */
export function restoreCell(text: string): string {
  return text.charCodeAt(0) === 39 && NEUTRALISED.test(text) ? text.slice(1) : text;
}
