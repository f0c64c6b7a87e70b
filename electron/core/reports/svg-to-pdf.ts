/**
 * Draws an SVG document as PDF vector graphics through pdfkit (which has no
 * SVG import). Minimal on purpose: it covers what ECharts' server-side SVG
 * renderer emits, nothing more —
 *
 * - elements: svg, g, rect, path, polyline, polygon, line, circle, ellipse,
 *   text (plain content, and tspan children), defs/clipPath (referenced by
 *   clip-path="url(#id)"); style, title and anything else are skipped;
 * - paint: fill, stroke (#rgb, #rrggbb, rgb(), rgba(), named colours,
 *   none, transparent), fill-opacity, stroke-opacity, opacity,
 *   stroke-width, stroke-dasharray, stroke-linecap, stroke-linejoin, also
 *   from a style="…" attribute; fill and stroke inherit from g;
 * - transform: matrix, translate, scale, rotate (with centre), in order;
 * - text: font-size, font-weight (bold → the bold face), text-anchor
 *   (start, middle, end) and dominant-baseline (central, middle, hanging,
 *   alphabetic…), in the document's embedded font, so chart labels are
 *   real text that pdftotext extracts.
 *
 * Every chart is therefore paths and text: no image XObject is created.
 */

interface SvgNode {
  tag: string;
  attrs: Record<string, string>;
  children: SvgNode[];
  text: string;
}

const TOKEN = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z][\w:.-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>|([^<]+)/g;
const ATTR = /([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** Parses SVG text into a tree (no DTD, no namespaces beyond ignoring prefixes). */
export function parseSvg(svg: string): SvgNode {
  const root: SvgNode = { tag: '#root', attrs: {}, children: [], text: '' };
  const stack: SvgNode[] = [root];
  for (const m of svg.matchAll(TOKEN)) {
    const [, closing, tag, attrText, selfClosing, text] = m;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      if (top.tag === 'text' || top.tag === 'tspan') top.text += decode(text);
      continue;
    }
    if (!tag) continue; // CDATA, comments, processing instructions
    if (closing) {
      // Pop to the matching element (tolerates stray closers).
      for (let i = stack.length - 1; i > 0; i--) {
        if (stack[i]!.tag === tag) {
          stack.length = i;
          break;
        }
      }
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (attrText ?? '').matchAll(ATTR)) attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
    const node: SvgNode = { tag, attrs, children: [], text: '' };
    top.children.push(node);
    if (!selfClosing) stack.push(node);
  }
  return root;
}

interface Rgb {
  color: [number, number, number] | string;
  alpha: number;
}

/** A paint value → pdfkit colour and alpha; null for none/transparent. */
export function parseColor(value: string | undefined): Rgb | null | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'none' || v === 'transparent') return null;
  let m = /^#([0-9a-f]{3})$/.exec(v);
  if (m) {
    const [r, g, b] = m[1]!.split('').map((c) => parseInt(c + c, 16)) as [number, number, number];
    return { color: [r, g, b], alpha: 1 };
  }
  m = /^#([0-9a-f]{6})$/.exec(v);
  if (m) return { color: [parseInt(m[1]!.slice(0, 2), 16), parseInt(m[1]!.slice(2, 4), 16), parseInt(m[1]!.slice(4, 6), 16)], alpha: 1 };
  m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(v);
  if (m) return { color: [Number(m[1]), Number(m[2]), Number(m[3])], alpha: m[4] === undefined ? 1 : Number(m[4]) };
  if (/^[a-z]+$/.test(v)) return { color: v, alpha: 1 };
  return undefined; // gradients, url(#…) and the like: not drawn
}

/** Applies an SVG transform list to the document's current matrix. */
function applyTransform(doc: PDFKit.PDFDocument, transform: string): void {
  for (const m of transform.matchAll(/(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)/g)) {
    const n = m[2]!
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    switch (m[1]) {
      case 'matrix':
        if (n.length === 6) doc.transform(n[0]!, n[1]!, n[2]!, n[3]!, n[4]!, n[5]!);
        break;
      case 'translate':
        doc.transform(1, 0, 0, 1, n[0] ?? 0, n[1] ?? 0);
        break;
      case 'scale':
        doc.transform(n[0] ?? 1, 0, 0, n[1] ?? n[0] ?? 1, 0, 0);
        break;
      case 'rotate': {
        const a = ((n[0] ?? 0) * Math.PI) / 180;
        const cx = n[1] ?? 0;
        const cy = n[2] ?? 0;
        doc.transform(1, 0, 0, 1, cx, cy);
        doc.transform(Math.cos(a), Math.sin(a), -Math.sin(a), Math.cos(a), 0, 0);
        doc.transform(1, 0, 0, 1, -cx, -cy);
        break;
      }
      case 'skewX':
        doc.transform(1, 0, Math.tan(((n[0] ?? 0) * Math.PI) / 180), 1, 0, 0);
        break;
      case 'skewY':
        doc.transform(1, Math.tan(((n[0] ?? 0) * Math.PI) / 180), 0, 1, 0, 0);
        break;
    }
  }
}

