import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvSyntaxError, lineBreaksIn, readCsvRecords, type CsvReadOptions } from '../../../electron/core/imports/csv-records';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

function write(text: string): string {
  const f = path.join(dir, `f${n++}.csv`);
  fs.writeFileSync(f, text);
  return f;
}

async function read(file: string, opts: CsvReadOptions = {}): Promise<{ records: string[][]; lines: number[] }> {
  const records: string[][] = [];
  const lines: number[] = [];
  for await (const b of readCsvRecords(file, opts)) {
    records.push(...b.records);
    lines.push(...b.lines);
  }
  return { records, lines };
}

/** RFC 4180 writer: quote a field when it holds a comma, quote, CR or LF. */
function toCsv(rows: string[][], eol: string, bom: boolean, trailingEol: boolean): string {
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return (bom ? '\uFEFF' : '') + rows.map((r) => r.map(cell).join(',')).join(eol) + (trailingEol ? eol : '');
}

function expectedLines(rows: string[][]): number[] {
  const out: number[] = [];
  let line = 1;
  for (const r of rows) {
    out.push(line);
    line += 1 + lineBreaksIn(r);
  }
  return out;
}

const field = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-zA-Z0-9 ._-]{0,8}$/) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom('a', ',', '"', '\n', '\r\n', ' ', 'é', '€', '😀', "'", '='), { maxLength: 6 }).map((a) => a.join('')) },
);
const table = fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 25 });

describe('readCsvRecords', () => {
  it('the fast reader and csv-parse read every generated RFC 4180 file alike, at any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(1, 2, 3, 5, 16, 1 << 20),
        async (body, eol, bom, trailing, chunkBytes) => {
          const rows = [['id', 'name'], ...body];
          const file = write(toCsv(rows, eol, bom, trailing));
          const fast = await read(file, { chunkBytes });
          const ref = await read(file, { mode: 'csv-parse', chunkBytes });
          expect(fast).toEqual(ref);
          expect(fast.records).toEqual(rows);
          expect(fast.lines).toEqual(expectedLines(rows));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads classic-Mac CR files, blank lines and a last line without a line end', async () => {
    const f = write('a,b\r1,2\r\r3,"x\ry"');
    for (const mode of ['fast', 'csv-parse'] as const) {
      expect(await read(f, { mode })).toEqual({ records: [['a', 'b'], ['1', '2'], [''], ['3', 'x\ry']], lines: [1, 2, 3, 4] });
    }
  });

  it('reports malformed quoting with the line', async () => {
    const cases: [string, number][] = [
      ['a,b\n1,2\n3,"never closed\n4,5\n', 3],
      ['a,b\n1,2\n3,4"x\n', 3],
      ['a,b\n"x"y,2\n', 2],
    ];
    for (const [text, line] of cases) {
      const e = await read(write(text)).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CsvSyntaxError);
      expect((e as CsvSyntaxError).line).toBe(line);
      await expect(read(write(text), { mode: 'csv-parse' })).rejects.toBeInstanceOf(CsvSyntaxError);
    }
  });

  it('stops at a record longer than the limit instead of buffering the file', async () => {
    const text = `a,b\n1,"${'x'.repeat(5000)}\n`.repeat(3);
    for (const mode of ['fast', 'csv-parse'] as const) {
      const e = await read(write(text), { mode, maxRecordChars: 1000, chunkBytes: 256 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CsvSyntaxError);
      expect((e as CsvSyntaxError).csvCode).toMatch(/CSV_RECORD_TOO_LONG|CSV_MAX_RECORD_SIZE/);
    }
  });

  it('counts CRLF inside a quoted cell as one line break', () => {
    expect(lineBreaksIn(['a\r\nb', 'c\nd\re', ''])).toBe(3);
  });
});
