/** Small builders for mutations used across the server tests. */
import type { PushMutation } from '../../shared/sync/protocol';
import { units } from './harness';

export class Mutations {
  private next = 1;
  constructor(start = 1) {
    this.next = start;
  }
  m(name: string, args: unknown): PushMutation {
    return { id: this.next++, name, args };
  }
  get nextId(): number {
    return this.next;
  }
}

export function fund(id: string, sizeUnits: number, name = `Fund ${id}`) {
  return { id, name, currency: 'USD', vintage: 2022, size: units(sizeUnits) };
}

export function allocation(id: string, fundId: string, dealId: string, amountUnits: number) {
  return { id, fundId, dealId, amount: units(amountUnits), date: '2024-03-01' };
}
