import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseCell, restoreCell } from '../../../electron/core/exports/csv-safe';

describe('neutraliseCell', () => {
  it('prefixes a quote to text a spreadsheet would run as a formula', () => {
    expect(neutraliseCell('=HYPERLINK("http://evil.example","click")')).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(neutraliseCell('+1+cmd|/C calc!A0')).toBe("'+1+cmd|/C calc!A0");
    expect(neutraliseCell('-2+3+cmd|/C calc!A0')).toBe("'-2+3+cmd|/C calc!A0");
    expect(neutraliseCell('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(neutraliseCell('\t=1+1')).toBe("'\t=1+1");
    expect(neutraliseCell('\r=1+1')).toBe("'\r=1+1");
    expect(neutraliseCell('- bullet')).toBe("'- bullet");
  });

  it('leaves numbers numbers, negative ones included, and ordinary text alone', () => {
    expect(neutraliseCell(-12.5)).toBe('-12.5');
    expect(neutraliseCell('-12.50')).toBe('-12.50');
    expect(neutraliseCell('-1000')).toBe('-1000');
    expect(neutraliseCell('1208053.71')).toBe('1208053.71');
    expect(neutraliseCell(7)).toBe('7');
    expect(neutraliseCell(null)).toBe('');
    expect(neutraliseCell(undefined)).toBe('');
    expect(neutraliseCell('Acme, Inc.')).toBe('Acme, Inc.');
    expect(neutraliseCell('a=b')).toBe('a=b');
    expect(neutraliseCell('')).toBe('');
    expect(neutraliseCell("O'Brien")).toBe("O'Brien");
  });

  it('is undone exactly by restoreCell (so an export imports back unchanged)', () => {
    const text = fc.array(fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', '1', '.', ' '), { maxLength: 6 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (s) => {
        expect(restoreCell(neutraliseCell(s))).toBe(s);
        const out = neutraliseCell(s);
        if (/^[=+\-@\t\r]/.test(out)) expect(out).toMatch(/^-?\d+(\.\d+)?$/); // only plain numbers may start with '-'
      }),
      { numRuns: 3000 },
    );
  });
});
