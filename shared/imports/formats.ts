/**
 * CSV import formats (docs/imports-exports.md). For each kind: the exact
 * header, how each column's text becomes a typed value, and a zod schema
 * that turns one CSV record (column name → text) into typed values.
 *
 * The rules for a column live in ONE place: its FieldSpec.parse. The zod
 * schemas below call it, and so does the importer's hot path (which calls
 * the same parse functions directly, without zod's per-row overhead).
 *
 * Pure: zod and shared/ only.
 */
import { z } from 'zod';
import { isBusinessDate } from '../dates';
import {
  ALLOCATION_STATUSES,
  dealRow,
  fundRow,
  indexLevelRow,
  investorRow,
  SECURITY_TYPES,
  type AllocationStatus,
  type SecurityType,
} from '../domain/entities';
import { currencySchema, idSchema } from '../domain/primitives';
import type { ErrorCode } from '../errors';
import { tryParseCents, type Cents } from '../money';

import { IMPORT_KINDS, type ImportKind } from './kinds';

export { IMPORT_KINDS, type ImportKind };

export function isImportKind(s: string): s is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(s);
}

/** Why one cell was refused: a stable code and a message that does not repeat the column name. */
export class FieldError {
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
  ) {}
}

/** Entities a column can refer to; the importer checks that the row exists (and is not deleted). */
export type RefEntity = 'fund' | 'deal' | 'investor';

export interface FieldSpec<T> {
  /**
   * Turns the cell's text (already trimmed, never undefined) into a value,
   * or a FieldError. Must be pure and deterministic: the importer may
   * memoise it for columns marked `repetitive`.
   */
  parse(text: string): T | FieldError;
  /** The column names another record by id. */
  ref?: RefEntity;
  /** Few distinct values repeat over many rows (dates, enums, references): worth memoising. */
  repetitive?: boolean;
}

const REQUIRED = new FieldError('INVALID_INPUT', 'is required');

function lengthLimits(schema: z.ZodString): { min: number; max: number } {
  return { min: schema.minLength ?? 0, max: schema.maxLength ?? Number.MAX_SAFE_INTEGER };
}

/** An identifier chosen by the file (or a reference to one): idSchema's length limits. */
export function idField(ref?: RefEntity): FieldSpec<string> {
  const { max } = lengthLimits(idSchema);
  const tooLong = new FieldError('INVALID_INPUT', `must be at most ${max} characters`);
  return {
    ref,
    parse: (text) => (text.length === 0 ? REQUIRED : text.length > max ? tooLong : text),
  };
}

/** Free text whose length limits come from the entity's row schema. */
export function textField(schema: z.ZodString): FieldSpec<string> {
  const { min, max } = lengthLimits(schema);
  const tooLong = new FieldError('INVALID_INPUT', `must be at most ${max} characters`);
  return {
    parse: (text) => (text.length < min ? REQUIRED : text.length > max ? tooLong : text),
  };
}

/** ISO 4217 currency code (currencySchema). */
export function currencyField(): FieldSpec<string> {
  return {
    repetitive: true,
    parse: (text) => {
      if (text.length === 0) return REQUIRED;
      const r = currencySchema.safeParse(text);
      return r.success ? r.data : new FieldError('INVALID_INPUT', `"${text}" ${r.error.issues[0]?.message ?? 'is not a currency code'}`);
    },
  };
}

/** A whole number within the limits of a zod number schema (e.g. fundRow.vintage). */
export function intField(schema: z.ZodNumber): FieldSpec<number> {
  const min = schema.minValue ?? Number.MIN_SAFE_INTEGER;
  const max = schema.maxValue ?? Number.MAX_SAFE_INTEGER;
  return {
    repetitive: true,
    parse: (text) => {
      if (text.length === 0) return REQUIRED;
      if (!/^-?\d{1,15}$/.test(text)) return new FieldError('INVALID_INPUT', `"${text}" is not a whole number`);
      const n = Number(text);
      return n < min || n > max ? new FieldError('INVALID_INPUT', `${n} is outside ${min}–${max}`) : n;
    },
  };
}

