import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { core, ZodError } from "zod";
import { InvalidInputError, type FieldProblem } from "../availability/errors.js";
import { ScopeNotFoundError } from "../reports/errors.js";
import { StoreError } from "../store/errors.js";
import type { ApiEnv } from "./router.js";

/** Machine-readable error codes; every error response carries one. */
export type ErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "token_expired"
  | "token_revoked"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "storage_unavailable"
  | "internal";

/** Most problems one error message lists. */
const MAX_LISTED = 5;

/** Body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/**
 * The API's one error type. Throw it from a route or middleware; the app turns it into
 * `{ "error": { "code", "message" } }` with its status. The message is shown to the caller as is.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** 400 about one field of the request: `"<field>: <problem>"`. */
  static invalid(field: string, problem: string): ApiError {
    return new ApiError(400, "invalid_request", `${field}: ${problem}`);
  }

  /**
   * 400 for problems the availability core found (`"<field>: <problem>"`, the first few joined by "; "), each
   * field prefixed with `prefix` (the request field the core's input came from).
   */
  static problems(problems: readonly FieldProblem[], prefix = ""): ApiError {
    const parts = problems.slice(0, MAX_LISTED).map((p) => `${prefix && p.field ? `${prefix}.` : prefix}${p.field}: ${p.problem}`);
    if (problems.length > MAX_LISTED) parts.push(`and ${problems.length - MAX_LISTED} more`);
    return new ApiError(400, "invalid_request", parts.join("; ") || "invalid input");
  }

  /** 404 for a resource that does not exist. */
  static notFound(what: string): ApiError {
    return new ApiError(404, "not_found", `${what} not found`);
  }

  /** 401: no credential, or one that is not valid. */
  static unauthorized(message = "missing or invalid bearer token"): ApiError {
    return new ApiError(401, "unauthorized", message);
  }
}

const TARGET_NAMES: Record<string, string> = { json: "body", query: "query", param: "path", header: "header", cookie: "cookie", form: "body" };

/**
 * The issues to report: a union none of whose options matched is reported as the one option that matched the
 * value's type, when there is exactly one (`businessCalendar.weekly.mon[0].start`, not `businessCalendar`).
 */
function reportedIssues(issues: readonly core.$ZodIssue[]): core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union") return [issue];
    const typeMatched = issue.errors.filter((option) => option.some((i) => i.path.length > 0 || (i.code !== "invalid_type" && i.code !== "invalid_value")));
    if (typeMatched.length !== 1) return [issue];
    return reportedIssues(typeMatched[0]!.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
  });
}

/** `"<field path>: <problem>"` for each zod issue (the first few), joined by "; ". */
export function describeZodError(error: ZodError, target: string): string {
  const issues = reportedIssues(error.issues);
  const parts = issues.slice(0, MAX_LISTED).map((issue) => {
    // An unknown field is named itself ("costModel.foo: unknown field"), not the object holding it.
    if (issue.code === "unrecognized_keys") return issue.keys.map((key) => `${[...issue.path, key].map(String).join(".")}: unknown field`).join("; ");
    const field = issue.path.length ? issue.path.map(String).join(".") : (TARGET_NAMES[target] ?? target);
    const missing = issue.code === "invalid_type" && /received undefined$/.test(issue.message);
    return `${field}: ${missing ? "required" : issue.message}`;
  });
  if (issues.length > MAX_LISTED) parts.push(`and ${issues.length - MAX_LISTED} more`);
  return parts.join("; ");
}

/** OpenAPIHono `defaultHook`: a request that fails its zod schema becomes a 400 `invalid_request` naming the field. */
export function validationHook(result: { target: string; success: boolean; error?: ZodError }): void {
  if (!result.success && result.error) throw new ApiError(400, "invalid_request", describeZodError(result.error, result.target));
}

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** Error handler for the app: every failure becomes the JSON error shape; internals are logged, never sent. */
export function handleError(err: unknown, c: Context<ApiEnv>): Response {
  if (err instanceof ApiError) return errorResponse(c, err.status, err.code, err.message);
  // The availability core refusing its input is the caller's mistake: 400 naming the field.
  if (err instanceof InvalidInputError) {
    const invalid = ApiError.problems(err.problems);
    return errorResponse(c, invalid.status, invalid.code, invalid.message);
  }
  if (err instanceof ScopeNotFoundError) return errorResponse(c, 404, "not_found", err.message);
  if (err instanceof HTTPException && err.status < 500) {
    const code = HTTP_CODES[err.status] ?? "invalid_request";
    const message = /malformed json/i.test(err.message) ? "body: malformed JSON" : err.message || code;
    return errorResponse(c, err.status, code, message);
  }
  const logger = c.get("deps")?.logger;
  const where = { method: c.req.method, path: c.req.path };
  if (err instanceof StoreError && err.retryable) {
    logger?.warn({ ...where, err }, "storage unavailable");
    c.header("Retry-After", "1");
    return errorResponse(c, 503, "storage_unavailable", "storage is unavailable, try again shortly");
  }
  logger?.error({ ...where, err }, "request failed");
  return errorResponse(c, 500, "internal", "internal error");
}

/** JSON error response; a 401 also says which scheme to use. */
export function errorResponse(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string): Response {
  if (status === 401) c.header("WWW-Authenticate", 'Bearer realm="vigil"');
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, status);
}
