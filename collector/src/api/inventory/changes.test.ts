import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeInventory, ubuntuServer, windowsWorkstation } from "../../inventory/testing.js";
import { createTestApi, type Json, type TestApi } from "../testing.js";

describe("GET /api/v1/inventory/changes", () => {
  let t: TestApi;
  let pc: { clientId: string; siteId: string; agentId: string };
  let server: { clientId: string; siteId: string; agentId: string };
  const day = (d: number) => Date.parse(`2026-10-${String(d).padStart(2, "0")}T08:00:00Z`);
  const url = (q: string) => `/api/v1/inventory/changes?clientId=${pc.clientId}&from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z${q}`;

  beforeAll(async () => {
    t = await createTestApi();
    pc = await t.seedAgent({ hostname: "ACC-PC07" });
    // A second host of the same client.
    const token = (await t.call("POST", "/api/v1/enrollment-tokens", { body: { clientId: pc.clientId, siteId: pc.siteId } })).body.token;
    const e = await t.call("POST", "/api/v1/agents/enroll", { token: null, body: { token, hostname: "web01", agentVersion: "0.1.0", machineId: "m-web01" } });
    server = { clientId: pc.clientId, siteId: pc.siteId, agentId: e.body.agentId };

    const w1 = windowsWorkstation({ collectedAt: day(2) });
    const w2 = windowsWorkstation({
      collectedAt: day(9),
      memory: { totalBytes: 16 * 1024 ** 3, modules: w1.memory.modules },
      software: [
        ...w1.software.filter((s) => s.name !== "7-Zip 23.01 (x64)"),
        { name: "Zoom Workplace", version: "6.2.10", arch: "x64", publisher: "Zoom Video Communications, Inc.", source: "registry" as const },
      ].map((s) => (s.name === "Google Chrome" ? { ...s, version: "120.0.6099.130" } : s)),
    });
    const w3 = windowsWorkstation({ ...w2, collectedAt: day(20), os: { ...w2.os, distro: "Microsoft Windows 11 Pro", release: "10.0.26100", build: "26100", kernel: "10.0.26100" } });
    await storeInventory(t.store, pc, w1, 10);
    await storeInventory(t.store, pc, w2, 25);
    await storeInventory(t.store, pc, w3, 40);
    const s1 = ubuntuServer({ collectedAt: day(5) });
    const s2 = ubuntuServer({ collectedAt: day(15), services: [{ ...s1.services[0]!, state: "failed" }] });
    await storeInventory(t.store, server, s1, 3);
    await storeInventory(t.store, server, s2, 9);
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists the changes between consecutive inventories, newest first, with their timestamps", async () => {
    const res = await t.call("GET", url(""));
    expect(res.status).toBe(200);
    expect(res.body.from).toBe("2026-10-01T00:00:00.000Z");
    const rows = res.body.items.map((c: Json) => [c.hostname, c.at.slice(0, 10), c.category, c.change, c.item, c.before, c.after]);
    expect(rows).toEqual([
      ["ACC-PC07", "2026-10-20", "os", "changed", "release", "Microsoft Windows 10 Pro 10.0.19045 build 19045", "Microsoft Windows 11 Pro 10.0.26100 build 26100"],
      ["ACC-PC07", "2026-10-20", "os", "upgraded", "kernel", "10.0.19045", "10.0.26100"],
      ["web01", "2026-10-15", "service", "state_changed", "nginx.service", "running", "failed"],
      ["ACC-PC07", "2026-10-09", "memory", "changed", "total", "8 GiB", "16 GiB"],
      ["ACC-PC07", "2026-10-09", "software", "installed", "Zoom Workplace", "", "6.2.10"],
      ["ACC-PC07", "2026-10-09", "software", "removed", "7-Zip 23.01 (x64)", "23.01", ""],
      ["ACC-PC07", "2026-10-09", "software", "upgraded", "Google Chrome", "119.0.6045.160", "120.0.6099.130"],
    ]);
    const memory = res.body.items.find((c: Json) => c.category === "memory");
    expect(memory).toMatchObject({ hostId: pc.agentId, siteId: pc.siteId, at: "2026-10-09T08:00:00.000Z", previousAt: "2026-10-02T08:00:00.000Z" });
  });

  it("computes each comparison once, however often it is asked", async () => {
    const a = await t.call("GET", url(""));
    const b = await t.call("GET", url(""));
    expect(b.body.items).toEqual(a.body.items);
    const [row] = await t.store.query<{ n: number }>("SELECT count() AS n FROM inventory_diffs FINAL");
    expect(Number(row?.n)).toBe(5);
  });

  it("filters by host, category and period", async () => {
    const one = await t.call("GET", url(`&hostId=${server.agentId}`));
    expect(one.body.items.map((c: Json) => c.item)).toEqual(["nginx.service"]);
    const software = await t.call("GET", url("&category=software"));
    expect(software.body.items.map((c: Json) => c.change)).toEqual(["installed", "removed", "upgraded"]);
    const early = await t.call("GET", `/api/v1/inventory/changes?clientId=${pc.clientId}&from=2026-10-01T00:00:00Z&to=2026-10-10T00:00:00Z`);
    expect(early.body.items.every((c: Json) => c.at < "2026-10-10")).toBe(true);
    expect(early.body.items).toHaveLength(4);
  });

  it("answers 404 for an unknown client and 400 for a bad period", async () => {
    expect((await t.call("GET", "/api/v1/inventory/changes?clientId=nosuchclient")).status).toBe(404);
    const backwards = await t.call("GET", `/api/v1/inventory/changes?clientId=${pc.clientId}&from=2026-10-10T00:00:00Z&to=2026-10-01T00:00:00Z`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toBe("from: must be before to");
    expect((await t.call("GET", `/api/v1/inventory/changes?clientId=${pc.clientId}&category=firmware`)).status).toBe(400);
    expect((await t.call("GET", "/api/v1/inventory/changes")).body.error.message).toMatch(/^clientId: /);
  });

  it("requires the admin token", async () => {
    expect((await t.call("GET", url(""), { token: null })).status).toBe(401);
  });
});
