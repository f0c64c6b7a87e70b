/** Fund charts: J-curve, allocation by sector, utilisation over time. */
import { useMemo } from 'react';
import type { AllocationView } from '../../../shared/api/views';
import type { AllocationSummaryView, FundCashflowsView } from '../bridge/ui-contract';
import { Chart, palette, type ChartOption, type Palette } from '../charts/Chart';
import { jCurve, quarterLabel, toMajor, utilisationOverTime, type SectorSlice } from '../charts/series';
import { EmptyState, Skeleton } from '../components/ui';
import { fmtCompact, fmtMoney, fmtPct } from '../lib/format';
import type { Theme } from '../lib/theme';

const axisLabel = (p: Palette) => ({ color: p.muted, fontSize: 10.5 });
const compactMajor = (v: number) => fmtCompact(Math.round(v * 100));

function baseOption(p: Palette): ChartOption {
  return {
    animation: false,
    textStyle: { fontFamily: 'inherit', color: p.text },
    grid: { left: 8, right: 12, top: 30, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'axis',
      backgroundColor: p.panel,
      borderColor: p.border,
      textStyle: { color: p.text, fontSize: 11.5 },
      axisPointer: { type: 'line', lineStyle: { color: p.faint } },
    },
    legend: { top: 2, left: 4, itemWidth: 10, itemHeight: 6, textStyle: { color: p.muted, fontSize: 10.5 }, icon: 'roundRect' },
  };
}

function jCurveOption(cf: FundCashflowsView, p: Palette): ChartOption | null {
  const pts = jCurve(cf);
  if (!pts.length) return null;
  const money = (v: number) => fmtMoney(Math.round(v * 100), cf.currency);
  return {
    ...baseOption(p),
    tooltip: { ...(baseOption(p).tooltip as object), valueFormatter: (v: unknown) => money(Number(v)) },
    xAxis: { type: 'category', data: pts.map((x) => quarterLabel(x.date)), axisLabel: axisLabel(p), axisLine: { lineStyle: { color: p.border } }, axisTick: { show: false } },
    yAxis: { type: 'value', axisLabel: { ...axisLabel(p), formatter: compactMajor }, splitLine: { lineStyle: { color: p.border, type: 'dashed' } } },
    series: [
      { name: 'Contributions', type: 'bar', data: pts.map((x) => -toMajor(x.contributions)), itemStyle: { color: p.faint, opacity: 0.55 }, barWidth: '55%', stack: 'flows' },
      { name: 'Distributions', type: 'bar', data: pts.map((x) => toMajor(x.distributions)), itemStyle: { color: p.series[1], opacity: 0.75 }, barWidth: '55%', stack: 'flows' },
      { name: 'NAV', type: 'line', data: pts.map((x) => toMajor(x.nav)), showSymbol: false, lineStyle: { width: 1.5, color: p.series[2] }, itemStyle: { color: p.series[2] } },
      {
        name: 'Net',
        type: 'line',
        data: pts.map((x) => toMajor(x.net)),
        showSymbol: false,
        lineStyle: { width: 2.25, color: p.series[0] },
        itemStyle: { color: p.series[0] },
        markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: p.muted, type: 'solid', width: 1 }, data: [{ yAxis: 0 }] },
      },
    ],
  };
}

/** Counted allocations by sector, largest first, as the host summed them (allocationRows summary). */
function sectorOption(bySector: readonly SectorSlice[], currency: string, p: Palette): ChartOption | null {
  const slices = bySector.slice(0, 8).reverse();
  if (!slices.length) return null;
  const total = slices.reduce((t, s) => t + s.amount, 0);
  return {
    ...baseOption(p),
    legend: { show: false },
    grid: { left: 8, right: 64, top: 8, bottom: 4, containLabel: true },
    tooltip: { ...(baseOption(p).tooltip as object), trigger: 'item', formatter: (x: { name: string; value: number }) => `${x.name}<br/><b>${fmtMoney(Math.round(x.value * 100), currency)}</b>` },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', data: slices.map((s) => s.sector), axisLabel: { ...axisLabel(p), color: p.text }, axisLine: { show: false }, axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        data: slices.map((s) => toMajor(s.amount)),
        barWidth: '58%',
        itemStyle: { color: p.series[0], borderRadius: [0, 2, 2, 0] },
        label: {
          show: true,
          position: 'right',
          color: p.muted,
          fontSize: 10.5,
          formatter: (x: { value: number }) => `${fmtCompact(Math.round(x.value * 100))} · ${fmtPct(total ? (x.value * 100) / total : 0, 0)}`,
        },
      },
    ],
  };
}

