import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { jCurveSvg, sectorSvg } from '../../electron/core/reports/charts';
import { fontData, fontPath } from '../../electron/core/reports/fonts';
import { drawSvg, parseColor, parseSvg } from '../../electron/core/reports/svg-to-pdf';

describe('SVG → PDF converter', () => {
  it('parses colours the way ECharts writes them', () => {
    expect(parseColor('#5070dd')).toEqual({ color: [0x50, 0x70, 0xdd], alpha: 1 });
    expect(parseColor('#fff')).toEqual({ color: [255, 255, 255], alpha: 1 });
    expect(parseColor('rgba(0,0,0,0.3)')).toEqual({ color: [0, 0, 0], alpha: 0.3 });
    expect(parseColor('rgb(10, 20, 30)')).toEqual({ color: [10, 20, 30], alpha: 1 });
    expect(parseColor('none')).toBeNull();
    expect(parseColor('transparent')).toBeNull();
    expect(parseColor('red')).toEqual({ color: 'red', alpha: 1 });
    expect(parseColor('url(#g1)')).toBeUndefined();
  });

  it('parses elements, attributes, text and entities, skipping style and CDATA', () => {
    const root = parseSvg('<svg viewBox="0 0 10 10"><style><![CDATA[.a:hover{fill:red}]]></style><g transform="translate(1 2)"><text x="3" style="font-size:9px">A &amp; B &#8805;</text><path d="M0 0L1 1"/></g></svg>');
    const svg = root.children[0]!;
    expect(svg.attrs.viewBox).toBe('0 0 10 10');
    const g = svg.children.find((c) => c.tag === 'g')!;
    expect(g.attrs.transform).toBe('translate(1 2)');
    expect(g.children.map((c) => c.tag)).toEqual(['text', 'path']);
    expect(g.children[0]!.text).toBe('A & B ≥');
  });

  it('draws ECharts output without throwing and reports its height at the target width', () => {
    const doc = new PDFDocument({ font: fontPath('regular'), autoFirstPage: true });
    doc.registerFont('regular', fontData('regular'));
    doc.registerFont('bold', fontData('bold'));
    const svg = jCurveSvg(
      [
        { label: '2024 Q1', netCashFlow: -100_000_000, netValue: -50_000_000 },
        { label: '2024 Q2', netCashFlow: -150_000_000, netValue: 20_000_000 },
      ],
      'USD',
      { width: 500, height: 200 },
    );
    expect(svg).toContain('2024 Q2');
    expect(drawSvg(doc, svg, 50, 50, 250, { fonts: { regular: 'regular', bold: 'bold' } }).height).toBe(100);
    expect(sectorSvg([{ sector: 'Technology', amount: 123_000_000 }], 'EUR', { width: 400, height: 120 })).toContain('1.23');
    doc.end();
  });
});
