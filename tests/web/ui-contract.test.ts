/**
 * The proposed UI contract exists twice until it moves to shared/api: zod
 * schemas in the web host, a type-only copy in the renderer (which may import
 * shared/ only). These checks fail `tsc` (and this test) when they drift.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { uiContractInputs } from '../../electron/hosts/web/ui-contract';
import type * as Host from '../../electron/hosts/web/ui-contract';
import type * as Renderer from '../../renderer/src/bridge/ui-contract';

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Accepts<M extends Host.UiContractMethod> = [Renderer.UiContractInput<M>] extends [z.input<(typeof uiContractInputs)[M]>] ? true : false;
type AllInputsAccepted = { [M in Host.UiContractMethod]: Accepts<M> }[Host.UiContractMethod];

const sameMethods: Mutual<Host.UiContractMethod, Renderer.UiContractMethod> = true;
const sameOutputs: Mutual<Host.UiContractOutputs, Renderer.UiContractOutputs> = true;
const sameEvents: Mutual<Host.UiContractEvents, Renderer.UiContractEvents> = true;
const inputsAccepted: AllInputsAccepted = true;

describe('UI contract copies', () => {
  it('agree on methods, inputs, outputs and events (checked by the type checker)', () => {
    expect([sameMethods, sameOutputs, sameEvents, inputsAccepted]).toEqual([true, true, true, true]);
  });

  it('every method has a strict input schema', () => {
    for (const [name, schema] of Object.entries(uiContractInputs)) {
      expect(schema.safeParse({ unexpected: 1 }).success, name).toBe(false);
    }
  });
});