interface Style {
  fill: string;
  stroke: string;
  fillOpacity: number;
  strokeOpacity: number;
  opacity: number;
  strokeWidth: number;
  dash: string;
  linecap: string;
  linejoin: string;
  fontSize: number;
  fontWeight: string;
  textAnchor: string;
  baseline: string;
}

const INITIAL: Style = {
  fill: '#000',
  stroke: 'none',
  fillOpacity: 1,
  strokeOpacity: 1,
  opacity: 1,
  strokeWidth: 1,
  dash: 'none',
  linecap: 'butt',
  linejoin: 'miter',
  fontSize: 12,
  fontWeight: 'normal',
  textAnchor: 'start',
  baseline: 'alphabetic',
};

/** The node's attributes with its style="…" declarations merged in (style wins). */
function declarations(node: SvgNode): Record<string, string> {
  const style = node.attrs.style;
  if (!style) return node.attrs;
  const out = { ...node.attrs };
  for (const decl of style.split(';')) {
    const i = decl.indexOf(':');
    if (i > 0) out[decl.slice(0, i).trim()] = decl.slice(i + 1).trim();
  }
  return out;
}

function cascade(parent: Style, a: Record<string, string>): Style {
  const num = (v: string | undefined, d: number) => {
    const n = v === undefined ? NaN : parseFloat(v);
    return Number.isFinite(n) ? n : d;
  };
  return {
    fill: a.fill ?? parent.fill,
    stroke: a.stroke ?? parent.stroke,
    fillOpacity: num(a['fill-opacity'], parent.fillOpacity),
    strokeOpacity: num(a['stroke-opacity'], parent.strokeOpacity),
    opacity: parent.opacity * num(a.opacity, 1),
    strokeWidth: num(a['stroke-width'], parent.strokeWidth),
    dash: a['stroke-dasharray'] ?? parent.dash,
    linecap: a['stroke-linecap'] ?? parent.linecap,
    linejoin: a['stroke-linejoin'] ?? parent.linejoin,
    fontSize: num(a['font-size'], parent.fontSize),
    fontWeight: a['font-weight'] ?? parent.fontWeight,
    textAnchor: a['text-anchor'] ?? parent.textAnchor,
    baseline: a['dominant-baseline'] ?? parent.baseline,
  };
}

export interface SvgDrawOptions {
  /** Font names registered on the document for normal and bold text. */
  fonts: { regular: string; bold: string };
}

