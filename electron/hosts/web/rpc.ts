/**
 * The contract over a WebSocket. One text frame per message:
 *   request  {id, method, input}
 *   response {id, ok: true, value} | {id, ok: false, error: {code, message, problems}}
 *   event    {event, payload}
 * Every request is validated here — envelope and input — before anything
 * runs (the Workstation validates again: defence in depth).
 */
import { z } from 'zod';
import { contractInputs, type ContractMethod, type MeridianApi } from '../../../shared/api/contract';
import { isMeridianError, type ErrorCode, type Problem } from '../../../shared/errors';
import { zodProblems } from '../../../shared/validation';

export interface WireError {
  code: ErrorCode;
  message: string;
  problems: Problem[];
}

export type RpcId = number | string;
export type RpcResponse = { id: RpcId | null; ok: true; value: unknown } | { id: RpcId | null; ok: false; error: WireError };
export interface RpcEvent {
  event: string;
  payload: unknown;
}

const envelope = z.strictObject({
  id: z.union([z.number().int().nonnegative(), z.string().min(1).max(100)]),
  method: z.string().min(1).max(64),
  input: z.unknown().optional(),
});


/**
 * Methods that take a path on the host's disk. A browser page must not make
 * the host read or write arbitrary files, so the web host refuses them; the
 * UI exports through saveExport (a download) instead.
 */
export const PATH_METHODS: ReadonlySet<string> = new Set(['importCsv', 'exportCsv']);

function schemaOf(method: string): z.ZodType | undefined {
  return Object.hasOwn(contractInputs, method) ? (contractInputs[method as ContractMethod] as z.ZodType) : undefined;
}

export function wireError(e: unknown, log: (line: string) => void = console.error): WireError {
  if (isMeridianError(e)) return { code: e.code, message: e.message, problems: e.problems };
  log(`web host: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return {
    code: 'INTERNAL',
    message: 'Something went wrong in the Meridian host; nothing was changed. The details are in the host’s terminal output.',
    problems: [],
  };
}

function fail(id: RpcId | null, code: ErrorCode, message: string, problems?: Problem[]): RpcResponse {
  return { id, ok: false, error: { code, message, problems: problems ?? [{ code, message }] } };
}

/** Parses, validates and runs one request frame against `api`. */
export async function dispatch(api: MeridianApi, frame: string, log?: (line: string) => void): Promise<RpcResponse> {
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return fail(null, 'INVALID_INPUT', 'The request was not valid JSON.');
  }
  const env = envelope.safeParse(json);
  if (!env.success) {
    const maybeId = (json as { id?: unknown } | null)?.id;
    const id = typeof maybeId === 'number' || typeof maybeId === 'string' ? maybeId : null;
    const problems = zodProblems(env.error, 'request');
    return fail(id, 'INVALID_INPUT', `invalid request: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  const { id, method, input } = env.data;
  const schema = schemaOf(method);
  if (!schema) return fail(id, 'INVALID_INPUT', `There is no method named "${method}".`);
  if (PATH_METHODS.has(method)) {
    return fail(id, 'INVALID_INPUT', `${method} reads or writes files by path, which the browser host does not allow; use the Export button (a download) instead.`);
  }
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    const problems = zodProblems(parsed.error);
    return fail(id, 'INVALID_INPUT', `invalid ${method} input: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  try {
    const fn = (api as unknown as Record<ContractMethod, (input: unknown) => Promise<unknown>>)[method as ContractMethod];
    const value = await fn.call(api, parsed.data);
    return { id, ok: true, value: value === undefined ? null : value };
  } catch (e) {
    return { id, ok: false, error: wireError(e, log) };
  }
}
