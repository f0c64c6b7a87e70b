/**
 * The page kit every document is laid out with (pdfkit underneath):
 *
 * - A4 portrait, 50 pt margins, DejaVu Sans embedded (fonts.ts).
 * - A page frame written AFTER layout (pdfkit's bufferPages): a header line
 *   on every page but the cover, and a footer with the confidentiality line
 *   and "page n of m" — m is only known once the body is laid out.
 * - Deterministic bytes: the creation date is fixed by the caller (the
 *   document's as-of date by default), so the same data gives the same file
 *   and tests can compare outputs.
 * - Helpers for headings, paragraphs, label/value blocks; flowing tables are
 *   in table.ts, vector charts in svg-to-pdf.ts.
 */
import PDFDocument from 'pdfkit';
import { throwIfCancelled } from '../jobs';
import { fontData, fontPath } from './fonts';
import { loadFonts } from './plain-layout';

export const PAGE = { width: 595.28, height: 841.89, margin: 50 } as const;
export const COLORS = { text: '#1f2328', muted: '#5b6470', rule: '#c9ced6', band: '#f2f4f7', accent: '#1d4f91' } as const;

export interface ReportDocumentOptions {
  /** Document title (PDF info and the cover). */
  title: string;
  /** Left part of the running header, e.g. "Growth Fund I · Fund report". */
  header: string;
  /** Right part of the running header, e.g. "As of 31 March 2026". */
  headerRight?: string;
  /** The confidentiality line printed in every footer. */
  confidentiality: string;
  /** PDF creation date: fixed so the output is reproducible. */
  creationDate: Date;
  subject?: string;
  /** The first page is a cover without the running header. */
  cover?: boolean;
  signal?: AbortSignal;
  /** Called after each page is started: pages so far. */
  onPage?: (pages: number) => void;
}

