/** What went wrong, for callers that react differently to each (wait and retry, alert, give up). */
export type SpoolErrorCode =
  | "locked" // another live process (or this one) has the spool open
  | "disk_full"
  | "io"
  | "corrupt_meta"
  | "too_large" // the batch could never be delivered: it exceeds the wire limits
  | "invalid" // the caller passed something the spool cannot take
  | "closed";

/** Typed spool failure; `retryable` says whether the same call may succeed later without anyone intervening. */
export class SpoolError extends Error {
  override readonly name = "SpoolError";
  readonly code: SpoolErrorCode;
  readonly retryable: boolean;

  constructor(code: SpoolErrorCode, message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retryable = retryable;
  }
}

// Conditions that clear up by themselves (space freed, descriptors released); anything else needs a person.
const RETRYABLE_ERRNO = new Set(["EAGAIN", "EBUSY", "EINTR", "EMFILE", "ENFILE", "ETIMEDOUT"]);
const DISK_FULL_ERRNO = new Set(["ENOSPC", "EDQUOT"]);

/** Wraps a filesystem error so callers can decide on `code`/`retryable` instead of parsing errno strings. */
export function toSpoolError(err: unknown, what: string): SpoolError {
  if (err instanceof SpoolError) return err;
  const errno = (err as NodeJS.ErrnoException | undefined)?.code ?? "";
  const detail = err instanceof Error ? err.message : String(err);
  if (DISK_FULL_ERRNO.has(errno)) return new SpoolError("disk_full", `${what}: disk full (${detail})`, true, { cause: err });
  return new SpoolError("io", `${what}: ${detail}`, RETRYABLE_ERRNO.has(errno), { cause: err });
}

/** errno of a Node filesystem error, or "" for anything else. */
export function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? "";
}
