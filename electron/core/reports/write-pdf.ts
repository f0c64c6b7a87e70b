/**
 * Lays out a document and writes it atomically: the PDF streams to a
 * temporary name beside the target and is renamed over it only when the
 * whole document is written (exports/write-atomic.ts). A cancelled or failed
 * layout leaves no file, and an existing file of that name as it was.
 */
import { writeFileAtomic } from '../exports/write-atomic';
import { ReportDocument, type ReportDocumentOptions } from './document';

export interface PdfWriteOptions {
  signal?: AbortSignal;
  /** Progress while laying out: pages so far (total unknown until the end). */
  onProgress?: (p: { done: number; total: number | null }) => void;
}

export interface PdfWriteResult {
  /** Absolute path of the written file. */
  file: string;
  pages: number;
  bytes: number;
}

export async function writePdf(
  outFile: string,
  docOptions: Omit<ReportDocumentOptions, 'signal' | 'onPage'>,
  layout: (r: ReportDocument) => Promise<void>,
  opts: PdfWriteOptions = {},
): Promise<PdfWriteResult> {
  const r = new ReportDocument({ ...docOptions, signal: opts.signal, onPage: (n) => opts.onProgress?.({ done: n, total: null }) });
  const writing = writeFileAtomic(outFile, [r.doc], { signal: opts.signal });
  writing.catch(() => undefined); // handled below; keeps a rejection during layout from being "unhandled"
  try {
    await layout(r);
    await r.checkpoint();
    r.finish();
  } catch (e) {
    // Without an error argument: the pipeline may already be gone, and an 'error' event nobody listens to would crash the process.
    r.doc.destroy();
    await writing.catch(() => undefined);
    throw e;
  }
  const { file, bytes } = await writing;
  opts.onProgress?.({ done: r.pageCount, total: r.pageCount });
  return { file, pages: r.pageCount, bytes };
}
