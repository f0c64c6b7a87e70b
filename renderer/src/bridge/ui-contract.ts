/** The UI contract additions, from their one definition in shared/api (types only: the renderer bundles no schemas). */
export type * from '../../../shared/api/ui-contract';
