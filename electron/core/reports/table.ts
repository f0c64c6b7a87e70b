/**
 * Tables that flow over as many pages as they need: the header row is drawn
 * again at the top of every page the table continues on, rows are one line
 * each (text that does not fit its column is shortened with "…", numbers
 * are right-aligned and never shortened), and alternate rows are banded.
 *
 * Rows come from any iterable (a prepared statement's iterate() included),
 * so a long table never sits in memory; between pages the event loop runs
 * and a cancelled job stops (ReportDocument.checkpoint).
 */
import { COLORS, fitText, type ReportDocument } from './document';

export interface TableColumn {
  header: string;
  /** Share of the table width (the shares are normalised). */
  width: number;
  align?: 'left' | 'right';
}

export interface TableOptions {
  fontSize?: number;
  rowHeight?: number;
  /** A last row drawn in bold after the data (totals). */
  footer?: readonly string[];
  /** Called with the number of rows drawn after each page. */
  onProgress?: (rows: number) => void;
}

export interface TableResult {
  rows: number;
  /** Pages the table started or continued on. */
  pages: number;
}

const PAD = 4;

/** Draws `rows` as a table at the current position; returns rows and pages used. */
export async function drawTable(r: ReportDocument, columns: readonly TableColumn[], rows: Iterable<readonly string[]>, opts: TableOptions = {}): Promise<TableResult> {
  const d = r.doc;
  const size = opts.fontSize ?? 8.5;
  const rowH = opts.rowHeight ?? size + 7.5;
  const share = columns.reduce((t, c) => t + c.width, 0);
  const widths = columns.map((c) => (c.width / share) * r.width);
  const xs: number[] = [];
  widths.reduce((x, w) => (xs.push(x), x + w), r.left);
  let pages = 1;
  let count = 0;

  const fit = (text: string, width: number): string => fitText(d, text, width);

  const cells = (values: readonly string[], y: number, fitAll = false) => {
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i]!;
      const w = widths[i]! - 2 * PAD;
      const raw = values[i] ?? '';
      if (col.align === 'right') {
        const text = fitAll ? fit(raw, w) : raw;
        const tw = d.widthOfString(text);
        d.text(text, xs[i]! + PAD + w - tw, y + (rowH - size) / 2 - 0.5, { lineBreak: false });
      } else {
        d.text(fit(raw, w), xs[i]! + PAD, y + (rowH - size) / 2 - 0.5, { lineBreak: false });
      }
    }
  };

  const header = () => {
    const y = d.y;
    d.rect(r.left, y, r.width, rowH + 2).fill(COLORS.accent);
    d.font('bold').fontSize(size).fillColor('#ffffff');
    cells(
      columns.map((c) => c.header),
      y + 1,
      true,
    );
    d.font('regular').fontSize(size).fillColor(COLORS.text);
    d.y = y + rowH + 2;
  };

  r.ensureSpace(rowH * 3);
  header();
  for (const values of rows) {
    if (d.y + rowH > r.bottom) {
      opts.onProgress?.(count);
      r.newPage();
      await r.checkpoint();
      pages++;
      d.font('regular').fontSize(size);
      header();
    }
    const y = d.y;
    if (count % 2 === 1) {
      d.rect(r.left, y, r.width, rowH).fill(COLORS.band);
      d.fillColor(COLORS.text);
    }
    cells(values, y);
    d.y = y + rowH;
    count++;
  }
  if (opts.footer) {
    if (d.y + rowH > r.bottom) {
      r.newPage();
      pages++;
      header();
    }
    const y = d.y;
    d.moveTo(r.left, y).lineTo(r.right, y).lineWidth(0.8).strokeColor(COLORS.text).stroke();
    d.font('bold').fontSize(size).fillColor(COLORS.text);
    cells(opts.footer, y);
    d.font('regular');
    d.y = y + rowH;
  }
  d.x = r.left;
  d.y += 8;
  d.fontSize(9.5);
  opts.onProgress?.(count);
  return { rows: count, pages };
}
