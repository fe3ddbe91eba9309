import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, startReceiver, type Receiver } from "../../alerts/channels/testing.js";
import { listAudit } from "../../store/queries/audit.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("/api/v1/channels", () => {
  let t: TestApi;
  let receiver: Receiver;
  const secret = "whsec_" + "x".repeat(30) + "WXYZ";
  beforeAll(async () => {
    t = await createTestApi();
    receiver = await startReceiver((_r, res, i) => reply(res, i === 0 ? 503 : 200));
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it("creates a channel, stores its secret and never shows it", async () => {
    const res = await t.call("POST", "/api/v1/channels", { body: { name: "On-call", config: { type: "webhook", url: `${receiver.origin}/hook`, secret, headers: { "X-Api-Key": "key-1234567890-ABCD" } } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ clientId: null, name: "On-call", type: "webhook", enabled: true, config: { type: "webhook", url: `${receiver.origin}/hook`, secret: "…WXYZ", headers: { "X-Api-Key": "…ABCD" } } });
    const listed = await t.call("GET", "/api/v1/channels");
    const got = await t.call("GET", `/api/v1/channels/${res.body.id}`);
    for (const body of [listed.body, got.body]) expect(JSON.stringify(body)).not.toContain(secret);
    const [row] = await t.store.query<{ config: string }>("SELECT config FROM alert_channels FINAL WHERE id = {id:String}", { id: res.body.id });
    expect(JSON.parse(row!.config).secret).toBe(secret);
    expect(t.logs.join("\n")).not.toContain(secret);

    // Sent back as shown, the redacted secret keeps its stored value.
    const patched = await t.call("PATCH", `/api/v1/channels/${res.body.id}`, { body: { name: "Night shift", config: { ...got.body.config, url: `${receiver.origin}/other` } } });
    expect(patched.status).toBe(200);
    const [after] = await t.store.query<{ config: string }>("SELECT config FROM alert_channels FINAL WHERE id = {id:String}", { id: res.body.id });
    expect(JSON.parse(after!.config)).toEqual({ type: "webhook", url: `${receiver.origin}/other`, secret, headers: { "X-Api-Key": "key-1234567890-ABCD" } });

    // Audited as the API shows it: who, what, before and after, and never the secret.
    const audit = await listAudit(t.store, { clientId: "", entity: "alert_channel", entityId: res.body.id });
    expect(audit.map((a) => [a.action, a.actor]).sort()).toEqual([
      ["create", "admin-token"],
      ["update", "admin-token"],
    ]);
    expect(audit.find((a) => a.action === "update")).toMatchObject({ before: { name: "On-call" }, after: { name: "Night shift", config: { url: `${receiver.origin}/other`, secret: "…WXYZ" } } });
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(await t.store.query("SELECT detail FROM audit_log"))).not.toContain(secret);
  });

  it("sends a test message with retries and reports every attempt", async () => {
    const created = await t.call("POST", "/api/v1/channels", { body: { name: "Test me", config: { type: "webhook", url: `${receiver.origin}/test` } } });
    const before = receiver.requests.length;
    const res = await t.call("POST", `/api/v1/channels/${created.body.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.attempts.map((a: { status: number }) => a.status)).toEqual([503, 200]);
    const sent = receiver.requests.slice(before);
    expect(sent.map((r) => r.headers["x-vigil-event"])).toEqual(["test", "test"]);
    const log = await t.store.query<{ attempt_count: number; ok: number }>("SELECT attempt_count, ok FROM alert_deliveries WHERE channel_id = {id:String}", { id: created.body.id });
    expect(log).toEqual([{ attempt_count: 2, ok: 1 }]);
  });

  const hostile: Array<[string, unknown, string]> = [
    ["an ftp URL", { name: "x", config: { type: "webhook", url: "ftp://127.0.0.1/x" } }, "config.url: must use http or https, not ftp"],
    ["an unknown channel type", { name: "x", config: { type: "carrier-pigeon" } }, "config.type: "],
    ["an unknown field", { name: "x", config: { type: "slack", webhookUrl: "https://hooks.slack.com/services/T/B/X", channel: "#ops" } }, "config.channel: unknown field"],
    ["credentials in the URL", { name: "x", config: { type: "webhook", url: "https://user:pw@127.0.0.1/x" } }, "config.url: must not contain a user name or password"],
    ["an unknown client", { name: "x", clientId: "nosuch", config: { type: "webhook", url: "http://127.0.0.1/x" } }, "clientId: no such client"],
  ];
  for (const [what, body, message] of hostile) {
    it(`refuses ${what} with a 400 naming the field, storing nothing`, async () => {
      const before = await t.snapshot("alert_channels");
      const res = await t.call("POST", "/api/v1/channels", { body });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(await t.snapshot("alert_channels")).toBe(before);
    });
  }

  it("deletes a channel, and answers 404 for unknown ones and 401 without a token", async () => {
    const created = await t.call("POST", "/api/v1/channels", { body: { name: "Gone", config: { type: "ntfy", url: "https://ntfy.example.com/acme-oncall" } } });
    expect((await t.call("DELETE", `/api/v1/channels/${created.body.id}`)).status).toBe(204);
    expect((await t.call("GET", `/api/v1/channels/${created.body.id}`)).status).toBe(404);
    expect((await t.call("POST", "/api/v1/channels/nosuch/test")).status).toBe(404);
    expect((await t.call("GET", "/api/v1/channels", { token: null })).status).toBe(401);
  });
});
