/**
 * The IPC decisions (pure; ./ipc.ts registers them with ipcMain):
 *  - validateSender: only the app's own page, in its main frame, may call;
 *  - validateIpcPayload: the method must be a contract method and its input
 *    must pass the contract's zod schema (the Workstation validates again);
 *  - pathGrantDecision: a method that takes a file path from the page is
 *    allowed only for a path the user picked in a native dialog;
 *  - dispatchIpc: the whole handling of one call, answering
 *    {ok, value} | {ok: false, error: {code, message, problems}}.
 * Errors other than MeridianError never reach the page with their message
 * or stack: they are logged and the page gets a generic INTERNAL answer.
 */
import type { z } from 'zod';
import { contractInputs, type ContractMethod } from '../../shared/api/contract';
import { isMeridianError, type ErrorCode, type Problem } from '../../shared/errors';
import { zodProblems } from '../../shared/validation';
import type { IpcResult, WireError } from '../preload/bridge';
import { isAppUrl } from './app-protocol';

export { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, CONTRACT_EVENTS, type IpcResult, type WireError } from '../preload/bridge';

/** The parts of a WebFrameMain the sender check reads. */
export interface SenderFrame {
  url: string;
  /** null for a main frame. */
  parent: unknown;
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string };

/** Largest payload accepted, as JSON characters (the web host's WebSocket limit). */
export const MAX_IPC_PAYLOAD_CHARS = 1024 * 1024;

export function validateSender(frame: SenderFrame | null | undefined): SenderVerdict {
  if (!frame) return { ok: false, reason: 'the sending frame is gone' };
  if (frame.parent !== null) return { ok: false, reason: 'sent from a subframe' };
  if (!isAppUrl(frame.url)) return { ok: false, reason: 'sent from a page that is not the app' };
  return { ok: true };
}

function fail(code: ErrorCode, message: string, problems?: Problem[]): { ok: false; error: WireError } {
  return { ok: false, error: { code, message, problems: problems ?? [{ code, message }] } };
}

export type PayloadVerdict = { ok: true; method: ContractMethod; input: unknown } | { ok: false; error: WireError };

export function validateIpcPayload(method: unknown, payload: unknown): PayloadVerdict {
  if (typeof method !== 'string' || !Object.hasOwn(contractInputs, method)) {
    return fail('INVALID_INPUT', `There is no method named "${typeof method === 'string' ? method.slice(0, 64) : typeof method}".`);
  }
  let size: number;
  try {
    size = JSON.stringify(payload ?? {}).length;
  } catch {
    return fail('INVALID_INPUT', `invalid ${method} input: not plain data`);
  }
  if (size > MAX_IPC_PAYLOAD_CHARS) return fail('INVALID_INPUT', `invalid ${method} input: larger than ${MAX_IPC_PAYLOAD_CHARS} characters`);
  const schema = contractInputs[method as ContractMethod] as z.ZodType;
  const parsed = schema.safeParse(payload ?? {});
  if (!parsed.success) {
    const problems = zodProblems(parsed.error);
    return fail('INVALID_INPUT', `invalid ${method} input: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  return { ok: true, method: method as ContractMethod, input: parsed.data };
}

/** Files the user picked in native dialogs this session: reads (open dialog) and writes (save dialog). */
export interface PathGrants {
  read: ReadonlySet<string>;
  write: ReadonlySet<string>;
}

/** Contract methods that take a path on this machine, and whether they read or write it. */
export const PATH_METHODS: Readonly<Partial<Record<ContractMethod, 'read' | 'write'>>> = Object.freeze({ importCsv: 'read', exportCsv: 'write' });

/**
 * The page must not make the main process read or write files of its
 * choosing: a path argument must be one the user picked in a native dialog.
 */
export function pathGrantDecision(method: ContractMethod, input: unknown, grants: PathGrants): { ok: true } | { ok: false; error: WireError } {
  const mode = PATH_METHODS[method];
  if (!mode) return { ok: true };
  const file = (input as { file?: unknown } | null)?.file;
  if (typeof file === 'string' && grants[mode].has(file)) return { ok: true };
  return fail(
    'INVALID_INPUT',
    mode === 'read'
      ? 'Choose the file to import with File ▸ Import…; the window cannot read files by path.'
      : 'Choose where to save with the Export button (a save dialog); the window cannot write files by path.',
  );
}

export interface Log {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export function toWireError(e: unknown, log?: Log, method?: string): WireError {
  if (isMeridianError(e)) return { code: e.code, message: e.message, problems: e.problems };
  log?.error({ err: e, method }, 'IPC handler failed');
  return {
    code: 'INTERNAL',
    message: 'Something went wrong in Meridian; nothing was changed. The details are in the log (Help ▸ Open Logs Folder).',
    problems: [],
  };
}

export type Handler = (input: unknown) => Promise<unknown>;
export type HandlerTable = Readonly<Record<string, Handler | undefined>>;

/** One IPC call, start to finish. */
export async function dispatchIpc(
  frame: SenderFrame | null | undefined,
  method: unknown,
  payload: unknown,
  handlers: HandlerTable,
  grants: PathGrants,
  log?: Log,
): Promise<IpcResult> {
  const sender = validateSender(frame);
  if (!sender.ok) {
    log?.warn({ reason: sender.reason, url: frame?.url?.slice(0, 200) }, 'IPC call refused');
    return fail('ROLE_FORBIDDEN', 'This window may not call Meridian.');
  }
  const v = validateIpcPayload(method, payload);
  if (!v.ok) return v;
  const grant = pathGrantDecision(v.method, v.input, grants);
  if (!grant.ok) return grant;
  const handler = Object.hasOwn(handlers, v.method) ? handlers[v.method] : undefined;
  if (!handler) return { ok: false, error: toWireError(new Error(`no desktop handler for ${v.method}`), log, v.method) };
  try {
    const value = await handler(v.input);
    return { ok: true, value: value === undefined ? null : value };
  } catch (e) {
    return { ok: false, error: toWireError(e, log, v.method) };
  }
}
