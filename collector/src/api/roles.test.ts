import type { OpenAPIHono } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal, Role } from "./auth.js";
import { createRouter, type ApiEnv } from "./router.js";
import { createTestApi, type TestApi } from "./testing.js";

// The role matrix (README "Roles"), one decision per route of the OpenAPI document. The role lists are written
// out here rather than imported from access.ts, so that changing a constant there shows up as a failing route.

const ALL: readonly Role[] = ["admin", "technician", "vcio", "viewer"];
const STAFF: readonly Role[] = ["admin", "technician", "vcio"];
const OPERATE: readonly Role[] = ["admin", "technician"];
const POLICY: readonly Role[] = ["admin", "vcio"];
const ADMIN: readonly Role[] = ["admin"];
/** Authenticated otherwise (enrollment token, signed ack token, password): no role is required. */
const OPEN = "open";

type Decision = readonly Role[] | typeof OPEN;

const MATRIX: Record<string, Decision> = {
  "POST /api/v1/session": OPEN,
  "GET /api/v1/session": ALL,
  "DELETE /api/v1/session": OPEN,
  "GET /api/v1/users": ADMIN,
  "GET /api/v1/users/{id}": ADMIN,
  "POST /api/v1/users": ADMIN,
  "PATCH /api/v1/users/{id}": ADMIN,
  "DELETE /api/v1/users/{id}": ADMIN,

  "GET /api/v1/clients": ALL,
  "POST /api/v1/clients": ADMIN,
  "GET /api/v1/clients/{id}": ALL,
  "PATCH /api/v1/clients/{id}": POLICY,
  "GET /api/v1/sites": ALL,
  "POST /api/v1/sites": OPERATE,
  "GET /api/v1/sites/{id}": ALL,
  "PATCH /api/v1/sites/{id}": OPERATE,
  "GET /api/v1/sites/{id}/timeline": ALL,
  "GET /api/v1/enrollment-tokens": OPERATE,
  "POST /api/v1/enrollment-tokens": OPERATE,
  "DELETE /api/v1/enrollment-tokens/{id}": OPERATE,
  "POST /api/v1/agents/enroll": OPEN,

  "GET /api/v1/fleet": ALL,
  "GET /api/v1/fleet/events": ALL,
  "GET /api/v1/hosts": ALL,
  "GET /api/v1/hosts/{id}": ALL,
  "POST /api/v1/hosts/{id}/revoke": OPERATE,
  "GET /api/v1/hosts/{id}/metrics": ALL,
  "PUT /api/v1/hosts/{id}/profile": OPERATE,
  "GET /api/v1/hosts/{id}/timeline": ALL,
  "GET /api/v1/hosts/{id}/inventory": ALL,
  "GET /api/v1/inventory/search": ALL,
  "GET /api/v1/inventory/changes": ALL,

  "GET /api/v1/reports/sla": ALL,
  "GET /api/v1/reports/fleet": STAFF,
  "GET /api/v1/reports/lifecycle": ALL,
  "POST /api/v1/report-runs": POLICY,
  "GET /api/v1/report-runs": ALL,
  "GET /api/v1/report-runs/{id}": ALL,

  "GET /api/v1/maintenance-windows": ALL,
  "POST /api/v1/maintenance-windows": OPERATE,
  "DELETE /api/v1/maintenance-windows/{id}": OPERATE,
  "GET /api/v1/audit": ALL,
  "GET /api/v1/incidents": ALL,
  "PATCH /api/v1/incidents/{id}": STAFF,

  "GET /api/v1/alerts": ALL,
  "GET /api/v1/alerts/{id}": ALL,
  "POST /api/v1/alerts/{id}/ack": OPERATE,
  "POST /api/v1/alerts/{id}/resolve": OPERATE,
  "POST /api/v1/alerts/{id}/silence": OPERATE,
  "GET /api/v1/alerts/ack": OPEN,
  "POST /api/v1/alerts/ack": OPEN,
  "GET /api/v1/channels": STAFF,
  "POST /api/v1/channels": OPERATE,
  "GET /api/v1/channels/{id}": STAFF,
  "PATCH /api/v1/channels/{id}": OPERATE,
  "DELETE /api/v1/channels/{id}": OPERATE,
  "POST /api/v1/channels/{id}/test": OPERATE,
  "GET /api/v1/alert-rules": STAFF,
  "POST /api/v1/alert-rules": OPERATE,
  "GET /api/v1/alert-rules/{id}": STAFF,
  "PATCH /api/v1/alert-rules/{id}": OPERATE,
  "DELETE /api/v1/alert-rules/{id}": OPERATE,
  "GET /api/v1/alert-routes": STAFF,
  "POST /api/v1/alert-routes": OPERATE,
  "PATCH /api/v1/alert-routes/{id}": OPERATE,
  "DELETE /api/v1/alert-routes/{id}": OPERATE,
  "GET /api/v1/silences": STAFF,
  "POST /api/v1/silences": OPERATE,
  "DELETE /api/v1/silences/{id}": OPERATE,
};