/** `text` shortened with "…" to fit `width` at the document's current font and size. */
export function fitText(d: PDFKit.PDFDocument, text: string, width: number): string {
  if (d.widthOfString(text) <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (d.widthOfString(`${text.slice(0, mid)}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

export class ReportDocument {
  readonly doc: PDFKit.PDFDocument;
  readonly left = PAGE.margin;
  readonly right = PAGE.width - PAGE.margin;
  readonly top = PAGE.margin + 14;
  readonly bottom = PAGE.height - PAGE.margin - 8;
  readonly width = PAGE.width - 2 * PAGE.margin;
  private pages = 1;

  constructor(readonly opts: ReportDocumentOptions) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: this.top, bottom: PAGE.height - this.bottom, left: this.left, right: PAGE.width - this.right },
      bufferPages: true,
      autoFirstPage: true,
      font: fontPath('regular'), // never loads pdfkit's built-in Helvetica
      info: {
        Title: opts.title,
        Subject: opts.subject ?? opts.title,
        Author: 'Meridian',
        Creator: 'Meridian',
        Producer: 'Meridian (pdfkit)',
        CreationDate: opts.creationDate,
        ModDate: opts.creationDate,
      },
      pdfVersion: '1.7',
      compress: true,
    });
    this.doc.registerFont('regular', fontData('regular'));
    this.doc.registerFont('bold', fontData('bold'));
    loadFonts(this.doc, ['bold', 'regular']);
    this.doc.font('regular').fontSize(9.5).fillColor(COLORS.text);
    this.doc.on('pageAdded', () => {
      this.pages++;
      this.doc.font('regular').fontSize(9.5).fillColor(COLORS.text);
      this.opts.onPage?.(this.pages);
    });
    this.opts.onPage?.(1);
  }

  get y(): number {
    return this.doc.y;
  }

  set y(v: number) {
    this.doc.y = v;
  }

  get pageCount(): number {
    return this.pages;
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = this.top;
  }

  /** Starts a new page when fewer than `height` points are left on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  /** Lets the event loop run (progress events, a cancel) and throws CANCELLED when the job was cancelled. */
  async checkpoint(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    throwIfCancelled(this.opts.signal);
  }

  heading(text: string, level: 1 | 2 | 3 = 2): void {
    const size = level === 1 ? 20 : level === 2 ? 13 : 10.5;
    this.ensureSpace(size * 3);
    if (level < 3 && this.doc.y > this.top + 1) this.doc.y += level === 1 ? 12 : 10;
    this.doc.font('bold').fontSize(size).fillColor(level === 1 ? COLORS.text : COLORS.accent);
    this.doc.text(text, this.left, this.doc.y, { width: this.width });
    this.doc.y += level === 1 ? 6 : 4;
    this.doc.font('regular').fontSize(9.5).fillColor(COLORS.text);
  }

  paragraph(text: string, opts: { size?: number; color?: string; bold?: boolean; gap?: number } = {}): void {
    this.doc
      .font(opts.bold ? 'bold' : 'regular')
      .fontSize(opts.size ?? 9.5)
      .fillColor(opts.color ?? COLORS.text);
    this.ensureSpace(this.doc.heightOfString(text, { width: this.width }));
    this.doc.text(text, this.left, this.doc.y, { width: this.width });
    this.doc.y += opts.gap ?? 4;
    this.doc.font('regular').fontSize(9.5).fillColor(COLORS.text);
  }

  /**
   * A block of label / value rows (values right-aligned in their column).
   * `rows` with a `bold` flag are totals; a null value draws a sub-heading.
   */
  keyValues(rows: ReadonlyArray<{ label: string; value: string | null; bold?: boolean; note?: string }>, opts: { width?: number; x?: number } = {}): void {
    const x = opts.x ?? this.left;
    const width = opts.width ?? this.width;
    const rowH = 15;
    const d = this.doc;
    for (const r of rows) {
      this.ensureSpace(rowH);
      if (r.value === null) {
        const y = d.y;
        d.font('bold').fontSize(9.5).fillColor(COLORS.accent).text(r.label, x, y + 4, { lineBreak: false });
        d.y = y + rowH + 2;
        continue;
      }
      const face = r.bold ? 'bold' : 'regular';
      d.font(face).fontSize(9.5).fillColor(COLORS.text);
      const labelW = d.widthOfString(r.label);
      let noteW = 0;
      if (r.note) noteW = d.fontSize(7.5).widthOfString(r.note) + 6;
      d.fontSize(9.5);
      // A value that does not fit beside its label goes on a line of its own (shrunk if wider than the block).
      const valueW = d.widthOfString(r.value);
      const twoLines = labelW + noteW + valueW + 16 > width;
      const h = twoLines ? rowH * 2 - 3 : rowH;
      if (twoLines) this.ensureSpace(h);
      const y = d.y;
      d.text(r.label, x + 2, y + 3, { lineBreak: false });
      if (r.note) {
        d.fontSize(7.5).fillColor(COLORS.muted).text(r.note, x + 2 + labelW + 6, y + 4.5, { lineBreak: false });
        d.font(face).fontSize(9.5).fillColor(COLORS.text);
      }
      const size = valueW > width - 4 ? (9.5 * (width - 4)) / valueW : 9.5;
      d.fontSize(size);
      const w = d.widthOfString(r.value);
      d.text(r.value, x + width - 2 - w, y + 3 + (twoLines ? rowH - 3 : 0), { lineBreak: false });
      d.fontSize(9.5);
      d.moveTo(x, y + h)
        .lineTo(x + width, y + h)
        .lineWidth(r.bold ? 0.8 : 0.4)
        .strokeColor(r.bold ? COLORS.text : COLORS.rule)
        .stroke();
      d.y = y + h;
    }
    d.x = this.left;
    d.y += 6;
    d.font('regular').fontSize(9.5).fillColor(COLORS.text);
  }

  /** Writes the running header and footer on every page, then ends the document. */
  finish(): void {
    const d = this.doc;
    const range = d.bufferedPageRange();
    const total = range.count;
    for (let i = 0; i < total; i++) {
      d.switchToPage(range.start + i);
      const margins = d.page.margins;
      const saved = { top: margins.top, bottom: margins.bottom };
      // Writing into the margins must not make pdfkit start a new page.
      margins.top = 0;
      margins.bottom = 0;
      d.font('regular').fontSize(7.5).fillColor(COLORS.muted);
      if (!(this.opts.cover && i === 0)) {
        const rightW = this.opts.headerRight ? d.widthOfString(this.opts.headerRight) + 16 : 0;
        d.text(fitText(d, this.opts.header, this.width - rightW), this.left, PAGE.margin - 14, { lineBreak: false });
        if (this.opts.headerRight) d.text(this.opts.headerRight, this.right - d.widthOfString(this.opts.headerRight), PAGE.margin - 14, { lineBreak: false });
        d.moveTo(this.left, PAGE.margin - 2).lineTo(this.right, PAGE.margin - 2).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
      }
      const fy = PAGE.height - PAGE.margin + 4;
      d.moveTo(this.left, fy - 6).lineTo(this.right, fy - 6).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
      d.text(this.opts.confidentiality, this.left, fy, { lineBreak: false });
      const pageText = `page ${i + 1} of ${total}`;
      d.text(pageText, this.right - d.widthOfString(pageText), fy, { lineBreak: false });
      margins.top = saved.top;
      margins.bottom = saved.bottom;
    }
    d.flushPages();
    d.end();
  }
}
