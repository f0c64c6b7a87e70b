/**
 * Streams the records of a CSV file (RFC 4180: comma, double quotes, "" for
 * a quote inside a quoted field, LF or CRLF (or classic-Mac CR) line ends,
 * optional UTF-8 BOM), in batches, each record with the line it starts on
 * (line 1 = the first line of the file).
 *
 * Two readers give the same records (tests/unit/imports/csv-records.test.ts
 * compares them on generated files):
 *
 * - 'fast' (default): the file is read in 64 KiB chunks. A chunk (more
 *   exactly, its complete records) that contains no double quote at all is
 *   split on line ends and commas directly; with no quotes there is nothing
 *   else RFC 4180 could mean. Any chunk with a quote goes, whole, through
 *   csv-parse, which does all quote handling and reports malformed quoting.
 *   Measured on 1,000,000 allocation rows, csv-parse's streaming parser
 *   alone costs 60–70 % of the CPU of the raw SQLite insert of the same rows,
 *   leaving an import no margin above half the insert speed; plain splitting
 *   is about seven times cheaper (docs/imports-exports.md §6, §8).
 * - 'csv-parse': csv-parse's streaming parser for every byte (a reference
 *   and a fallback).
 *
 * Blank lines come out as `['']` (the caller skips them). A record longer
 * than `maxRecordChars` (default 1 MiB; usually an unclosed quote) stops the
 * read with a CsvSyntaxError rather than buffering the rest of the file.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';

export type CsvReaderMode = 'fast' | 'csv-parse';

export interface CsvBatch {
  records: string[][];
  /** lines[i] is the line record i starts on. */
  lines: number[];
}

export interface CsvReadOptions {
  mode?: CsvReaderMode;
  maxRecordChars?: number;
  /** Read size; default 64 KiB (tests use tiny ones to cross every boundary). */
  chunkBytes?: number;
}

/** Malformed CSV: where and what (csvCode is csv-parse's error code, or CSV_RECORD_TOO_LONG). */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly csvCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export const DEFAULT_MAX_RECORD_CHARS = 1 << 20;
/** Small enough that one chunk's records die young (in V8's new space) once validated. */
const CHUNK_BYTES = 64 << 10;
const BATCH_RECORDS = 1024;

/** Line breaks inside a record's (quoted) cells; CRLF counts once. */
export function lineBreaksIn(record: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < record.length; i++) {
    const f = record[i]!;
    if (f.length === 0 || (f.indexOf('\n') === -1 && f.indexOf('\r') === -1)) continue;
    for (let j = 0; j < f.length; j++) {
      const c = f.charCodeAt(j);
      if (c === 10) n++;
      else if (c === 13) {
        n++;
        if (f.charCodeAt(j + 1) === 10) j++;
      }
    }
  }
  return n;
}

function describe(e: CsvError): string {
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed';
    case 'INVALID_OPENING_QUOTE':
      return 'a double quote appears inside a field that does not start with one (quote the whole field and double the quote)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing double quote is followed by something other than a comma or a line end';
    case 'CSV_MAX_RECORD_SIZE':
      return 'a record is too long (is a quote not closed?)';
    default:
      return e.message;
  }
}

function tooLong(line: number, max: number): CsvSyntaxError {
  return new CsvSyntaxError(line, 'CSV_RECORD_TOO_LONG', `the record starting at line ${line} is longer than ${max} characters (is a quote not closed?)`);
}

/** Reads `file` record by record, in batches. Throws CsvSyntaxError on malformed CSV. */
export function readCsvRecords(file: string, opts: CsvReadOptions = {}): AsyncGenerator<CsvBatch> {
  const max = opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  const chunk = opts.chunkBytes ?? CHUNK_BYTES;
  return opts.mode === 'csv-parse' ? csvParseRecords(file, max, chunk) : fastRecords(file, max, chunk);
}

/* ------------------------------------------------------------- 'csv-parse' */

async function* csvParseRecords(file: string, max: number, chunkBytes: number): AsyncGenerator<CsvBatch> {
  const source = fs.createReadStream(file, { highWaterMark: chunkBytes });
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, max_record_size: max });
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  let line = 1;
  let records: string[][] = [];
  let lines: number[] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      records.push(record);
      lines.push(line);
      line += 1 + lineBreaksIn(record);
      if (records.length === BATCH_RECORDS) {
        yield { records, lines };
        records = [];
        lines = [];
      }
    }
  } catch (e) {
    if (e instanceof CsvError) throw new CsvSyntaxError(typeof e.lines === 'number' ? e.lines : line, e.code, describe(e));
    throw e;
  } finally {
    source.destroy();
    parser.destroy();
  }
  if (records.length) yield { records, lines };
}

/* ------------------------------------------------------------------ 'fast' */

