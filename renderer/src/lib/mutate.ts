/**
 * Runs a named mutation through window.meridian. While one of ours is in
 * flight, screens that patch their rows from the result can ignore the
 * dataChanged event it causes (events arrive before the answer) instead of
 * reloading a 100,000-row list.
 */
import type { MutationArgs, MutationName } from '../../../shared/mutators/registry';
import { api } from '../bridge/api';

let inFlight = 0;

export async function mutate<N extends MutationName>(name: N, args: MutationArgs<N>): Promise<{ mutationId: number; name: string; result: unknown }> {
  inFlight++;
  try {
    return await api().mutate({ name, args });
  } finally {
    inFlight--;
  }
}

/** True while a mutation made by this window has not been answered yet. */
export function ownMutationInFlight(): boolean {
  return inFlight > 0;
}
