/**
 * `meridian import financials FILE` (issue 7; docs/credit.md §9.4).
 *
 * Header: borrower_id, period_end, optionally period_type (FY, Q or LTM;
 * default FY) and currency (default USD), then every statement figure in
 * snake_case (shared/domain/credit.ts creditFiguresShape), in any order.
 * Amounts as in every import (plain decimals, '.' separator, at most two
 * decimals) in major units; collateral_value may be empty (not appraised);
 * floating_rate_share is a fraction 0..1.
 *
 * Like the other imports (electron/core/imports): the same CSV reader and
 * cell rules, every problem with its line, column and code, nothing written
 * when a row is bad unless `skipInvalid`, and a re-import of the same file
 * changes nothing. Unlike them, statements are written through the
 * importFinancialStatements mutation (outbox, undo log), so they sync to
 * the server like any edit. Ids of new statements are derived from
 * (borrower, period end, period type), so two laptops importing the same
 * file create the same records.
 */
import fs from 'node:fs';
import type { LocalDatabase } from '../../../db/sqlite/open';
import { CREDIT_FIGURE_FIELDS, PERIOD_TYPES, type CreditFigures, type FinancialStatementRow, type PeriodType } from '../../../shared/domain/credit';
import { MeridianError, type Problem } from '../../../shared/errors';
import { centsField, currencyField, dateField, enumField, FieldError, idField, type FieldSpec } from '../../../shared/imports/formats';
import type { Actor } from '../../../shared/mutators';
import { MAX_STATEMENTS_PER_IMPORT } from '../../../shared/mutators/credit-args';
import { restoreCell } from '../exports/csv-safe';
import { CsvSyntaxError, readCsvRecords } from '../imports/csv-records';
import { derivedUuid } from '../imports/import-csv';
import { applyLocalMutation } from '../local-mutations';

export const FINANCIALS_DEFAULT_CURRENCY = 'USD';
export const FINANCIALS_DEFAULT_PERIOD_TYPE: PeriodType = 'FY';

/** The full header, in the order our files use. */
export const FINANCIALS_HEADER = ['borrower_id', 'period_end', 'period_type', 'currency', ...CREDIT_FIGURE_FIELDS] as const;
const OPTIONAL = new Set(['period_type', 'currency']);

const SIGNED = new Set(['revenue', 'ebitda', 'ebit', 'ebita', 'cash_taxes']);

function shareField(): FieldSpec<number> {
  return {
    parse: (text) => {
      if (text.length === 0) return new FieldError('INVALID_INPUT', 'is required');
      if (!/^\d+(\.\d+)?$/.test(text)) return new FieldError('INVALID_INPUT', `"${text}" is not a fraction such as 0.75`);
      const n = Number(text);
      return n <= 1 ? n : new FieldError('INVALID_INPUT', `${text} must be between 0 and 1 (a fraction: 0.75 = 75 %)`);
    },
  };
}

function optionalCents(): FieldSpec<number | null> {
  const inner = centsField('nonNegative');
  return { parse: (text) => (text.length === 0 ? null : inner.parse(text)) };
}

const FIELDS: Record<string, FieldSpec<unknown>> = {
  borrower_id: idField('deal'),
  period_end: dateField(),
  period_type: enumField<PeriodType>(PERIOD_TYPES),
  currency: currencyField(),
  ...Object.fromEntries(
    CREDIT_FIGURE_FIELDS.map((f) => [
      f,
      f === 'floating_rate_share' ? shareField() : f === 'collateral_value' ? optionalCents() : centsField(SIGNED.has(f) ? 'any' : 'nonNegative'),
    ]),
  ),
};

export interface FinancialsImportOptions {
  actor: Actor;
  skipInvalid?: boolean;
  /** Stamped as the mutation instant (default: now). */
  now?: string;
}

