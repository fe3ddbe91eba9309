/** The client, site or host a report or incident list asks for does not exist (or is not the caller's). */
export class ScopeNotFoundError extends Error {
  readonly retryable = false;

  constructor(
    /** The parameter that named it. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "ScopeNotFoundError";
  }
}
