/** Wrong usage of the CLI (exit code 2), as opposed to rejected input (exit code 1). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
