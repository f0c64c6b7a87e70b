/**
 * Record ids are UUIDv7 strings made where the record is created (often
 * offline on a laptop), so they sort by creation time and never collide.
 */
import { v7, validate } from 'uuid';

export type Id = string;

export function newId(): Id {
  return v7();
}

export function isUuid(s: string): boolean {
  return validate(s);
}
