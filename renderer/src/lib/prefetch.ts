/**
 * The first page of a fund's allocations, requested as early as possible —
 * at start-up when the window opens on a fund, or when the pointer rests on
 * a fund card — so the query runs while the fund screen's code loads.
 * FundDetail takes it (once) instead of asking again.
 */
import { api } from '../bridge/api';
import type { AllocationRowsView } from '../bridge/ui-contract';

export const FIRST_PAGE = 200;
const MAX_AGE_MS = 5_000;

const pending = new Map<string, { at: number; promise: Promise<AllocationRowsView> }>();

export function prefetchFirstPage(fundId: string): void {
  const cur = pending.get(fundId);
  if (cur && Date.now() - cur.at < MAX_AGE_MS) return;
  const promise = api().allocationRows({ fundId, limit: FIRST_PAGE });
  promise.catch(() => pending.delete(fundId)); // the screen asks again and shows the error
  pending.set(fundId, { at: Date.now(), promise });
}

/** The prefetched first page, if one was requested moments ago (each is used once). */
export function takeFirstPage(fundId: string): Promise<AllocationRowsView> | undefined {
  const cur = pending.get(fundId);
  pending.delete(fundId);
  return cur && Date.now() - cur.at < MAX_AGE_MS ? cur.promise : undefined;
}
