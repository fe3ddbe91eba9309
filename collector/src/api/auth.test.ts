import { describe, expect, it } from "vitest";
import { hashToken } from "../auth/secrets.js";
import type { ApiDeps } from "./app.js";
import { bearerToken, requireRole, type Principal } from "./auth.js";
import { handleError } from "./errors.js";
import { createRouter } from "./router.js";

describe("bearerToken", () => {
  it("extracts the token of a Bearer header", () => {
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("bearer  abc ")).toBe("abc");
  });
  it("refuses anything else", () => {
    for (const h of [undefined, "", "Bearer", "Bearer ", "Basic abc", "abc", "Bearer a b", `Bearer ${"x".repeat(600)}`, "Bearer ab\u00e9"]) {
      expect(bearerToken(h)).toBeNull();
    }
  });
});

describe("requireRole", () => {
  const admin = "vat_test_" + "Z".repeat(40);
  // A bare router whose deps hold only what authentication reads; `preset` stands in for a future session lookup.
  function app(roles: Parameters<typeof requireRole>, preset?: Principal) {
    const router = createRouter();
    router.use("*", async (c, next) => {
      c.set("deps", { adminTokenHash: hashToken(admin) } as unknown as ApiDeps);
      if (preset) c.set("principal", preset);
      await next();
    });
    router.get("/x", requireRole(...roles), (c) => c.json({ principal: c.get("principal") }));
    router.onError(handleError);
    return router;
  }

  it("lets the admin token in as an admin principal", async () => {
    const res = await app(["admin"]).request("/x", { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { principal: unknown }).principal).toEqual({ role: "admin", subject: "admin-token" });
  });

  it("answers 401 without a valid token", async () => {
    const res = await app(["admin"]).request("/x", { headers: { authorization: "Bearer nope" } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "missing or invalid bearer token" } });
  });

  it("answers 403 to a principal without the role", async () => {
    const res = await app(["admin", "technician"], { role: "viewer", subject: "u1", clientId: "c1" }).request("/x");
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "forbidden", message: "requires role admin or technician" } });
  });

  it("lets other roles in where the route allows them", async () => {
    const res = await app(["admin", "vcio"], { role: "vcio", subject: "u2" }).request("/x");
    expect(res.status).toBe(200);
  });
});
