/** Ratio trends across the annual-basis periods: leverage and coverage, with the covenant thresholds as dashed lines. */
import { useMemo } from 'react';
import type { CovenantRow, RatioKey, RatioSet } from '../../../../shared/domain/credit';
import { Chart, palette, type ChartOption, type Palette } from '../../charts/Chart';
import { EmptyState } from '../../components/ui';
import type { Theme } from '../../lib/theme';
import { RATIO_LABEL, fmtRatioValue } from './model';

export interface TrendPointView {
  label: string;
  ratios: RatioSet;
}

/** Legend names short enough for one line in half a panel (the tooltip and the threshold lines use the full names). */
const SHORT: Partial<Record<RatioKey, string>> = {
  total_leverage: 'Total',
  net_leverage: 'Net',
  senior_leverage: 'Senior',
  interest_coverage: 'EBITDA ÷ interest',
  fixed_charge_coverage: 'Fixed charge',
  dscr: 'DSCR',
};

function option(points: TrendPointView[], keys: RatioKey[], covenants: CovenantRow[], p: Palette): ChartOption {
  const thresholds = covenants.filter((c) => keys.includes(c.metric));
  // The axis spans the values and the covenant thresholds, so every threshold line is on the chart.
  const all = [...points.flatMap((x) => keys.map((k) => x.ratios[k].value)), ...thresholds.map((c) => c.threshold)].filter((v): v is number => v !== null);
  const lo = all.length ? Math.min(...all) : 0;
  const hi = all.length ? Math.max(...all) : 1;
  const pad = Math.max((hi - lo) * 0.12, 0.1);
  return {
    animation: false,
    textStyle: { fontFamily: 'inherit', color: p.text },
    grid: { left: 8, right: 14, top: 30, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'axis',
      backgroundColor: p.panel,
      borderColor: p.border,
      textStyle: { color: p.text, fontSize: 11.5 },
      valueFormatter: (v: unknown) => (v === null || v === undefined || v === '-' ? 'n.m.' : `${Number(v).toFixed(2)}×`),
    },
    legend: { top: 2, left: 4, itemWidth: 10, itemHeight: 6, textStyle: { color: p.muted, fontSize: 10.5 }, icon: 'roundRect' },
    xAxis: { type: 'category', data: points.map((x) => x.label), axisLabel: { color: p.muted, fontSize: 10.5 }, axisLine: { lineStyle: { color: p.border } }, axisTick: { show: false } },
    yAxis: { type: 'value', min: Math.max(0, Math.floor((lo - pad) * 2) / 2), max: Math.ceil((hi + pad) * 2) / 2, axisLabel: { color: p.muted, fontSize: 10.5, formatter: '{value}×' }, splitLine: { lineStyle: { color: p.border, type: 'dashed' } } },
    series: keys.map((k, i) => ({
      name: SHORT[k] ?? RATIO_LABEL[k],
      type: 'line',
      data: points.map((x) => (x.ratios[k].value === null ? null : +x.ratios[k].value!.toFixed(4))),
      connectNulls: false,
      symbolSize: 5,
      lineStyle: { width: i === 0 ? 2.25 : 1.5, color: p.series[i % p.series.length] },
      itemStyle: { color: p.series[i % p.series.length] },
      markLine:
        i === 0 && thresholds.length
          ? {
              silent: true,
              symbol: 'none',
              lineStyle: { color: p.neg, type: 'dashed', width: 1.1 },
              label: { color: p.neg, fontSize: 10, position: 'insideEndTop', formatter: (x: { data?: { name?: string } }) => x.data?.name ?? '' },
              data: thresholds.map((c) => ({ yAxis: c.threshold, name: `${RATIO_LABEL[c.metric]} ${c.operator === 'max' ? '≤' : '≥'} ${fmtRatioValue(c.metric, c.threshold)}` })),
            }
          : undefined,
    })),
  };
}

export function RatioCharts({ points, covenants, theme }: { points: TrendPointView[]; covenants: CovenantRow[]; theme: Theme }) {
  // Colours come from the theme's CSS variables: read again when the theme changes.
  const p = useMemo(() => (theme ? palette() : palette()), [theme]);
  const leverage = useMemo(() => option(points, ['total_leverage', 'net_leverage', 'senior_leverage'], covenants, p), [points, covenants, p]);
  const coverage = useMemo(() => option(points, ['interest_coverage', 'fixed_charge_coverage', 'dscr'], covenants, p), [points, covenants, p]);
  return (
    <section className="panel" aria-label="Ratio trends" data-testid="ratio-trends">
      <div className="panel-head">
        <h3>Ratio trends</h3>
        <span className="sub">annual basis (FY / LTM), {points.length} period{points.length === 1 ? '' : 's'}</span>
      </div>
      {points.length === 0 ? (
        <EmptyState title="No annual-basis period">Ratios need an FY or LTM statement, or four consecutive quarters.</EmptyState>
      ) : (
        <div className="credit-charts">
          <div>
            <div className="chart-title">Leverage (debt ÷ EBITDA)</div>
            <Chart option={leverage} theme={theme} label="Leverage trend" testId="chart-leverage" />
          </div>
          <div>
            <div className="chart-title">Coverage</div>
            <Chart option={coverage} theme={theme} label="Coverage trend" testId="chart-coverage" />
          </div>
        </div>
      )}
    </section>
  );
}
