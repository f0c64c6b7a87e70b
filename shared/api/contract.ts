/**
 * THE contract between the renderer and its host: what `window.meridian`
 * offers under Electron (electron/preload) and in a browser (the web host's
 * WebSocket bridge, renderer/src/bridge/ws-bridge.ts). One entry per method:
 * a zod input schema in `contractInputs` (validated on the main side: the
 * IPC policy, the web host's rpc), its output type in `ContractOutputs`;
 * events in `ContractEvents` / `CONTRACT_EVENTS` (./events).
 *
 * It is composed of pieces, each defined in its own module and spread in:
 *   core      ./core-contract     — implemented by the Workstation (electron/core)
 *   UI        ./ui-contract       — host-provided (electron/hosts/web/ui-api.ts)
 *   sign-in   ./sign-in-contract  — host-provided (the host's sync session)
 *   report    ./report-contract   — host-provided (save dialog / download, then the core's report jobs)
 * To add a piece: define `xContractInputs` (strict zod objects) and
 * `XContractOutputs` in shared/api/x-contract.ts, spread the inputs into
 * `hostContractInputs` (or a new group), extend `ContractOutputs`, and give
 * both hosts an implementation. The `NoOverlap` check below fails the type
 * check if two pieces define the same method name. (docs/desktop.md.)
 */
import type { z } from 'zod';
import { coreContractInputs, type CoreContractOutputs } from './core-contract';
import { creditContractInputs, type CreditContractOutputs } from './credit-contract';
import { reportContractInputs, type ReportUiContractOutputs } from './report-contract';
import type { MeridianEventsApi } from './contract-events';
import { signInContractInputs, type SignInContractOutputs } from './sign-in-contract';
import { uiContractInputs, type UiContractOutputs } from './ui-contract';

export * from './core-contract';
export {
  CONNECTION_EVENT,
  CONTRACT_EVENTS,
  CONTRACT_EVENTS_COMPLETE,
  isContractEvent,
  type BridgeEventName,
  type BridgeEvents,
  type ConnectionEvent,
  type ContractEventName,
  type ContractEvents,
  type JobProgressEvent,
  type MeridianEventsApi,
} from './contract-events';

/** The pieces the host provides on top of the Workstation (UI reads, sync, sign-in). */
export const hostContractInputs = { ...uiContractInputs, ...signInContractInputs, ...reportContractInputs } as const;

/** Every method the renderer may call, with its input schema. */
export const contractInputs = { ...coreContractInputs, ...hostContractInputs, ...creditContractInputs } as const;

export type ContractMethod = keyof typeof contractInputs;
export type ContractInput<M extends ContractMethod> = z.input<(typeof contractInputs)[M]>;
/** The input after validation (defaults applied): what an implementation receives from the IPC policy / rpc. */
export type ContractParsedInput<M extends ContractMethod> = z.output<(typeof contractInputs)[M]>;

export interface ContractOutputs extends CoreContractOutputs, UiContractOutputs, SignInContractOutputs, CreditContractOutputs, ReportUiContractOutputs {}

/** What window.meridian offers: one async method per contract entry (plus `on`, see the bridges). */
export type MeridianApi = { [M in ContractMethod]: (input: ContractInput<M>) => Promise<ContractOutputs[M]> };

/**
 * `window.meridian`: the contract's methods and `on(event, listener)`. The
 * Electron preload (electron/preload/bridge.ts) and the browser bridge
 * (renderer/src/bridge/ws-bridge.ts) both `satisfies` it.
 */
export type MeridianBridge = MeridianApi & MeridianEventsApi;

export type HostContractMethod = keyof typeof hostContractInputs;
/** What a host implements itself (the rest it forwards to the Workstation). */
export type HostApi = Pick<MeridianApi, HostContractMethod>;

/** The pieces by name, at run time (tests check they are disjoint and add up to contractInputs; docs list them). */
export const CONTRACT_PIECES = Object.freeze({
  core: coreContractInputs,
  ui: uiContractInputs,
  signIn: signInContractInputs,
  credit: creditContractInputs,
  report: reportContractInputs,
});

/** Every method name, in contract order, at run time. */
export const CONTRACT_METHODS: readonly ContractMethod[] = Object.freeze(Object.keys(contractInputs) as ContractMethod[]);

// ---- compile-time checks: pieces never share a method name; outputs cover exactly the inputs.
type Overlap<A, B> = Extract<keyof A, keyof B>;
type NoOverlap<A, B> = [Overlap<A, B>] extends [never] ? true : { duplicateMethods: Overlap<A, B> };
export const CONTRACT_PIECES_DISJOINT: [
  NoOverlap<typeof coreContractInputs, typeof uiContractInputs>,
  NoOverlap<typeof coreContractInputs, typeof signInContractInputs>,
  NoOverlap<typeof uiContractInputs, typeof signInContractInputs>,
  NoOverlap<typeof coreContractInputs & typeof uiContractInputs & typeof signInContractInputs, typeof creditContractInputs>,
  NoOverlap<typeof coreContractInputs & typeof uiContractInputs & typeof signInContractInputs & typeof creditContractInputs, typeof reportContractInputs>,
] = [true, true, true, true, true];
type Mismatch = Exclude<ContractMethod, keyof ContractOutputs> | Exclude<keyof ContractOutputs, ContractMethod>;
export const CONTRACT_OUTPUTS_COMPLETE: [Mismatch] extends [never] ? true : { mismatch: Mismatch } = true;
