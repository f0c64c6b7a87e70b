/**
 * The hosts' implementation of the credit contract piece
 * (shared/api/credit-contract.ts): the borrower list, one borrower's
 * workspace and one saved analysis version, answered by the credit read
 * models of electron/core/credit over the local profile. Inputs are
 * validated here again (defence in depth, like ./ui-api). The web host and
 * the desktop main process both spread it into their contract.
 */
import type { z } from 'zod';
import {
  creditContractInputs,
  type CreditContractInput,
  type CreditContractMethod,
  type MeridianCreditApi,
} from '../../../shared/api/credit-contract';
import { parseOrThrow } from '../../../shared/validation';
import { creditWorkspace, getCreditAnalysis, listCreditBorrowers } from '../../core/credit/read-models';
import type { Workstation } from '../../core/workstation';

export function createCreditApi(ws: Workstation): MeridianCreditApi {
  const db = ws.db.raw;
  const input = <M extends CreditContractMethod>(method: M, value: unknown) =>
    parseOrThrow(creditContractInputs[method] as z.ZodType, value ?? {}, `${method} input`) as z.output<(typeof creditContractInputs)[M]>;

  return {
    async creditBorrowers(value: CreditContractInput<'creditBorrowers'> = {}) {
      input('creditBorrowers', value);
      return listCreditBorrowers(db);
    },
    async creditWorkspace(value: CreditContractInput<'creditWorkspace'>) {
      return creditWorkspace(db, input('creditWorkspace', value).borrowerId);
    },
    async creditAnalysis(value: CreditContractInput<'creditAnalysis'>) {
      return getCreditAnalysis(db, input('creditAnalysis', value).analysisId);
    },
  };
}
