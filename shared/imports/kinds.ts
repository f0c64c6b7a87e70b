/** The CSV import kinds the workstation accepts (formats in ./formats). */
export const IMPORT_KINDS = ['funds', 'deals', 'investors', 'commitments', 'allocations', 'cashflows', 'navs', 'index'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
