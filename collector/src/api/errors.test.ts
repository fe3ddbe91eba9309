import { z } from "@hono/zod-openapi";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../availability/errors.js";
import { StoreError } from "../store/errors.js";
import type { ApiDeps } from "./app.js";
import { ApiError, describeZodError, handleError } from "./errors.js";
import { createRouter } from "./router.js";

// The error handler alone, on a bare router: no store is involved.
function appThrowing(err: unknown) {
  const lines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (l: string) => void lines.push(l) });
  const app = createRouter();
  app.use("*", async (c, next) => {
    c.set("deps", { logger } as unknown as ApiDeps);
    await next();
  });
  app.get("/boom", () => {
    throw err;
  });
  app.onError(handleError);
  return { app, lines };
}

describe("handleError", () => {
  it("sends an ApiError as is", async () => {
    const { app } = appThrowing(new ApiError(409, "conflict", "already there"));
    const res = await app.request("/boom");
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: "conflict", message: "already there" } });
  });

  it("answers 500 without internals and logs them", async () => {
    const { app, lines } = appThrowing(new Error("secret internals at /var/lib/x"));
    const res = await app.request("/boom");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: "internal error" } });
    expect(text).not.toContain("secret");
    expect(lines.join("\n")).toContain("secret internals");
  });

  it("maps a retryable storage failure to 503 storage_unavailable", async () => {
    const { app } = appThrowing(new StoreError("query: ECONNREFUSED 10.0.0.1:8123", true));
    const res = await app.request("/boom");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe("storage_unavailable");
    expect(text).not.toContain("ECONNREFUSED");
  });

  it("maps a permanent storage failure to 500", async () => {
    const { app } = appThrowing(new StoreError("query: Syntax error", false));
    const res = await app.request("/boom");
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("internal");
  });
});

describe("describeZodError", () => {
  it("names the field path of each issue", () => {
    const schema = z.object({ os: z.object({ arch: z.string() }), name: z.string().max(2) });
    const r = schema.safeParse({ os: { arch: 1 }, name: "abc" });
    expect(r.success).toBe(false);
    const message = describeZodError(r.error!, "json");
    expect(message).toMatch(/^os\.arch: .*expected string/);
    expect(message).toMatch(/; name: /);
  });

  it("names the target for a problem with the whole body", () => {
    const r = z.object({}).safeParse("text");
    expect(describeZodError(r.error!, "json")).toMatch(/^body: /);
  });
});

describe("availability core input errors", () => {
  it("maps InvalidInputError to 400 naming every field", async () => {
    const err = new InvalidInputError([
      { field: "costModel.annualRevenue", problem: "must not be negative" },
      { field: "sloPct", problem: "must be at most 100" },
    ]);
    const { app } = appThrowing(err);
    const res = await app.request("/boom");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "invalid_request", message: "costModel.annualRevenue: must not be negative; sloPct: must be at most 100" } });
  });

  it("ApiError.problems prefixes the core's fields with the request field", () => {
    const err = ApiError.problems([{ field: "weekly.mon[0].end", problem: "equals start" }], "businessCalendar");
    expect(err.status).toBe(400);
    expect(err.message).toBe("businessCalendar.weekly.mon[0].end: equals start");
  });

  it("names an unknown field itself", () => {
    const r = z.object({ costModel: z.object({ a: z.number() }).strict() }).strict().safeParse({ costModel: { a: 1, foo: 2 }, bar: 3 });
    expect(describeZodError(r.error!, "json")).toBe("costModel.foo: unknown field; bar: unknown field");
  });
});

describe("describeZodError with unions", () => {
  const schema = z.object({ cal: z.union([z.literal("24x7"), z.object({ weekly: z.object({ mon: z.array(z.object({ start: z.string() })) }) })], { error: 'must be "24x7" or a calendar' }) });

  it("names the field inside the one option the value's type matched", () => {
    const r = schema.safeParse({ cal: { weekly: { mon: [{ start: 9 }] } } });
    expect(describeZodError(r.error!, "json")).toMatch(/^cal\.weekly\.mon\.0\.start: .*expected string/);
  });

  it("keeps the union's own message when no option matched the type", () => {
    const r = schema.safeParse({ cal: "24x5" });
    expect(describeZodError(r.error!, "json")).toBe('cal: must be "24x7" or a calendar');
  });
});
