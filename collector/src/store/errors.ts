/** A storage operation failed. `retryable` says whether trying the same operation again can succeed. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StoreError";
  }
}

// ClickHouse error codes that mean "the statement itself is wrong": retrying cannot help.
const PERMANENT_CODES = new Set([
  "6", // CANNOT_PARSE_TEXT
  "26", // CANNOT_PARSE_QUOTED_STRING
  "27", // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  "38", // CANNOT_PARSE_DATE
  "41", // CANNOT_PARSE_DATETIME
  "36", // BAD_ARGUMENTS
  "43", // ILLEGAL_TYPE_OF_ARGUMENT
  "47", // UNKNOWN_IDENTIFIER
  "53", // TYPE_MISMATCH
  "60", // UNKNOWN_TABLE
  "62", // SYNTAX_ERROR
  "70", // CANNOT_CONVERT_TYPE
  "72", // CANNOT_PARSE_NUMBER
  "117", // INCORRECT_DATA
  "179", // MULTIPLE_EXPRESSIONS_FOR_ALIAS
  "184", // ILLEGAL_AGGREGATION
  "215", // NOT_AN_AGGREGATE
  "352", // AMBIGUOUS_COLUMN_NAME
  "456", // UNKNOWN_QUERY_PARAMETER
  "457", // BAD_QUERY_PARAMETER
]);

/** Wraps whatever the ClickHouse client threw into a StoreError that says whether a retry helps. */
export function toStoreError(err: unknown, what: string): StoreError {
  if (err instanceof StoreError) return err;
  const e = err as { code?: unknown; message?: unknown };
  const code = e?.code === undefined ? undefined : String(e.code);
  const message = typeof e?.message === "string" ? e.message : String(err);
  const retryable = code === undefined || !PERMANENT_CODES.has(code);
  return new StoreError(`${what}: ${message}`, retryable, { cause: err });
}
