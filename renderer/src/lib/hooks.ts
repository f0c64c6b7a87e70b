/**
 * Data hooks over window.meridian: a query that refetches when the
 * workstation says the entities it reads changed, and event subscriptions.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, toApiError, type ApiError, type BridgeEventName, type BridgeEvents } from '../bridge/api';

export interface Query<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `fetch` now and whenever `deps` change; refetches (debounced) when a
 * dataChanged event names one of `entities`. Stale answers are dropped.
 */
export function useQuery<T>(fetch: () => Promise<T>, deps: readonly unknown[], entities: readonly string[] = []): Query<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const seq = useRef(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;

  const run = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    fetchRef.current().then(
      (data) => mine === seq.current && setState({ data, error: undefined, loading: false }),
      (e: unknown) => mine === seq.current && setState((s) => ({ data: s.data, error: toApiError(e), loading: false })),
    );
  }, []);

  useEffect(run, deps);

  const key = entities.join(',');
  useEffect(() => {
    if (!key) return;
    const wanted = new Set(key.split(','));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api().on('dataChanged', (e) => {
      if (!e.entities.some((x) => wanted.has(x))) return;
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [key, run]);

  return { ...state, reload: run };
}

export function useEvent<E extends BridgeEventName>(event: E, listener: (payload: BridgeEvents[E]) => void) {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => api().on(event, (p) => ref.current(p)), [event]);
}

/** The latest payload of an event, seeded by `initial` (e.g. a status query). */
export function useEventState<E extends BridgeEventName>(event: E, initial: () => Promise<BridgeEvents[E]>): BridgeEvents[E] | undefined {
  const [value, setValue] = useState<BridgeEvents[E] | undefined>(undefined);
  useEffect(() => {
    let live = true;
    initial().then(
      (v) => live && setValue((cur) => cur ?? v),
      () => {},
    );
    const off = api().on(event, (p) => setValue(p));
    return () => {
      live = false;
      off();
    };
  }, [event]);
  return value;
}