/** Draws `svg` with its top-left corner at (x, y), scaled to `width` points wide. */
export function drawSvg(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, width: number, opts: SvgDrawOptions): { height: number } {
  const root = parseSvg(svg);
  const el = root.children.find((c) => c.tag === 'svg');
  if (!el) return { height: 0 };
  const vb = (el.attrs.viewBox ?? '').split(/[\s,]+/).map(Number);
  const vw = vb.length === 4 && vb[2]! > 0 ? vb[2]! : parseFloat(el.attrs.width ?? '0') || width;
  const vh = vb.length === 4 && vb[3]! > 0 ? vb[3]! : parseFloat(el.attrs.height ?? '0') || vw;
  const scale = width / vw;

  const clips = new Map<string, SvgNode>();
  const collect = (n: SvgNode) => {
    if (n.tag === 'clipPath' && n.attrs.id) clips.set(n.attrs.id, n);
    n.children.forEach(collect);
  };
  collect(el);

  const paint = (s: Style, shape: () => void) => {
    const fill = parseColor(s.fill);
    const stroke = s.strokeWidth > 0 ? parseColor(s.stroke) : null;
    if (!fill && !stroke) return;
    shape();
    if (fill) doc.fillColor(fill.color as PDFKit.Mixins.ColorValue, fill.alpha * s.fillOpacity * s.opacity);
    if (stroke) {
      doc.strokeColor(stroke.color as PDFKit.Mixins.ColorValue, stroke.alpha * s.strokeOpacity * s.opacity);
      doc.lineWidth(s.strokeWidth);
      doc.lineCap(s.linecap === 'round' ? 'round' : s.linecap === 'square' ? 'square' : 'butt');
      doc.lineJoin(s.linejoin === 'round' ? 'round' : s.linejoin === 'bevel' ? 'bevel' : 'miter');
      const dash = s.dash === 'none' ? [] : s.dash.split(/[\s,]+/).map(Number).filter((v) => v > 0);
      if (dash.length) doc.dash(dash[0]!, { space: dash[1] ?? dash[0]! });
      else doc.undash();
    }
    if (fill && stroke) doc.fillAndStroke();
    else if (fill) doc.fill();
    else doc.stroke();
  };

  const clipWith = (ref: string | undefined) => {
    const id = /url\(#([^)]+)\)/.exec(ref ?? '')?.[1];
    const clip = id ? clips.get(id) : undefined;
    if (!clip) return;
    for (const c of clip.children) {
      shapeOf(c)?.();
    }
    doc.clip();
  };

  const shapeOf = (n: SvgNode): (() => void) | undefined => {
    const a = n.attrs;
    const f = (k: string) => parseFloat(a[k] ?? '0') || 0;
    switch (n.tag) {
      case 'path':
        return a.d ? () => void doc.path(a.d!) : undefined;
      case 'rect': {
        const rx = f('rx') || f('ry');
        return () => void (rx > 0 ? doc.roundedRect(f('x'), f('y'), f('width'), f('height'), rx) : doc.rect(f('x'), f('y'), f('width'), f('height')));
      }
      case 'circle':
        return () => void doc.circle(f('cx'), f('cy'), f('r'));
      case 'ellipse':
        return () => void doc.ellipse(f('cx'), f('cy'), f('rx'), f('ry'));
      case 'line':
        return () => void doc.moveTo(f('x1'), f('y1')).lineTo(f('x2'), f('y2'));
      case 'polyline':
      case 'polygon': {
        const p = (a.points ?? '')
          .trim()
          .split(/[\s,]+/)
          .map(Number);
        if (p.length < 4) return undefined;
        return () => {
          doc.moveTo(p[0]!, p[1]!);
          for (let i = 2; i + 1 < p.length; i += 2) doc.lineTo(p[i]!, p[i + 1]!);
          if (n.tag === 'polygon') doc.closePath();
        };
      }
      default:
        return undefined;
    }
  };

  const text = (n: SvgNode, s: Style, a: Record<string, string>) => {
    const content = (n.text + n.children.map((c) => (c.tag === 'tspan' ? c.text : '')).join('')).replace(/\s+/g, ' ').trim();
    if (!content) return;
    const fill = parseColor(s.fill);
    if (!fill) return;
    const bold = s.fontWeight === 'bold' || Number(s.fontWeight) >= 600;
    doc.font(bold ? opts.fonts.bold : opts.fonts.regular).fontSize(s.fontSize);
    doc.fillColor(fill.color as PDFKit.Mixins.ColorValue, fill.alpha * s.fillOpacity * s.opacity);
    const w = doc.widthOfString(content);
    let tx = parseFloat(a.x ?? '0') || 0;
    const ty = parseFloat(a.y ?? '0') || 0;
    if (s.textAnchor === 'middle') tx -= w / 2;
    else if (s.textAnchor === 'end') tx -= w;
    const baseline =
      s.baseline === 'central' ? 'svg-central' : s.baseline === 'middle' ? 'svg-middle' : s.baseline === 'hanging' ? 'hanging' : s.baseline === 'text-before-edge' ? 'top' : 'alphabetic';
    doc.text(content, tx, ty, { lineBreak: false, baseline });
  };

  const walk = (n: SvgNode, parent: Style) => {
    if (n.tag === 'defs' || n.tag === 'clipPath' || n.tag === 'style' || n.tag === 'title' || n.tag === 'desc') return;
    const a = declarations(n);
    const s = cascade(parent, a);
    if (a.display === 'none' || a.visibility === 'hidden') return;
    const needsState = Boolean(a.transform || a['clip-path']);
    if (needsState) doc.save();
    if (a.transform) applyTransform(doc, a.transform);
    if (a['clip-path']) clipWith(a['clip-path']);
    if (n.tag === 'g' || n.tag === 'svg' || n.tag === 'a') {
      for (const c of n.children) walk(c, s);
    } else if (n.tag === 'text') {
      text(n, s, a);
    } else {
      const shape = shapeOf(n);
      if (shape) paint(s, shape);
    }
    if (needsState) doc.restore();
  };

  const cursor = { x: doc.x, y: doc.y }; // text() moves pdfkit's cursor; a chart must not
  doc.save();
  doc.rect(x, y, width, vh * scale).clip();
  doc.transform(scale, 0, 0, scale, x, y);
  for (const c of el.children) walk(c, INITIAL);
  doc.restore();
  doc.x = cursor.x;
  doc.y = cursor.y;
  return { height: vh * scale };
}