export type CentsSign = 'any' | 'nonNegative' | 'positive';

/** An amount: plain decimal, at most two decimals, '.' separator, no grouping; becomes integer cents (no float). */
export function centsField(sign: CentsSign): FieldSpec<Cents> {
  const negative = new FieldError('INVALID_AMOUNT', 'must not be negative');
  const notPositive = new FieldError('INVALID_AMOUNT', 'must be greater than zero');
  return {
    parse: (text) => {
      if (text.length === 0) return REQUIRED;
      const c = tryParseCents(text);
      if (c === null) {
        return new FieldError('INVALID_AMOUNT', `"${text}" is not an amount with at most two decimals and '.' as separator (e.g. 1250000.00)`);
      }
      if (sign === 'positive' && c <= 0) return notPositive;
      if (sign === 'nonNegative' && c < 0) return negative;
      return c === 0 ? 0 : c; // never -0
    },
  };
}

/** A business date YYYY-MM-DD that exists in the calendar. */
export function dateField(): FieldSpec<string> {
  return {
    repetitive: true,
    parse: (text) => {
      if (text.length === 0) return REQUIRED;
      return isBusinessDate(text) ? text : new FieldError('INVALID_DATE', `"${text}" is not a valid date YYYY-MM-DD`);
    },
  };
}

/** One of a fixed list of values; returns the canonical (shared) string. */
export function enumField<const V extends string>(values: readonly V[]): FieldSpec<V> {
  const set = new Map<string, V>(values.map((v) => [v, v]));
  const list = values.join(', ');
  return {
    parse: (text) => {
      if (text.length === 0) return REQUIRED;
      return set.get(text) ?? new FieldError('INVALID_INPUT', `"${text}" is not one of ${list}`);
    },
  };
}

/** A positive decimal index level (a ratio, not money: a float is fine). */
export function levelField(schema: z.ZodNumber): FieldSpec<number> {
  return {
    parse: (text) => {
      if (text.length === 0) return REQUIRED;
      if (!/^\d+(\.\d+)?$/.test(text)) return new FieldError('INVALID_INPUT', `"${text}" is not a decimal number such as 4521.37`);
      const n = Number(text);
      const r = schema.safeParse(n);
      return r.success && Number.isFinite(n) ? n : new FieldError('INVALID_INPUT', `${text} must be greater than zero`);
    },
  };
}

export const CASHFLOW_TYPES = ['contribution', 'distribution'] as const;
export type CashflowType = (typeof CASHFLOW_TYPES)[number];

/** Column specs per kind, in header order. */
export const IMPORT_FIELDS = {
  funds: {
    id: idField(),
    name: textField(fundRow.shape.name),
    currency: currencyField(),
    vintage: intField(fundRow.shape.vintage),
    size: centsField('nonNegative'),
  },
  deals: {
    id: idField(),
    name: textField(dealRow.shape.name),
    sector: textField(dealRow.shape.sector),
    country: textField(dealRow.shape.country),
    stage: textField(dealRow.shape.stage),
  },
  investors: {
    id: idField(),
    name: textField(investorRow.shape.name),
  },
  commitments: {
    investor_id: idField('investor'),
    fund_id: idField('fund'),
    amount: centsField('nonNegative'),
  },
  allocations: {
    id: idField(),
    fund_id: idField('fund'),
    deal_id: idField('deal'),
    security_type: enumField<SecurityType>(SECURITY_TYPES),
    amount: centsField('positive'),
    status: enumField<AllocationStatus>(ALLOCATION_STATUSES),
    date: dateField(),
  },
  cashflows: {
    fund_id: idField('fund'),
    date: dateField(),
    type: enumField<CashflowType>(CASHFLOW_TYPES),
    amount: centsField('positive'),
  },
  navs: {
    fund_id: idField('fund'),
    date: dateField(),
    nav: centsField('any'),
  },
  index: {
    index: textField(indexLevelRow.shape.index_name),
    date: dateField(),
    level: levelField(indexLevelRow.shape.level),
  },
} as const satisfies Record<ImportKind, Record<string, FieldSpec<unknown>>>;