function utilisationOption(countedByDate: AllocationSummaryView['countedByDate'], size: number, asOf: string, capPct: number, p: Palette): ChartOption | null {
  // utilisationOverTime reads status, date and amount only: one counted pseudo-allocation per date's sum.
  const dated = countedByDate.map((d) => ({ status: 'approved', date: d.date, amount: d.amount }) as AllocationView);
  const pts = utilisationOverTime(dated, size, asOf);
  if (!pts.length) return null;
  return {
    ...baseOption(p),
    legend: { show: false },
    grid: { left: 8, right: 16, top: 14, bottom: 4, containLabel: true },
    tooltip: { ...(baseOption(p).tooltip as object), valueFormatter: (v: unknown) => `${Number(v).toFixed(1)}%` },
    xAxis: { type: 'category', data: pts.map((x) => quarterLabel(x.date)), axisLabel: axisLabel(p), axisLine: { lineStyle: { color: p.border } }, axisTick: { show: false }, boundaryGap: false },
    yAxis: { type: 'value', max: 100, min: 0, axisLabel: { ...axisLabel(p), formatter: '{value}%' }, splitLine: { lineStyle: { color: p.border, type: 'dashed' } } },
    series: [
      {
        name: 'Utilisation',
        type: 'line',
        step: 'end',
        data: pts.map((x) => (x.utilisation === null ? null : +(x.utilisation * 100).toFixed(2))),
        showSymbol: false,
        lineStyle: { width: 2, color: p.series[0] },
        itemStyle: { color: p.series[0] },
        areaStyle: { color: p.series[0], opacity: 0.12 },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: p.neg, type: 'dashed', width: 1.25 },
          label: { formatter: `${capPct}% cap`, color: p.neg, fontSize: 10, position: 'insideEndTop' },
          data: [{ yAxis: capPct }],
        },
      },
    ],
  };
}

function ChartPanel({ title, sub, option, theme, empty, loading, testId }: { title: string; sub?: string; option: ChartOption | null; theme: Theme; empty: string; loading: boolean; testId: string }) {
  return (
    <section className="panel" aria-label={title}>
      <div className="panel-head">
        <h3>{title}</h3>
        {sub && <span className="sub">{sub}</span>}
      </div>
      <div style={{ padding: '4px 8px 6px' }}>
        {loading ? (
          <Skeleton height={196} />
        ) : option ? (
          <Chart option={option} theme={theme} label={title} testId={testId} />
        ) : (
          <div style={{ height: 196, display: 'grid' }}>
            <EmptyState title="Nothing to chart yet">{empty}</EmptyState>
          </div>
        )}
      </div>
    </section>
  );
}

export function FundCharts(props: {
  theme: Theme;
  currency: string;
  size: number;
  asOf: string;
  capPct: number;
  cashflows: FundCashflowsView | undefined;
  /** The fund's counted allocations, aggregated by the host. */
  summary: AllocationSummaryView | undefined;
}) {
  const { theme, currency, size, asOf, capPct, cashflows, summary } = props;
  // The theme is the dependency: palette() reads the CSS variables it switches.
  const p = useMemo(() => (theme ? palette() : palette()), [theme]);
  const j = useMemo(() => (cashflows ? jCurveOption(cashflows, p) : null), [cashflows, p]);
  const s = useMemo(() => (summary ? sectorOption(summary.bySector, currency, p) : null), [summary, currency, p]);
  const u = useMemo(() => (summary ? utilisationOption(summary.countedByDate, size, asOf, capPct, p) : null), [summary, size, asOf, capPct, p]);
  return (
    <div className="charts">
      <ChartPanel title="J-curve" sub={`cumulative, ${currency}`} option={j} theme={theme} loading={!cashflows} empty="Record calls, payments, distributions or NAV marks to see the fund's J-curve." testId="chart-jcurve" />
      <ChartPanel title="Allocation by sector" sub="counted" option={s} theme={theme} loading={!summary} empty="Approved, committed and funded allocations appear here by deal sector." testId="chart-sector" />
      <ChartPanel title="Utilisation over time" sub={`vs ${capPct}% cap`} option={u} theme={theme} loading={!summary} empty="Utilisation appears once allocations are approved." testId="chart-utilisation" />
    </div>
  );
}
