/**
 * WAL checkpoints off the main thread while a long pull writes.
 *
 * In WAL mode SQLite copies the log back into the database file (a
 * checkpoint, with an fsync) from inside whichever COMMIT crosses
 * `wal_autocheckpoint` pages. During an initial sync of a million rows that
 * is a stall of hundreds of milliseconds every few transactions, on the main
 * process's event loop. While a pull runs, the profile's connection turns
 * automatic checkpoints off and a worker thread with its own connection runs
 * PASSIVE checkpoints (they never block the writer) every `intervalMs`;
 * afterwards the setting is restored. If the worker cannot start (an unusual
 * packaging), nothing changes: SQLite keeps checkpointing by itself.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 5000 });
parentPort.on('message', (m) => {
  if (m === 'close') { db.close(); parentPort.close(); return; }
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    parentPort.postMessage({ ok: true, log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String(e && e.message) });
  }
});
`;

export class BackgroundCheckpointer {
  private worker: Worker | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  private previous: number | null = null;
  /** Checkpoints completed (diagnostics). */
  runs = 0;

  constructor(
    private readonly raw: Database.Database,
    private readonly file: string,
    private readonly intervalMs = 200,
  ) {}

  /** Starts (idempotent). Returns false when checkpoints stay automatic (in-memory database, no worker). */
  start(): boolean {
    if (this.worker) return true;
    if (this.file === ':memory:' || this.raw.memory || this.raw.pragma('journal_mode', { simple: true }) !== 'wal') return false;
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      const worker = new Worker(WORKER, { eval: true, workerData: { driver, file: this.raw.name } });
      worker.unref();
      worker.on('message', () => {
        this.inFlight = false;
        this.runs++;
        const waiting = this.waiters.splice(0);
        for (const w of waiting) w();
      });
      worker.on('error', () => this.stop());
      this.worker = worker;
    } catch {
      return false;
    }
    this.previous = this.raw.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.raw.pragma('wal_autocheckpoint = 0');
    this.timer = setInterval(() => {
      if (this.inFlight || !this.worker) return;
      this.inFlight = true;
      this.worker.postMessage('checkpoint');
    }, this.intervalMs);
    this.timer.unref();
    return true;
  }

  private readonly waiters: (() => void)[] = [];

  /**
   * Checkpoints what the pull wrote (in the worker, waiting at most
   * `timeoutMs`), then restores automatic checkpoints and ends the worker —
   * so the next COMMIT on the main thread does not inherit a long log.
   */
  async finish(timeoutMs = 10_000): Promise<void> {
    const w = this.worker;
    if (w) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      const deadline = Date.now() + timeoutMs;
      const answer = () =>
        new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.max(0, deadline - Date.now()));
          t.unref();
          this.waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      if (this.inFlight) await answer(); // the run under way may have started before the last writes
      if (this.worker === w && Date.now() < deadline) {
        this.inFlight = true;
        w.postMessage('checkpoint');
        await answer();
      }
    }
    this.stop();
  }

  /** Restores automatic checkpoints and ends the worker at once. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.previous !== null && this.raw.open) this.raw.pragma(`wal_autocheckpoint = ${this.previous}`);
    this.previous = null;
    const w = this.worker;
    this.worker = null;
    if (w) {
      w.postMessage('close');
      setTimeout(() => void w.terminate(), 5000).unref();
    }
  }
}
