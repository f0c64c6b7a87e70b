import type { EXPORT_KINDS } from '../../../shared/api/contract';

export type ExportKind = (typeof EXPORT_KINDS)[number];