const PRINCIPALS: Record<Role, Principal> = {
  admin: { role: "admin", subject: "roles-admin" },
  technician: { role: "technician", subject: "roles-technician" },
  vcio: { role: "vcio", subject: "roles-vcio" },
  viewer: { role: "viewer", subject: "roles-viewer", clientId: "roles-viewer-client" },
};

describe("the role matrix", () => {
  let t: TestApi;
  let routes: string[];
  // The real app behind a router that sets the principal first, as callAs does, one per role.
  const as = new Map<Role, OpenAPIHono<ApiEnv>>();

  beforeAll(async () => {
    t = await createTestApi();
    const doc = (await t.call("GET", "/api/v1/openapi.json", { token: null })).body as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    for (const [role, principal] of Object.entries(PRINCIPALS) as Array<[Role, Principal]>) {
      const outer = createRouter();
      outer.use("*", async (c, next) => {
        c.set("principal", principal);
        await next();
      });
      outer.route("/", t.app);
      as.set(role, outer);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  // Ids that name nothing and a body that is not valid: an allowed caller gets 400 or 404, never a change.
  async function request(app: OpenAPIHono<ApiEnv>, route: string): Promise<{ status: number; code: string | undefined; message: string | undefined }> {
    const [method, template] = route.split(" ") as [string, string];
    const url = template.replace(/\{[^}]+\}/g, "no-such-id");
    const sendsBody = method === "POST" || method === "PUT" || method === "PATCH";
    const res = await app.request(url, { method, ...(sendsBody ? { body: "{}", headers: { "content-type": "application/json" } } : {}) });
    if (!res.headers.get("content-type")?.includes("application/json")) {
      // A stream (text/event-stream) would never end: its status is all this test reads.
      await res.body?.cancel();
      return { status: res.status, code: undefined, message: undefined };
    }
    const body = (await res.json()) as { error?: { code: string; message: string } };
    return { status: res.status, code: body.error?.code, message: body.error?.message };
  }

  it("has a decision for every route of the OpenAPI document, and for no other", () => {
    expect(routes.filter((r) => !(r in MATRIX)).sort()).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !routes.includes(r)).sort()).toEqual([]);
  });

  for (const [route, decision] of Object.entries(MATRIX)) {
    it(`${route}: ${decision === OPEN ? "open" : decision.join(", ")}`, async () => {
      for (const role of ALL) {
        const res = await request(as.get(role)!, route);
        const allowed = decision === OPEN || decision.includes(role);
        if (allowed) {
          const refused = res.status === 401 || res.status === 403 || res.status >= 500;
          expect(refused, `${role} got ${res.status} ${res.code ?? ""} ${res.message ?? ""}`).toBe(false);
        } else {
          expect({ role, status: res.status, code: res.code, message: res.message }).toEqual({ role, status: 403, code: "forbidden", message: `requires role ${(decision as Role[]).join(" or ")}` });
        }
      }
      if (decision !== OPEN) {
        const anonymous = await request(t.app, route);
        expect({ status: anonymous.status, code: anonymous.code }).toEqual({ status: 401, code: "unauthorized" });
      }
    });
  }
});
