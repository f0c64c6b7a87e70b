/**
 * One writer at a time on a profile's connection. better-sqlite3 has a
 * single connection, and an import holds its transaction open across
 * batches (yielding to the event loop between them); a mutation that ran in
 * between would land inside that transaction. Every write path of the
 * workstation goes through `run`.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
