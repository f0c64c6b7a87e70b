/**
 * AG Grid (community) without React in its rows: the vanilla grid mounted in
 * a React element. For the 100,000-row allocations grid this keeps every
 * scrolled frame free of React work; options are diffed on each render and
 * changed ones applied with updateGridOptions.
 */
import { useEffect, useRef } from 'react';
import { createGrid, type GridApi, type GridOptions } from 'ag-grid-community';
import './grid';

export function DataGrid<T>({ options, onReady, testId }: { options: GridOptions<T>; onReady?: (api: GridApi<T>) => void; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const api = useRef<GridApi<T> | null>(null);
  const applied = useRef<GridOptions<T>>(options);
  const first = useRef({ options, onReady });

  useEffect(() => {
    const a = createGrid(el.current!, first.current.options);
    api.current = a;
    applied.current = first.current.options;
    first.current.onReady?.(a);
    return () => {
      api.current = null;
      a.destroy();
    };
  }, []);

  useEffect(() => {
    const a = api.current;
    if (!a || a.isDestroyed()) return;
    const changed: Record<string, unknown> = {};
    const prev = applied.current as Record<string, unknown>;
    for (const [k, v] of Object.entries(options)) if (prev[k] !== v) changed[k] = v;
    applied.current = options;
    if (Object.keys(changed).length) a.updateGridOptions(changed as GridOptions<T>);
  });

  return <div ref={el} className="grid-host" data-testid={testId} />;
}
