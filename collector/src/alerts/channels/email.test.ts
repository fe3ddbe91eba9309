import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { createTransport } from "nodemailer";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseChannelConfig } from "./config.js";
import { deliver } from "./deliver.js";
import { emailSubject, threadId } from "./email.js";
import { sampleNotification, STARTED_AT } from "./testing.js";

/** Decides the fate of each message: undefined accepts, an error with responseCode refuses. */
let onMessage: (index: number) => (Error & { responseCode?: number }) | undefined = () => undefined;
let rejectRecipient: (address: string) => boolean = () => false;
const received: ParsedMail[] = [];
let dataCount = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  // A reverse lookup of 127.0.0.1 could ask a DNS server off this machine.
  disableReverseLookup: true,
  onRcptTo(address: SMTPServerAddress, _session, callback) {
    if (!rejectRecipient(address.address)) return callback();
    const err: Error & { responseCode?: number } = new Error("5.1.1 mailbox unavailable");
    err.responseCode = 550;
    callback(err);
  },
  onData(stream, _session, callback) {
    const refusal = onMessage(dataCount++);
    simpleParser(stream)
      .then((mail) => {
        if (!refusal) received.push(mail);
        callback(refusal ?? null);
      })
      .catch(callback);
  },
});

let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
  dataCount = 0;
  onMessage = () => undefined;
  rejectRecipient = () => false;
});

function transport() {
  return createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true, connectionTimeout: 2000 });
}

const channel = parseChannelConfig({ type: "email", to: ["oncall@msp.example.com", "noc@msp.example.com"] });
const FROM = "Vigil <alerts@msp.example.com>";

describe("email channel", () => {
  it("sends subject, plain text and HTML with the ack link through SMTP", async () => {
    const n = sampleNotification();
    const result = await deliver(channel, n, { email: { transport: transport(), from: FROM } });
    expect(result).toMatchObject({ ok: true, channel: "email" });
    expect(result.attempts).toEqual([expect.objectContaining({ status: 250 })]);

    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.subject).toBe("[FIRING][critical] Host down: db-01 (Zahnarztpraxis Müller & Söhne / Main office)");
    expect(mail.from?.text).toBe('"Vigil" <alerts@msp.example.com>');
    expect((Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a!.value.map((v) => v.address))).toEqual([
      "oncall@msp.example.com",
      "noc@msp.example.com",
    ]);

    expect(mail.text).toContain("[FIRING] Host down: db-01");
    expect(mail.text).toContain(n.summary);
    expect(mail.text).toContain(`Acknowledge: ${n.ackUrl}`);
    expect(mail.text).toContain(`Open in Vigil: ${n.dashboardUrl}`);
    expect(mail.text).toMatch(/Client: +Zahnarztpraxis Müller & Söhne/);

    const html = mail.html as string;
    expect(html).toContain(`href="${n.ackUrl}"`);
    expect(html).toContain(">Acknowledge</a>");
    expect(html).toContain("Zahnarztpraxis Müller &amp; Söhne");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");

    expect(mail.headers.get("x-vigil-alert-id")).toBe(n.alertId);
    expect(mail.headers.get("x-vigil-event")).toBe("firing");
    expect(mail.headers.get("auto-submitted")).toBe("auto-generated");
    // mailparser folds X-Priority and Importance into "priority".
    expect(mail.headers.get("priority")).toBe("high");
    expect(mail.inReplyTo).toBe(threadId(n));
  });

  it("threads a resolved mail with its alert and leaves out the ack link", async () => {
    const n = sampleNotification({ event: "resolved", resolvedAt: STARTED_AT + 125_000 });
    const result = await deliver(channel, n, { email: { transport: transport(), from: FROM } });
    expect(result.ok).toBe(true);
    const mail = received[0]!;
    expect(mail.subject).toBe(emailSubject(n));
    expect(mail.subject).toMatch(/^\[RESOLVED\]\[critical\] Host down: db-01/);
    expect(mail.text).toContain("Resolved after 2 min.");
    expect(mail.text).not.toContain("Acknowledge:");
    expect(mail.html as string).not.toContain(n.ackUrl!);
    expect(mail.references).toBe(threadId(sampleNotification()));
  });

  it("retries a 451 temporary failure and then delivers once", async () => {
    onMessage = (i) => (i === 0 ? Object.assign(new Error("4.3.0 try again later"), { responseCode: 451 }) : undefined);
    const result = await deliver(channel, sampleNotification(), { email: { transport: transport(), from: FROM }, backoffBaseMs: 5 });
    expect(result.ok).toBe(true);
    expect(result.attempts.map((a) => a.status)).toEqual([451, 250]);
    expect(result.attempts[0]!.code).toBe("smtp");
    expect(received).toHaveLength(1);
  });

  it("does not retry a 550 rejection", async () => {
    rejectRecipient = () => true;
    const result = await deliver(channel, sampleNotification(), { email: { transport: transport(), from: FROM }, backoffBaseMs: 5 });
    expect(result.ok).toBe(false);
    expect(result.attempts).toHaveLength(1);
    expect(result.error).toMatchObject({ code: "smtp", retryable: false, status: 550 });
  });

  it("retries when the SMTP server is unreachable", async () => {
    const closed = createTransport({ host: "127.0.0.1", port: 1, secure: false, ignoreTLS: true, connectionTimeout: 500 });
    const result = await deliver(channel, sampleNotification(), { email: { transport: closed, from: FROM }, backoffBaseMs: 5, maxAttempts: 2 });
    expect(result.ok).toBe(false);
    expect(result.attempts).toHaveLength(2);
    expect(result.error).toMatchObject({ code: "network", retryable: true });
  });

  it("fails permanently without a transport", async () => {
    const result = await deliver(channel, sampleNotification());
    expect(result).toMatchObject({ ok: false, attempts: [], error: { code: "invalid_config", retryable: false } });
  });
});