export interface FinancialsImportReport {
  kind: 'financials';
  file: string;
  /** Data records in the file. */
  rows: number;
  /** Rows accepted (written or already stored with these values). */
  imported: number;
  skipped: number;
  /** Of `imported`, rows already stored with exactly these values (nothing written). */
  unchanged: number;
  /** Local mutations queued for sync (one per MAX_STATEMENTS_PER_IMPORT changed statements). */
  mutations: number;
  problems: Problem[];
}

interface Parsed {
  line: number;
  borrowerId: string;
  periodEnd: string;
  periodType: PeriodType;
  currency: string;
  figures: CreditFigures;
}

function headerError(found: string[], message: string, details: Record<string, unknown>): MeridianError {
  const full = `The header of a financials file must be "${FINANCIALS_HEADER.join(',')}" (period_type and currency optional, any order); found "${found.join(',')}": ${message}.`;
  return new MeridianError('CSV_HEADER_MISMATCH', full, details, [{ code: 'CSV_HEADER_MISMATCH', line: 1, message: full, details }]);
}

function matchHeader(record: readonly string[]): Map<string, number> {
  const found = record.map((c) => c.trim());
  const missing = FINANCIALS_HEADER.filter((c) => !OPTIONAL.has(c) && !found.includes(c));
  const unexpected = found.filter((c) => !(FINANCIALS_HEADER as readonly string[]).includes(c));
  const repeated = found.filter((c, i) => found.indexOf(c) !== i);
  if (missing.length || unexpected.length || repeated.length) {
    const parts = [missing.length ? `missing ${missing.join(', ')}` : '', unexpected.length ? `unexpected ${unexpected.map((c) => JSON.stringify(c)).join(', ')}` : '', repeated.length ? `repeated ${repeated.join(', ')}` : ''];
    throw headerError(found, parts.filter(Boolean).join('; '), { missing, unexpected, repeated, found });
  }
  return new Map(found.map((c, i) => [c, i]));
}

function sameAsStored(row: FinancialStatementRow | undefined, p: Parsed): boolean {
  return row !== undefined && row.deleted_at === null && row.currency === p.currency && CREDIT_FIGURE_FIELDS.every((f) => row[f] === p.figures[f]);
}

/**
 * Imports a financials CSV file into the local profile through the outbox.
 * Throws MeridianError: NOT_FOUND (no file), CSV_HEADER_MISMATCH,
 * CSV_PARSE_ERROR, INVALID_INPUT (bad rows without skipInvalid; `problems`
 * lists every one). After a throw nothing was written.
 */
