/**
 * The one contract (shared/api/contract.ts): composed of disjoint pieces,
 * every input strict, every method with an output type, and the preload's
 * bridge of exactly that type (type-checked).
 */
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_EVENTS,
  CONTRACT_METHODS,
  CONTRACT_OUTPUTS_COMPLETE,
  CONTRACT_PIECES,
  CONTRACT_PIECES_DISJOINT,
  contractInputs,
  hostContractInputs,
  type MeridianBridge,
} from '../../shared/api/contract';
import { coreContractInputs } from '../../shared/api/core-contract';
import { reportContractInputs } from '../../shared/api/report-contract';
import { signInContractInputs } from '../../shared/api/sign-in-contract';
import { uiContractInputs } from '../../shared/api/ui-contract';
import type { createBridge } from '../../electron/preload/bridge';

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const preloadIsTheContract: Mutual<ReturnType<typeof createBridge>, MeridianBridge> = true;

describe('the contract', () => {
  it('is the union of its pieces, with no method defined twice', () => {
    const all = Object.values(CONTRACT_PIECES).flatMap((p) => Object.keys(p));
    expect(new Set(all).size).toBe(all.length);
    expect(Object.keys(contractInputs).sort()).toEqual([...all].sort());
    expect(CONTRACT_PIECES.core).toBe(coreContractInputs);
    expect(Object.keys(hostContractInputs).sort()).toEqual([...Object.keys(uiContractInputs), ...Object.keys(signInContractInputs), ...Object.keys(reportContractInputs)].sort());
    expect(CONTRACT_METHODS).toEqual(Object.keys(contractInputs));
    expect(CONTRACT_PIECES_DISJOINT.every((x) => x === true)).toBe(true);
    expect(CONTRACT_OUTPUTS_COMPLETE).toBe(true);
  });

  it('has a strict input schema for every method (unknown fields are refused)', () => {
    for (const [name, schema] of Object.entries(contractInputs)) {
      expect(schema.safeParse({ unexpected: 1 }).success, name).toBe(false);
    }
  });

  it('includes sign-in and the UI methods, and the sync status and session events', () => {
    for (const m of ['signIn', 'signOut', 'session', 'syncStatus', 'saveExport', 'listFunds']) expect(CONTRACT_METHODS).toContain(m);
    expect([...CONTRACT_EVENTS].sort()).toEqual(['dataChanged', 'jobProgress', 'session', 'syncStatus']);
  });

  it('is the type the preload bridge builds (the renderer re-exports MeridianBridge from shared/api; checked by the type checker)', () => {
    expect(preloadIsTheContract).toBe(true);
  });
});
