/**
 * "Overdue" is not stored: it depends on today's date, and the server never
 * reads a client's clock. A call is overdue when it is issued or partially
 * paid, money is still outstanding and its due date has passed.
 */
import type { CallStatus } from './entities';

export type EffectiveCallStatus = CallStatus | 'overdue';

export function effectiveCallStatus(status: CallStatus, dueDate: string, outstanding: number, today: string): EffectiveCallStatus {
  if ((status === 'issued' || status === 'partially_paid') && outstanding > 0 && dueDate < today) return 'overdue';
  return status;
}
