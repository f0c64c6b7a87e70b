/**
 * ECharts in React: one instance per element, options replaced on change,
 * resized with its container, colours from the active theme.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { Theme } from '../lib/theme';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export interface Palette {
  text: string;
  muted: string;
  faint: string;
  border: string;
  panel: string;
  series: string[];
  pos: string;
  neg: string;
  warn: string;
}

/** Reads the theme's CSS variables so charts match the rest of the UI. */
export function palette(): Palette {
  const s = getComputedStyle(document.documentElement);
  const v = (n: string) => s.getPropertyValue(n).trim();
  return {
    text: v('--text'),
    muted: v('--muted'),
    faint: v('--faint'),
    border: v('--border'),
    panel: v('--panel'),
    series: [v('--chart-1'), v('--chart-2'), v('--chart-3'), v('--chart-4'), v('--chart-5')],
    pos: v('--pos'),
    neg: v('--neg'),
    warn: v('--warn'),
  };
}

export function Chart({ option, theme, label, testId }: { option: ChartOption; theme: Theme; label: string; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option, theme]);

  return <div ref={el} className="chart" role="img" aria-label={label} data-testid={testId} />;
}