/** 'LF' covers LF and CRLF files (a CR before the LF is dropped); 'CR' is classic Mac. */
type LineEnds = 'LF' | 'CR';

function detectLineEnds(text: string, final: boolean): LineEnds | null {
  const n = text.indexOf('\n');
  const r = text.indexOf('\r');
  if (r === -1) return n === -1 && !final ? null : 'LF';
  if (n !== -1 && n < r) return 'LF';
  if (r + 1 < text.length) return text.charCodeAt(r + 1) === 10 ? 'LF' : 'CR';
  return final ? 'CR' : null;
}

/** Index just after the last line end that is outside quotes (0 when there is none). */
function lastRecordBoundary(text: string, delim: string): number {
  let last = 0;
  let nq = text.indexOf('"');
  let nd = text.indexOf(delim);
  let inQuotes = false;
  for (;;) {
    if (inQuotes) {
      if (nq === -1) break;
      const pos = nq + 1;
      inQuotes = false;
      nq = text.indexOf('"', pos);
      if (nd !== -1 && nd < pos) nd = text.indexOf(delim, pos);
    } else if (nd !== -1 && (nq === -1 || nd < nq)) {
      last = nd + 1;
      nd = text.indexOf(delim, last);
    } else if (nq !== -1) {
      const pos = nq + 1;
      inQuotes = true;
      nq = text.indexOf('"', pos);
    } else {
      break;
    }
  }
  return last;
}

/** Occurrences of `ch` in text[0, end). */
function countOf(text: string, ch: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1 && i < end; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

class Splitter {
  /** Start line of the next record. */
  line = 1;
  private ends: LineEnds | null = null;

  constructor(private readonly max: number) {}

  /**
   * Splits the complete records at the start of `text` (all of it when
   * `final`); returns them and the unfinished rest.
   */
  split(text: string, final: boolean): { batch: CsvBatch; rest: string } {
    const records: string[][] = [];
    const lines: number[] = [];
    const batch = { records, lines };
    this.ends ??= detectLineEnds(text, final);
    if (this.ends === null) return { batch, rest: this.check(text) };
    const delim = this.ends === 'CR' ? '\r' : '\n';
    const crlf = this.ends === 'LF';

    if (text.indexOf('"') === -1) {
      let pos = 0;
      for (;;) {
        let nl = text.indexOf(delim, pos);
        if (nl === -1) {
          if (!final || pos >= text.length) break;
          nl = text.length;
        }
        const end = crlf && nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        records.push(text.slice(pos, end).split(','));
        lines.push(this.line++);
        pos = nl + 1;
      }
      return { batch, rest: this.check(pos >= text.length ? '' : text.slice(pos)) };
    }

    const boundary = final ? text.length : lastRecordBoundary(text, delim);
    if (boundary === 0) return { batch, rest: this.check(text) };
    const part = boundary === text.length ? text : text.slice(0, boundary);
    let parsed: string[][];
    try {
      parsed = parseSync(part, {
        bom: false,
        relax_column_count: true,
        skip_empty_lines: false,
        record_delimiter: crlf ? ['\r\n', '\n'] : ['\r'],
        max_record_size: this.max,
      }) as string[][];
    } catch (e) {
      if (e instanceof CsvError) {
        let line = this.line + (typeof e.lines === 'number' ? e.lines : 1) - 1;
        // csv-parse reports an unclosed quote where the file ends: name the line the record starts on instead.
        if (e.code === 'CSV_QUOTE_NOT_CLOSED') line = this.line + countOf(part, delim, lastRecordBoundary(part, delim));
        throw new CsvSyntaxError(line, e.code, describe(e));
      }
      throw e;
    }
    for (const r of parsed) {
      records.push(r);
      lines.push(this.line);
      this.line += 1 + lineBreaksIn(r);
    }
    return { batch, rest: this.check(boundary === text.length ? '' : text.slice(boundary)) };
  }

  private check(rest: string): string {
    if (rest.length > this.max) throw tooLong(this.line, this.max);
    return rest;
  }
}

async function* fastRecords(file: string, max: number, chunkBytes: number): AsyncGenerator<CsvBatch> {
  const source = fs.createReadStream(file, { highWaterMark: chunkBytes });
  const decoder = new StringDecoder('utf8');
  const splitter = new Splitter(max);
  let carry = '';
  let start = true;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      let text = carry + decoder.write(chunk);
      if (start && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        start = false;
      }
      const { batch, rest } = splitter.split(text, false);
      carry = rest;
      if (batch.records.length) yield batch;
    }
    let text = carry + decoder.end();
    if (start && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length) {
      const { batch } = splitter.split(text, true);
      if (batch.records.length) yield batch;
    }
  } finally {
    source.destroy();
  }
}
