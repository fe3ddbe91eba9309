import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { createTransport } from "nodemailer";
import pino from "pino";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../auth/secrets.js";
import { openStore, type Store } from "../../store/clickhouse.js";
import { listDeliveries } from "../../store/queries/alerts.js";
import { migrate } from "../../store/migrate.js";
import { createApi } from "../app.js";
import { FakePresence } from "../testing.js";

// POST /channels/{id}/test for an e-mail channel, through the real route and a real SMTP server on loopback.

const ADMIN = "vat_admin_" + "E".repeat(40);

describe("POST /api/v1/channels/{id}/test for an e-mail channel", () => {
  let dir: string;
  let store: Store;
  let smtp: SMTPServer;
  let port = 0;
  const received: ParsedMail[] = [];
  let refuseNext = 0;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "vigil-email-test-"));
    store = await openStore({ kind: "embedded", path: dir, database: "vigil" });
    await migrate(store, { rawDays: 30, minuteRollupDays: 90, hourRollupDays: 730 });
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      disableReverseLookup: true,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            if (refuseNext > 0) {
              refuseNext--;
              const err: Error & { responseCode?: number } = new Error("4.3.0 try again later");
              err.responseCode = 451;
              return callback(err);
            }
            received.push(mail);
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    port = (smtp.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function api(withRelay: boolean) {
    const email = withRelay ? { transport: createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true }), from: "Vigil <alerts@msp.example>" } : undefined;
    const app = createApi({ store, publicUrl: "https://vigil.msp.example", adminTokenHash: hashToken(ADMIN), presence: new FakePresence(), logger: pino({ level: "silent" }), email });
    return async (method: string, url: string, body?: unknown) => {
      const res = await app.request(url, {
        method,
        headers: { Authorization: `Bearer ${ADMIN}`, ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> & { id: string; ok: boolean; attempts: unknown[]; error: string | null } };
    };
  }

  it("sends the test mail through the collector's relay, with text and HTML, and logs it", async () => {
    const call = api(true);
    const created = await call("POST", "/api/v1/channels", { name: "Night desk", config: { type: "email", to: ["oncall@msp.example", "backup@msp.example"] } });
    expect(created.status).toBe(201);
    const res = await call("POST", `/api/v1/channels/${created.body.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, error: null });
    expect(res.body.attempts).toHaveLength(1);
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.from?.text).toBe('"Vigil" <alerts@msp.example>');
    expect(([] as Array<{ address?: string }>).concat(...[mail.to ?? []].flat().map((t) => t.value)).map((a) => a.address)).toEqual(["oncall@msp.example", "backup@msp.example"]);
    expect(mail.subject).toContain("Test");
    expect(mail.text).toContain('Test message for channel "Night desk"');
    expect(mail.html).toContain("Night desk");
    const log = await listDeliveries(store, [`test:${created.body.id}`]);
    expect(log.map((d) => [d.event, d.ok, d.channelType])).toEqual([["test", true, "email"]]);
  });

  it("retries a temporary refusal once and reports both attempts", async () => {
    const call = api(true);
    received.length = 0;
    refuseNext = 1;
    const created = await call("POST", "/api/v1/channels", { name: "Busy relay", config: { type: "email", to: ["oncall@msp.example"] } });
    const res = await call("POST", `/api/v1/channels/${created.body.id}/test`);
    expect(res.body.ok).toBe(true);
    expect(res.body.attempts).toHaveLength(2);
    expect(received).toHaveLength(1);
  });

  it("says what is missing when the collector has no SMTP relay", async () => {
    const call = api(false);
    received.length = 0;
    const created = await call("POST", "/api/v1/channels", { name: "No relay", config: { type: "email", to: ["oncall@msp.example"] } });
    const res = await call("POST", `/api/v1/channels/${created.body.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.error).toMatch(/VIGIL_SMTP_URL/);
    expect(received).toHaveLength(0);
  });
});
