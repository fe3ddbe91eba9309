/** A backup or restore could not run. `retryable` says whether running it again unchanged can succeed. */
export class OperationError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OperationError";
  }
}
