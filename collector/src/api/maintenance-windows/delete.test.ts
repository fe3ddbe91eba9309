import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../store/queries/audit.js";
import { callAs } from "../testing.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("DELETE /api/v1/maintenance-windows/{id}", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  const add = async (clientId: string) =>
    (
      await t.call("POST", "/api/v1/maintenance-windows", {
        body: { clientId, kind: "weekly", scope: { level: "client", id: clientId }, weekday: "sun", start: "03:00", durationMinutes: 60, reason: "backups" },
      })
    ).body;

  it("deletes a window, audits it, and frees its time for another", async () => {
    const { clientId } = await t.seedClientAndSite();
    const w = await add(clientId);
    const res = await t.call("DELETE", `/api/v1/maintenance-windows/${w.id}`);
    expect(res.status).toBe(204);
    expect((await t.call("GET", `/api/v1/maintenance-windows?clientId=${clientId}`)).body.items).toEqual([]);
    const entry = (await listAudit(t.store, { clientId, entity: "maintenance_window", entityId: w.id })).find((e) => e.action === "delete");
    expect(entry).toMatchObject({ actor: "admin-token", before: w, after: null });
    // The same time is free again.
    expect((await add(clientId)).id).toEqual(expect.any(String));
  });

  it("answers 404 for an unknown or already deleted window", async () => {
    const { clientId } = await t.seedClientAndSite();
    const w = await add(clientId);
    expect((await t.call("DELETE", `/api/v1/maintenance-windows/${w.id}`)).status).toBe(204);
    const before = await t.snapshot("maintenance_windows");
    for (const id of [w.id, "nosuchwindow"]) {
      const res = await t.call("DELETE", `/api/v1/maintenance-windows/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: "not_found", message: "maintenance window not found" } });
    }
    expect(await t.snapshot("maintenance_windows")).toBe(before);
  });

  it("lets admins and technicians delete, not vCIOs or viewers", async () => {
    const { clientId } = await t.seedClientAndSite();
    const w = await add(clientId);
    for (const principal of [{ role: "vcio" as const, subject: "v" }, { role: "viewer" as const, subject: "w", clientId }]) {
      expect((await callAs(t.app, principal, "DELETE", `/api/v1/maintenance-windows/${w.id}`)).status).toBe(403);
    }
    expect((await callAs(t.app, { role: "technician", subject: "t" }, "DELETE", `/api/v1/maintenance-windows/${w.id}`)).status).toBe(204);
  });
});
