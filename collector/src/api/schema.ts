import { z } from "@hono/zod-openapi";

/** Every error response: `{ "error": { "code", "message" } }`. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "invalid_request" }),
      message: z.string().openapi({ example: "name: required" }),
    }),
  })
  .openapi("Error");

const ERROR_DESCRIPTIONS = {
  400: "Invalid request; the message names the field",
  401: "Missing or invalid credential",
  403: "The caller's role does not allow this",
  404: "Not found",
  409: "Conflict with the current state",
  503: "Storage temporarily unavailable; retry",
} as const;

/** OpenAPI response entries for the given error statuses. */
export function errorResponses<S extends keyof typeof ERROR_DESCRIPTIONS>(...statuses: S[]) {
  const out = {} as Record<S, { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }>;
  for (const s of statuses) out[s] = { description: ERROR_DESCRIPTIONS[s], content: { "application/json": { schema: ErrorSchema } } };
  return out;
}

/** Security requirement of admin routes in the OpenAPI document. */
export const bearerSecurity = [{ bearerAuth: [] }];

/** `{id}` path parameter of resources. */
export const IdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "k3JxA9bq2xPwLm0T" }),
});

/** An instant as ISO 8601 in UTC. */
export const Timestamp = z.string().openapi({ format: "date-time", example: "2026-01-05T10:00:00.000Z" });

/** Epoch milliseconds to ISO 8601. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A JSON request body that must be present. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } } as const;
}

/** A JSON response. */
export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { "application/json": { schema } } } as const;
}
