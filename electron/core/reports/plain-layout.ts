/**
 * Plain text layout for the embedded fonts: one glyph per character, its
 * advance width from the font, no kerning and no ligatures.
 *
 * Why: pdfkit lays every new word out through fontkit's OpenType shaper
 * (GSUB/GPOS), which for DejaVu Sans costs a few tenths of a millisecond per
 * distinct word — a 50-page table of unique amounts and dates spent most of
 * its time there. Reports are Latin text and figures, where shaping changes
 * nothing but kerning; without it the same document lays out several times
 * faster, and text extraction maps one glyph to one character.
 *
 * This replaces `layoutRun` on pdfkit's EmbeddedFont instances (pdfkit
 * 0.20: `doc._fontFamilies`, each with `font` = the fontkit font and `scale`);
 * if pdfkit's internals change shape, the fonts are left as they are
 * (slower, same output apart from kerning).
 */

interface FontkitGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

interface PdfkitEmbeddedFont {
  font?: { glyphForCodePoint?: (cp: number) => FontkitGlyph };
  scale?: number;
  layoutRun?: unknown;
  plainLayout?: boolean;
}

/**
 * Loads the registered fonts `names` and caches each under its name.
 *
 * pdfkit 0.20 caches a font under the name it was asked by, except when a
 * font of the same PostScript name is already loaded (the document's default
 * font, given as the same file): then it returns that one without caching
 * the new name, and parses the font file again on EVERY later
 * `doc.font(name)` — which cost a 50-page report most of its time.
 */
export function loadFonts(doc: PDFKit.PDFDocument, names: readonly string[]): void {
  const internals = doc as unknown as { _font?: unknown; _fontFamilies?: Record<string, unknown> };
  for (const name of names) {
    doc.font(name);
    if (internals._fontFamilies && internals._font) internals._fontFamilies[name] = internals._font;
  }
  usePlainLayout(doc);
}

/** Switches every font already loaded on `doc` to plain layout (call after doc.font(name) for each). */
export function usePlainLayout(doc: PDFKit.PDFDocument): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, PdfkitEmbeddedFont> })._fontFamilies ?? {};
  for (const f of Object.values(families)) {
    const font = f.font;
    const scale = f.scale;
    if (f.plainLayout || !font?.glyphForCodePoint || typeof scale !== 'number' || typeof f.layoutRun !== 'function') continue;
    const glyphs = new Map<number, FontkitGlyph>();
    f.layoutRun = (text: string) => {
      const run: FontkitGlyph[] = [];
      const positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth: number }[] = [];
      let advanceWidth = 0;
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        let g = glyphs.get(cp);
        if (!g) {
          g = font.glyphForCodePoint!(cp);
          glyphs.set(cp, g);
        }
        const w = g.advanceWidth * scale;
        run.push(g);
        positions.push({ xAdvance: w, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: w });
        advanceWidth += w;
      }
      return { glyphs: run, positions, advanceWidth };
    };
    f.plainLayout = true;
  }
}
