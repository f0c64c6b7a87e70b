/**
 * One entry point for every PDF document: validates the request's ids for
 * its kind and writes the file atomically (write-pdf.ts). Hosts run it as a
 * job (report-api.ts) so it reports progress and can be cancelled.
 */
import type Database from 'better-sqlite3';
import type { ReportKind } from '../../../shared/api/report-contract';
import { MeridianError } from '../../../shared/errors';
import { writeCallNotice } from './capital-call-notice';
import { writeCreditMemo } from './credit-memo';
import { writeFundReport } from './fund-report';
import { writeLpStatement } from './lp-statement';
import type { PdfWriteOptions, PdfWriteResult } from './write-pdf';

export interface RenderRequest {
  kind: ReportKind;
  fundId?: string;
  id?: string;
  investorId?: string;
  borrowerId?: string;
  asOf?: string;
  from?: string;
  index?: string;
  purposes?: { managementFees?: number; fundExpenses?: number; other?: number };
  fees?: number;
  confidentiality?: string;
}

function need(req: RenderRequest, key: 'fundId' | 'id' | 'investorId' | 'borrowerId', what: string): string {
  const v = req[key];
  if (v === undefined) {
    throw new MeridianError('INVALID_INPUT', `a ${req.kind} needs ${what}`, { path: key }, [{ code: 'INVALID_INPUT', path: key, message: `${key}: required for a ${req.kind}` }]);
  }
  return v;
}

/** Writes the document `req` asks for to `outFile`; `today` is the default as-of date. */
export async function renderReport(db: Database.Database, req: RenderRequest, outFile: string, opts: PdfWriteOptions & { today: string }): Promise<PdfWriteResult> {
  const asOf = req.asOf ?? opts.today;
  switch (req.kind) {
    case 'fund-report':
      return writeFundReport(db, { fundId: need(req, 'fundId', 'a fund (--fund)'), asOf, index: req.index, confidentiality: req.confidentiality }, outFile, opts);
    case 'capital-call-notice':
      return writeCallNotice(db, { callId: need(req, 'id', 'a capital call (--id)'), investorId: req.investorId, purposes: req.purposes, confidentiality: req.confidentiality }, outFile, opts);
    case 'lp-statement':
      return writeLpStatement(
        db,
        { fundId: need(req, 'fundId', 'a fund (--fund)'), investorId: need(req, 'investorId', 'an investor (--investor)'), asOf, from: req.from, fees: req.fees, confidentiality: req.confidentiality },
        outFile,
        opts,
      );
    case 'credit-memo':
      return writeCreditMemo(db, { borrowerId: need(req, 'borrowerId', 'a borrower (--borrower)'), asOf: req.asOf, confidentiality: req.confidentiality }, outFile, opts);
  }
}
