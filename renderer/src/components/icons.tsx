/** Stroke icons (16×16 grid), inline SVG so nothing is fetched. */
import type { ReactElement } from 'react';

const P = (d: string) => (props: { className?: string }) => (
 <svg viewBox="0 0 16 16" width="14" height="14" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" {...props}>
    <path d={d} />
  </svg>
);

export const Icon = {
  funds: P('M2 13.5h12M3.5 11V7M6.5 11V4.5M9.5 11V6M12.5 11V2.5'),
  calls: P('M3 2.5h7l3 3v8H3zM10 2.5v3h3M5.5 8.5h5M5.5 11h3.5'),
  investors: P('M6 7a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM1.5 14c0-2.5 2-4 4.5-4s4.5 1.5 4.5 4M11 2.3a2.4 2.4 0 0 1 0 4.6M12.5 10c1.3.5 2 1.8 2 4'),
  inbox: P('M2 9.5l1.8-6h8.4l1.8 6v4H2zM2 9.5h3.5l1 1.5h3l1-1.5H14'),
  search: P('M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10zM10.7 10.7 14 14'),
  download: P('M8 2v8.5M4.5 7 8 10.5 11.5 7M2.5 13.5h11'),
  plus: P('M8 3v10M3 8h10'),
  history: P('M2.5 8a5.5 5.5 0 1 0 1.6-3.9M2.5 2.5v2.8h2.8M8 5v3.2l2 1.3'),
  sync: P('M13.5 6.5A5.5 5.5 0 0 0 3.3 4.8M2.5 9.5a5.5 5.5 0 0 0 10.2 1.7M3 2v3h3M13 14v-3h-3'),
  back: P('M10 3 5 8l5 5'),
  check: P('M3 8.5 6.5 12 13 4.5'),
  x: P('M4 4l8 8M12 4l-8 8'),
  reset: P('M3 3v3.5h3.5M3.4 6.5A5 5 0 1 1 3 9'),
  credit: P('M2.5 13.5h11M4 11.5V8.5M8 11.5V5.5M12 11.5V3M3 6.5l5-3.5 5 1.5'),
  warn: P('M8 2 14.5 13.5h-13zM8 6.5v3M8 11.6v.1'),
} satisfies Record<string, (props: { className?: string }) => ReactElement>;
