/** Allowed allocation status transitions (DESIGN §2). */
import type { AllocationStatus } from './entities';
import { COUNTED_STATUSES } from './entities';

export const ALLOCATION_TRANSITIONS: Readonly<Record<AllocationStatus, readonly AllocationStatus[]>> = {
  proposed: ['approved', 'rejected', 'cancelled'],
  approved: ['committed', 'cancelled'],
  committed: ['funded', 'cancelled'],
  funded: ['exited'],
  exited: [],
  rejected: [],
  cancelled: [],
};

export function canTransition(from: AllocationStatus, to: AllocationStatus): boolean {
  return ALLOCATION_TRANSITIONS[from].includes(to);
}

export function isCounted(status: AllocationStatus): boolean {
  return COUNTED_STATUSES.includes(status);
}

/** Statuses in which amount, security type and date may still be edited. */
export const EDITABLE_STATUSES: readonly AllocationStatus[] = ['proposed', 'approved', 'committed'];
