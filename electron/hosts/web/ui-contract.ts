/** The UI contract additions live in shared/api/ui-contract.ts. */
export * from '../../../shared/api/ui-contract';
