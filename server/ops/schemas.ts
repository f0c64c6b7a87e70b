/** Shared pieces of route schemas. */
import { errorEnvelopeSchema } from '../../shared/sync/api';

/** Documents the error envelope for the given statuses in a route's response schema. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorEnvelopeSchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorEnvelopeSchema]));
}

export const BEARER = [{ bearerAuth: [] as string[] }];