type FieldsOf<K extends ImportKind> = (typeof IMPORT_FIELDS)[K];
/** The typed values of one record of kind K. */
export type ImportRecord<K extends ImportKind> = { [C in keyof FieldsOf<K>]: FieldsOf<K>[C] extends FieldSpec<infer T> ? T : never };

/**
 * Columns our own exports add beside the import columns (names beside ids,
 * the sync version). A file may carry them; the importer ignores them, so an
 * export imports back unchanged.
 */
export const IGNORED_COLUMNS: Readonly<Record<ImportKind, readonly string[]>> = {
  funds: ['version'],
  deals: ['version'],
  investors: ['version'],
  commitments: ['investor_name', 'fund_name', 'version'],
  allocations: ['fund_name', 'deal_name', 'version'],
  cashflows: ['fund_name'],
  navs: ['fund_name', 'version'],
  index: [],
};

/** The exact header of each kind (column order of the files we write; the importer accepts any order). */
export const IMPORT_HEADERS = Object.fromEntries(
  Object.entries(IMPORT_FIELDS).map(([k, fields]) => [k, Object.keys(fields)]),
) as unknown as { readonly [K in ImportKind]: readonly (keyof FieldsOf<K> & string)[] };

/** Column specs of a kind as an array in header order (for hot loops). */
export function fieldList(kind: ImportKind): { name: string; spec: FieldSpec<unknown> }[] {
  return Object.entries(IMPORT_FIELDS[kind]).map(([name, spec]) => ({ name, spec: spec as FieldSpec<unknown> }));
}

/** A zod schema for one column: text in, typed value out, same parse as the importer; the issue carries the code in params. */
export function fieldSchema<T>(spec: FieldSpec<T>) {
  return z.string().transform((text, ctx): T => {
    const v = spec.parse(text.trim());
    if (v instanceof FieldError) {
      ctx.addIssue({ code: 'custom', message: v.message, params: { code: v.code } });
      return z.NEVER;
    }
    return v;
  });
}

function recordSchema<K extends ImportKind>(kind: K): z.ZodType<ImportRecord<K>, Record<keyof FieldsOf<K>, string>> {
  const shape: Record<string, z.ZodType> = {};
  for (const { name, spec } of fieldList(kind)) shape[name] = fieldSchema(spec);
  // Unknown keys (e.g. fund_name in an exported file) are stripped.
  return z.object(shape) as unknown as z.ZodType<ImportRecord<K>, Record<keyof FieldsOf<K>, string>>;
}

/** kind → zod schema of one record (column name → text) producing typed values. */
export const IMPORT_SCHEMAS: { readonly [K in ImportKind]: z.ZodType<ImportRecord<K>, Record<keyof FieldsOf<K>, string>> } = {
  funds: recordSchema('funds'),
  deals: recordSchema('deals'),
  investors: recordSchema('investors'),
  commitments: recordSchema('commitments'),
  allocations: recordSchema('allocations'),
  cashflows: recordSchema('cashflows'),
  navs: recordSchema('navs'),
  index: recordSchema('index'),
};

/** Reads the stable code an import field schema put on a zod issue (INVALID_INPUT when absent). */
export function issueCode(issue: z.core.$ZodIssue): ErrorCode {
  const params = (issue as { params?: { code?: ErrorCode } }).params;
  return params?.code ?? 'INVALID_INPUT';
}

/** The tables each import kind writes to (for docs and the CLI). */
export const IMPORT_TABLES: Readonly<Record<ImportKind, readonly string[]>> = {
  funds: ['fund'],
  deals: ['deal'],
  investors: ['investor'],
  commitments: ['commitment'],
  allocations: ['allocation'],
  cashflows: ['contribution', 'distribution'],
  navs: ['nav_mark'],
  index: ['index_level'],
};
