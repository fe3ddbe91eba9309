import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../store/queries/audit.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("/api/v1/alert-routes", () => {
  let t: TestApi;
  let clientId: string;
  let otherClient: string;
  let mine: string;
  let theirs: string;
  let global: string;
  beforeAll(async () => {
    t = await createTestApi();
    ({ clientId } = await t.seedClientAndSite("Acme"));
    ({ clientId: otherClient } = await t.seedClientAndSite("Other"));
    const ch = async (name: string, client: string | null) =>
      (await t.call("POST", "/api/v1/channels", { body: { name, clientId: client, config: { type: "webhook", url: `http://127.0.0.1:9/${name}` } } })).body.id as string;
    mine = await ch("mine", clientId);
    theirs = await ch("theirs", otherClient);
    global = await ch("global", null);
  });
  afterAll(async () => {
    await t.close();
  });

  it("creates, changes and deletes a route with escalation", async () => {
    const res = await t.call("POST", "/api/v1/alert-routes", {
      body: { clientId, name: "Acme critical", severities: ["critical"], channelIds: [mine], escalation: [{ afterMinutes: 15, channelIds: [global] }] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ clientId, severities: ["critical"], channelIds: [mine], escalation: [{ afterMinutes: 15, channelIds: [global] }], enabled: true });
    const patched = await t.call("PATCH", `/api/v1/alert-routes/${res.body.id}`, { body: { severities: [], enabled: false } });
    expect(patched.body).toMatchObject({ severities: [], enabled: false, channelIds: [mine] });
    expect((await t.call("GET", `/api/v1/alert-routes?clientId=${clientId}`)).body.items).toHaveLength(1);
    expect((await t.call("GET", `/api/v1/alert-routes?clientId=${otherClient}`)).body.items).toHaveLength(0);
    expect((await t.call("DELETE", `/api/v1/alert-routes/${res.body.id}`)).status).toBe(204);
    expect((await t.call("DELETE", `/api/v1/alert-routes/${res.body.id}`)).status).toBe(404);
    const audit = await listAudit(t.store, { clientId, entity: "alert_route", entityId: res.body.id });
    // Entries made within one millisecond have no order: compare them as a set.
    expect(audit.map((a) => a.action).sort()).toEqual(["create", "delete", "update"]);
    expect(audit.find((a) => a.action === "update")).toMatchObject({ actor: "admin-token", before: { enabled: true, severities: ["critical"] }, after: { enabled: false, severities: [] } });
  });

  it("refuses channels of another client, unknown channels and empty steps, naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ clientId, name: "x", channelIds: [mine, theirs] }, "channelIds.1: no such channel for this client (or global)"],
      [{ name: "x", channelIds: [mine] }, "channelIds.0: no such global channel"],
      [{ clientId, name: "x", channelIds: [mine], escalation: [{ afterMinutes: 5, channelIds: ["nosuch"] }] }, "escalation.0.channelIds.0: no such channel"],
      [{ clientId, name: "x", channelIds: [mine], escalation: [{ afterMinutes: 0, channelIds: [mine] }] }, "escalation.0.afterMinutes: "],
      [{ clientId, name: "x", channelIds: [] }, "channelIds: needs at least one channel"],
      [{ clientId, name: "x", channelIds: [mine], severities: ["fatal"] }, "severities.0: "],
    ];
    for (const [body, message] of cases) {
      const before = await t.snapshot("alert_routes");
      const res = await t.call("POST", "/api/v1/alert-routes", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(await t.snapshot("alert_routes")).toBe(before);
    }
  });
});
