/** The view types of the contract's UI piece (shared/api/ui-contract.ts), for the renderer's screens: types only, the renderer bundles no schemas. */
export type * from '../../../shared/api/ui-contract';
