/**
 * Report charts, drawn by ECharts in the main process with its server-side
 * SVG renderer (no DOM, no canvas) and embedded as vector paths and text by
 * svg-to-pdf.ts. Options are fixed (no animation, no tooltip) so the same
 * data gives the same SVG.
 */
import * as echarts from 'echarts';
import PDFDocument from 'pdfkit';
import { fontData, fontPath } from './fonts';
import { loadFonts } from './plain-layout';

export interface ChartSize {
  width: number;
  height: number;
}

const PALETTE = ['#1d4f91', '#e07b39', '#3a9d5d', '#b23a48', '#7a5195', '#2f9fb3', '#c9a227', '#6b7785'];
const TEXT = { color: '#3c4450', fontFamily: 'DejaVu Sans', fontSize: 11 };

let measurer: PDFKit.PDFDocument | undefined;

/**
 * ECharts lays text out with widths it measures through the platform API;
 * in Node it would guess them. We measure with the same embedded font the
 * PDF draws with, so legends and labels do not overlap.
 */
function useReportFontMetrics(): void {
  if (measurer) return;
  const doc = new PDFDocument({ font: fontPath('regular'), autoFirstPage: false });
  doc.registerFont('regular', fontData('regular'));
  doc.registerFont('bold', fontData('bold'));
  loadFonts(doc, ['bold', 'regular']);
  measurer = doc;
  echarts.setPlatformAPI({
    measureText(text: string, font?: string) {
      const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
      const bold = /\bbold(?:er)?\b|\b[6-9]00\b/.test(font ?? '');
      return { width: doc.font(bold ? 'bold' : 'regular').fontSize(size).widthOfString(text) };
    },
  });
}

/** Renders an ECharts option to an SVG string at the given size (in SVG px = PDF pt before scaling). */
export function renderChartSvg(option: echarts.EChartsCoreOption, size: ChartSize): string {
  useReportFontMetrics();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: TEXT, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export interface JCurvePoint {
  /** Period label, e.g. "2024 Q1". */
  label: string;
  /** Cumulative distributions − contributions, cents (drawn in millions). */
  netCashFlow: number;
  /** netCashFlow + NAV at the period end, cents. */
  netValue: number;
}

/** The J-curve: cumulative net cash flow to the LPs, and with NAV added, per quarter (in millions). */
export function jCurveSvg(points: readonly JCurvePoint[], currency: string, size: ChartSize): string {
  const m = (cents: number) => Math.round(cents / 1_000_000) / 100; // cents → millions, 2 decimals (display only)
  return renderChartSvg(
    {
      grid: { left: 58, right: 16, top: 36, bottom: 44 },
      legend: { top: 4, left: 'center', itemWidth: 16, itemHeight: 8, textStyle: { fontSize: 10 } },
      xAxis: { type: 'category', data: points.map((p) => p.label), axisLabel: { fontSize: 9, hideOverlap: true } },
      yAxis: { type: 'value', name: `${currency} m`, nameTextStyle: { fontSize: 9, align: 'right' }, axisLabel: { fontSize: 9 } },
      series: [
        { name: 'Net cash flow (cumulative)', type: 'bar', data: points.map((p) => m(p.netCashFlow)), barMaxWidth: 14 },
        { name: 'Net cash flow + NAV', type: 'line', data: points.map((p) => m(p.netValue)), symbol: 'none', lineStyle: { width: 2 } },
      ],
    },
    size,
  );
}

export interface SectorSlice {
  sector: string;
  /** Cents. */
  amount: number;
}

/** Counted allocations by deal sector as horizontal bars (in millions), largest first. */
export function sectorSvg(slices: readonly SectorSlice[], currency: string, size: ChartSize): string {
  const sorted = [...slices].sort((a, b) => b.amount - a.amount || a.sector.localeCompare(b.sector)).reverse();
  return renderChartSvg(
    {
      grid: { left: 110, right: 48, top: 16, bottom: 36 },
      xAxis: { type: 'value', name: `${currency} m`, nameLocation: 'middle', nameGap: 22, nameTextStyle: { fontSize: 9 }, axisLabel: { fontSize: 9 } },
      yAxis: { type: 'category', data: sorted.map((s) => s.sector || 'Unclassified'), axisLabel: { fontSize: 9 } },
      series: [
        {
          type: 'bar',
          data: sorted.map((s) => Math.round(s.amount / 1_000_000) / 100),
          barMaxWidth: 16,
          label: { show: true, position: 'right', fontSize: 9 },
        },
      ],
    },
    size,
  );
}
