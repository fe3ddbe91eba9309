import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { compareVersions } from "../../inventory/versions.js";
import { searchInventory } from "../../store/queries/inventory.js";
import { READ_ROLES, visibleClientId } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, iso, jsonResponse } from "../schema.js";
import { SearchQuery, SearchResultSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/search",
  tags: ["inventory"],
  summary: "Fleet search over the newest inventory of every host",
  description:
    "Every filter given must match. Examples: every host with OpenSSL below 3.0.13 (`software=openssl&versionBelow=3.0.13`), " +
    "every host on Windows 10 (`os=windows 10`), every host with less than 8 GiB of memory (`memoryBelowBytes=8589934592`). " +
    "Versions compare the way dpkg orders them (epochs, `~`, numeric runs), which also fits RPM and Windows version strings. " +
    "A viewer searches only its own client's hosts; `clientId` of another client answers 404.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { query: SearchQuery },
  responses: {
    200: jsonResponse("Matching hosts by hostname", SearchResultSchema),
    ...errorResponses(400, 401, 403, 503),
  },
});

export function registerInventorySearch(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const q = c.req.valid("query");
    if (q.versionBelow !== undefined && q.software === undefined) throw ApiError.invalid("versionBelow", "needs software");
    if (q.os !== undefined && q.os.trim() === "") throw ApiError.invalid("os", "must not be blank");
    const clientId = visibleClientId(c, q.clientId);
    if (clientId === undefined && q.siteId === undefined && q.software === undefined && q.os === undefined && q.memoryBelowBytes === undefined) {
      throw ApiError.invalid("query", "give at least one of clientId, siteId, software, os, memoryBelowBytes");
    }
    const rows = await searchInventory(c.var.deps.store, { ...q, clientId, limit: q.limit });
    const items = [];
    for (const r of rows) {
      let software = r.matched_names.map((name, i) => ({ name, version: r.matched_versions[i] ?? "" }));
      if (q.versionBelow !== undefined) {
        const below = q.versionBelow;
        software = software.filter((s) => compareVersions(s.version, below) < 0);
        if (software.length === 0) continue;
      }
      items.push({
        hostId: r.agent_id,
        hostname: r.hostname,
        clientId: r.client_id,
        siteId: r.site_id,
        collectedAt: iso(Number(r.ts)),
        os: { platform: r.os_platform, distro: r.os_distro, release: r.os_release, build: r.os_build },
        memoryBytes: Number(r.memory_bytes),
        cpu: r.cpu_brand,
        manufacturer: r.manufacturer,
        model: r.model,
        software: q.software === undefined ? [] : software,
      });
    }
    return c.json({ items }, 200);
  });
}
