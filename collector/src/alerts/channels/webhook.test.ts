import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseChannelConfig } from "./config.js";
import { deliver } from "./deliver.js";
import { reply, sampleNotification, startReceiver, STARTED_AT, type Receiver } from "./testing.js";
import { webhookSignature } from "./webhook.js";

type Verify = (secret: string, headers: IncomingHttpHeaders, rawBody: Buffer | string, toleranceSeconds?: number, now?: number) => boolean;

const SECRET = "whsec_3b1f9c2e7a5d4e6f8a0b";
let verifyVigilWebhook: Verify;
let snippetDir: string;

// The receiver-side check is the snippet from README.md itself, so the documentation cannot drift from the code.
beforeAll(async () => {
  const readme = await readFile(new URL("./README.md", import.meta.url), "utf8");
  const section = /<!-- verify-webhook:start -->\s*```js\n([\s\S]*?)```\s*<!-- verify-webhook:end -->/.exec(readme);
  if (!section) throw new Error("README.md has no verify-webhook snippet");
  snippetDir = await mkdtemp(join(tmpdir(), "vigil-webhook-"));
  const file = join(snippetDir, "verify.mjs");
  await writeFile(file, section[1]!);
  ({ verifyVigilWebhook } = (await import(pathToFileURL(file).href)) as { verifyVigilWebhook: Verify });
});
afterAll(() => rm(snippetDir, { recursive: true, force: true }));

let receiver: Receiver | undefined;
afterAll(() => receiver?.close());

describe("webhook channel", () => {
  it("POSTs the documented JSON with a signature the README's snippet verifies", async () => {
    receiver = await startReceiver((_r, res) => reply(res, 204));
    const channel = parseChannelConfig({ type: "webhook", url: `${receiver.origin}/hooks/vigil?x=1`, secret: SECRET, headers: { "X-Tenant": "msp-42" } });
    const n = sampleNotification();
    const result = await deliver(channel, n, { deliveryId: "d-1" });

    expect(result).toMatchObject({ ok: true, channel: "webhook", event: "firing", deliveryId: "d-1" });
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ status: 204 });

    const req = receiver.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/hooks/vigil?x=1");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["user-agent"]).toBe("Vigil-Alerts/1");
    expect(req.headers["x-vigil-event"]).toBe("firing");
    expect(req.headers["x-vigil-delivery"]).toBe("d-1");
    expect(req.headers["x-tenant"]).toBe("msp-42");
    const timestamp = Number(req.headers["x-vigil-timestamp"]);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);

    expect(verifyVigilWebhook(SECRET, req.headers, req.rawBody)).toBe(true);
    expect(verifyVigilWebhook(SECRET, req.headers, req.rawBody.toString("utf8"))).toBe(true);
    expect(req.headers["x-vigil-signature"]).toBe(webhookSignature(SECRET, timestamp, req.rawBody.toString("utf8")));
    // Wrong secret, altered body, altered timestamp, stale timestamp: all refused.
    expect(verifyVigilWebhook("another-secret-0000", req.headers, req.rawBody)).toBe(false);
    expect(verifyVigilWebhook(SECRET, req.headers, Buffer.from(req.rawBody.toString().replace("critical", "info")))).toBe(false);
    expect(verifyVigilWebhook(SECRET, { ...req.headers, "x-vigil-timestamp": String(timestamp + 1) }, req.rawBody)).toBe(false);
    expect(verifyVigilWebhook(SECRET, req.headers, req.rawBody, 300, Date.now() + 600_000)).toBe(false);

    expect(req.json()).toEqual({
      version: 1,
      event: "firing",
      deliveryId: "d-1",
      alert: {
        id: n.alertId,
        rule: "Host down",
        severity: "critical",
        subject: { kind: "host", name: "db-01" },
        client: "Zahnarztpraxis Müller & Söhne",
        site: "Main office",
        summary: n.summary,
        dedupKey: n.dedupKey,
        startedAt: new Date(STARTED_AT).toISOString(),
        acknowledgedAt: null,
        acknowledgedBy: null,
        resolvedAt: null,
      },
      links: { dashboard: n.dashboardUrl, acknowledge: n.ackUrl },
    });
  });

  it("sends the same body and delivery id on a retry, signed afresh", async () => {
    const r = await startReceiver((_req, res, i) => reply(res, i === 0 ? 503 : 200));
    try {
      const channel = parseChannelConfig({ type: "webhook", url: r.origin, secret: SECRET });
      const result = await deliver(channel, sampleNotification({ event: "resolved", resolvedAt: STARTED_AT + 720_000 }), { backoffBaseMs: 5 });
      expect(result.ok).toBe(true);
      expect(r.requests).toHaveLength(2);
      const [first, second] = r.requests;
      expect(second!.rawBody.equals(first!.rawBody)).toBe(true);
      expect(second!.headers["x-vigil-delivery"]).toBe(first!.headers["x-vigil-delivery"]);
      for (const req of r.requests) expect(verifyVigilWebhook(SECRET, req.headers, req.rawBody)).toBe(true);
      const body = first!.json() as { event: string; alert: { resolvedAt: string }; links: { acknowledge: unknown } };
      expect(body.event).toBe("resolved");
      expect(body.alert.resolvedAt).toBe(new Date(STARTED_AT + 720_000).toISOString());
      // Nothing left to acknowledge once resolved.
      expect(body.links.acknowledge).toBeNull();
    } finally {
      await r.close();
    }
  });

  it("sends no signature without a secret", async () => {
    const r = await startReceiver();
    try {
      const result = await deliver(parseChannelConfig({ type: "webhook", url: r.origin }), sampleNotification({ event: "test" }));
      expect(result.ok).toBe(true);
      expect(r.requests[0]!.headers["x-vigil-signature"]).toBeUndefined();
      expect(r.requests[0]!.headers["x-vigil-timestamp"]).toMatch(/^\d+$/);
    } finally {
      await r.close();
    }
  });
});