export async function importFinancials(db: LocalDatabase, file: string, opts: FinancialsImportOptions): Promise<FinancialsImportReport> {
  try {
    if (!(await fs.promises.stat(file)).isFile()) throw new Error('not a file');
  } catch {
    throw new MeridianError('NOT_FOUND', `File ${file} does not exist or is not a file.`, { file });
  }
  const raw = db.raw;
  const dealExists = raw.prepare<[string], { one: number }>('SELECT 1 AS one FROM deal WHERE id = ? AND deleted_at IS NULL');
  const storedRow = raw.prepare<[string, string, string], FinancialStatementRow>(
    'SELECT * FROM financial_statement WHERE borrower_id = ? AND period_end = ? AND period_type = ?',
  );
  const problems: Problem[] = [];
  const accepted: Parsed[] = [];
  const seen = new Map<string, number>();
  let header: Map<string, number> | null = null;
  let width = 0;
  let rows = 0;
  let skipped = 0;

  try {
    for await (const { records, lines } of readCsvRecords(file)) {
      for (let k = 0; k < records.length; k++) {
        const record = records[k]!;
        const line = lines[k]!;
        if (record.length === 1 && record[0] === '') continue;
        if (header === null) {
          header = matchHeader(record);
          width = record.length;
          continue;
        }
        rows++;
        const bad = (p: Problem) => problems.push(p);
        const before = problems.length;
        if (record.length !== width) {
          bad({ code: 'INVALID_INPUT', line, message: `expected ${width} fields like the header, found ${record.length}`, details: { expected: width, found: record.length } });
          skipped++;
          continue;
        }
        const v: Record<string, unknown> = {};
        for (const [name, spec] of Object.entries(FIELDS)) {
          const at = header.get(name);
          if (at === undefined) continue;
          let text = record[at]!;
          if (text.startsWith("'")) text = restoreCell(text);
          const r = spec.parse(text.trim());
          if (r instanceof FieldError) bad({ code: r.code, path: name, line, message: `${name}: ${r.message}` });
          else v[name] = r;
        }
        if (problems.length === before) {
          const borrowerId = v.borrower_id as string;
          const periodType = (v.period_type as PeriodType | undefined) ?? FINANCIALS_DEFAULT_PERIOD_TYPE;
          const periodEnd = v.period_end as string;
          const figures = Object.fromEntries(CREDIT_FIGURE_FIELDS.map((f) => [f, v[f]])) as CreditFigures;
          if (!dealExists.get(borrowerId)) {
            bad({ code: 'NOT_FOUND', path: 'borrower_id', line, message: `borrower_id: deal "${borrowerId}" does not exist`, details: { entity: 'deal', id: borrowerId } });
          }
          if (figures.senior_debt > figures.total_debt) {
            bad({ code: 'INVALID_INPUT', path: 'senior_debt', line, message: 'senior_debt: must not exceed total_debt', details: { senior_debt: figures.senior_debt, total_debt: figures.total_debt } });
          }
          const key = `${borrowerId}\u0000${periodEnd}\u0000${periodType}`;
          const first = seen.get(key);
          if (first !== undefined) {
            bad({ code: 'DUPLICATE', path: 'period_end', line, message: `period_end: the ${periodType} statement of "${borrowerId}" for ${periodEnd} already appears on line ${first}`, details: { firstLine: first } });
          } else {
            seen.set(key, line);
          }
          if (problems.length === before) {
            accepted.push({ line, borrowerId, periodEnd, periodType, currency: (v.currency as string | undefined) ?? FINANCIALS_DEFAULT_CURRENCY, figures });
          }
        }
        if (problems.length > before) skipped++;
      }
    }
  } catch (e) {
    if (e instanceof CsvSyntaxError) {
      const message = `The file is not valid CSV at line ${e.line}: ${e.message}.`;
      throw new MeridianError('CSV_PARSE_ERROR', message, { line: e.line }, [...problems, { code: 'CSV_PARSE_ERROR', line: e.line, message }]);
    }
    throw e;
  }
  if (header === null) {
    const message = `The financials file is empty; its first line must be the header "${FINANCIALS_HEADER.join(',')}".`;
    throw new MeridianError('CSV_HEADER_MISMATCH', message, { found: [] }, [{ code: 'CSV_HEADER_MISMATCH', line: 1, message }]);
  }
  if (skipped > 0 && !opts.skipInvalid) {
    const first = problems[0]!;
    throw new MeridianError(
      'INVALID_INPUT',
      `${skipped} of ${rows} rows of ${file} are invalid; nothing was imported. First: line ${first.line}, ${first.message}`,
      { kind: 'financials', file, rows, invalid: skipped },
      problems,
    );
  }

  const changed = accepted.filter((p) => !sameAsStored(storedRow.get(p.borrowerId, p.periodEnd, p.periodType), p));
  let mutations = 0;
  for (let i = 0; i < changed.length; i += MAX_STATEMENTS_PER_IMPORT) {
    const statements = changed.slice(i, i + MAX_STATEMENTS_PER_IMPORT).map((p) => ({
      id: derivedUuid('financial_statement', [p.borrowerId, p.periodEnd, p.periodType]),
      borrowerId: p.borrowerId,
      periodEnd: p.periodEnd,
      periodType: p.periodType,
      currency: p.currency,
      figures: p.figures,
    }));
    await applyLocalMutation(db, opts.actor, 'importFinancialStatements', { statements }, opts.now);
    mutations++;
  }
  return { kind: 'financials', file, rows, imported: accepted.length, skipped, unchanged: accepted.length - changed.length, mutations, problems };
}
