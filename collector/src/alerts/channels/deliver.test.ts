import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseChannelConfig } from "./config.js";
import { backoffDelay, deliver, parseRetryAfter, type DeliveryLogger } from "./deliver.js";
import { reply, sampleNotification, startReceiver, type Receiver } from "./testing.js";

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const fast = { backoffBaseMs: 5, backoffMaxMs: 20 };

function captureLogger(): DeliveryLogger & { lines: { level: string; fields: Record<string, unknown>; message: string }[] } {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  return {
    lines,
    warn: (fields, message) => lines.push({ level: "warn", fields, message }),
    error: (fields, message) => lines.push({ level: "error", fields, message }),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("deliver", () => {
  it("retries two 500s and delivers once, recording all three attempts", async () => {
    receiver = await startReceiver((_r, res, i) => reply(res, i < 2 ? 500 : 200, i < 2 ? "upstream broke" : "ok"));
    const logger = captureLogger();
    const channel = parseChannelConfig({ type: "webhook", url: `${receiver.origin}/hook`, secret: "0123456789abcdef0123" });
    const result = await deliver(channel, sampleNotification(), { ...fast, logger });

    expect(result.ok).toBe(true);
    expect(result.error).toBeUndefined();
    expect(receiver.requests).toHaveLength(3);
    expect(result.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(result.attempts.map((a) => a.code)).toEqual(["http_status", "http_status", undefined]);
    expect(result.attempts[0]!.error).toBe("webhook: 127.0.0.1:" + new URL(receiver.origin).port + " answered 500: upstream broke");
    for (const a of result.attempts) {
      expect(a.durationMs).toBeGreaterThanOrEqual(0);
      expect(a.at).toBeGreaterThan(Date.now() - 10_000);
    }
    expect(result.deliveredAt).toBeGreaterThanOrEqual(result.attempts[2]!.at);
    expect(logger.lines.map((l) => l.level)).toEqual(["warn", "warn"]);
    expect(logger.lines[0]!.fields).toMatchObject({ channel: "webhook", attempt: 1, status: 500, code: "http_status" });
  });

  it("times out a receiver that hangs, retries, and gives up after maxAttempts", async () => {
    receiver = await startReceiver(() => undefined);
    const channel = parseChannelConfig({ type: "slack", webhookUrl: `${receiver.origin}/services/T/B/hangsecret99` });
    const result = await deliver(channel, sampleNotification(), { ...fast, timeoutMs: 150, maxAttempts: 3 });

    expect(result.ok).toBe(false);
    expect(receiver.requests).toHaveLength(3);
    expect(result.attempts.map((a) => a.code)).toEqual(["timeout", "timeout", "timeout"]);
    for (const a of result.attempts) expect(a.durationMs).toBeGreaterThanOrEqual(140);
    expect(result.error).toMatchObject({ code: "timeout", retryable: true });
    expect(result.error!.message).toMatch(/^gave up after 3 attempts: slack: no answer from 127\.0\.0\.1:\d+ within 150 ms$/);
  });

  it("never takes longer than the budget, however many attempts are allowed", async () => {
    receiver = await startReceiver(() => undefined);
    const channel = parseChannelConfig({ type: "teams", webhookUrl: `${receiver.origin}/workflows/x` });
    const result = await deliver(channel, sampleNotification(), { ...fast, timeoutMs: 200, maxAttempts: 50, budgetMs: 500 });

    expect(result.ok).toBe(false);
    expect(result.attempts.length).toBeGreaterThanOrEqual(2);
    expect(result.attempts.length).toBeLessThanOrEqual(3);
    expect(result.error).toMatchObject({ code: "timeout", retryable: true });
    expect(result.error!.message).toContain("the 500 ms budget is spent");
    // The budget, not maxAttempts, ended it: nowhere near 50 attempts of 200 ms.
  });

  it("does not retry a 400, and logs it without secrets", async () => {
    receiver = await startReceiver((_r, res) => reply(res, 400, "invalid_payload"));
    const logger = captureLogger();
    const channel = parseChannelConfig({ type: "slack", webhookUrl: `${receiver.origin}/services/T0001/B0001/s3cr3tPath77` });
    const result = await deliver(channel, sampleNotification(), { ...fast, logger });

    expect(result.ok).toBe(false);
    expect(receiver.requests).toHaveLength(1);
    expect(result.attempts).toEqual([expect.objectContaining({ status: 400, code: "http_status" })]);
    expect(result.error).toMatchObject({ code: "http_status", retryable: false, status: 400 });
    expect(result.error!.message).toMatch(/^slack: 127\.0\.0\.1:\d+ refused the notification with 400: invalid_payload$/);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({ level: "error", fields: { channel: "slack", retryable: false, attempts: 1 } });
    const everything = JSON.stringify({ result, lines: logger.lines });
    expect(everything).not.toContain("s3cr3tPath77");
  });

  it("waits as long as Retry-After asks on 429, up to the cap", async () => {
    receiver = await startReceiver((_r, res, i) => (i === 0 ? reply(res, 429, "slow down", { "Retry-After": "30" }) : reply(res, 200)));
    const channel = parseChannelConfig({ type: "ntfy", url: `${receiver.origin}/alerts` });
    const result = await deliver(channel, sampleNotification(), { ...fast, maxRetryAfterMs: 200 });

    expect(result.ok).toBe(true);
    expect(result.attempts.map((a) => a.status)).toEqual([429, 200]);
    const gap = result.attempts[1]!.at - result.attempts[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(190);
  });

  it("retries when nothing listens, as a network error", async () => {
    const port = await freePort();
    const channel = parseChannelConfig({ type: "pagerduty", routingKey: "R0123456789abcdef0123456789abcde", url: `http://127.0.0.1:${port}/v2/enqueue` });
    const result = await deliver(channel, sampleNotification(), { ...fast, maxAttempts: 2 });
    expect(result.ok).toBe(false);
    expect(result.attempts.map((a) => a.code)).toEqual(["network", "network"]);
    expect(result.error).toMatchObject({ code: "network", retryable: true });
    expect(result.error!.message).toBe(`gave up after 2 attempts: pagerduty: cannot reach 127.0.0.1:${port}: ECONNREFUSED`);
  });

  it("does not follow redirects", async () => {
    receiver = await startReceiver((_r, res) => reply(res, 301, "", { Location: "http://127.0.0.1:9/elsewhere" }));
    const result = await deliver(parseChannelConfig({ type: "webhook", url: receiver.origin }), sampleNotification(), fast);
    expect(receiver.requests).toHaveLength(1);
    expect(result.error).toMatchObject({ code: "redirect", retryable: false, status: 301 });
  });

  it("stops when the caller aborts, even mid-attempt", async () => {
    receiver = await startReceiver(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await deliver(parseChannelConfig({ type: "webhook", url: receiver.origin }), sampleNotification(), { ...fast, signal: controller.signal });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: "aborted", retryable: true });
    expect(result.attempts).toHaveLength(1);
  });

  it("refuses an invalid configuration without an attempt", async () => {
    const result = await deliver({ type: "slack", webhookUrl: "file:///etc/passwd" } as never, sampleNotification());
    expect(result).toMatchObject({ ok: false, attempts: [], error: { code: "invalid_config", retryable: false } });
    expect(result.error!.message).toBe("slack: webhookUrl: must use http or https, not file");
  });
});

describe("backoff and Retry-After", () => {
  it("doubles each attempt, with between half and all of the step", () => {
    expect(backoffDelay(1, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 30_000, () => 0.999_999)).toBe(1000);
    expect(backoffDelay(3, 1000, 30_000, () => 0.5)).toBe(3000);
    expect(backoffDelay(10, 1000, 30_000, () => 1)).toBe(30_000);
  });

  it("reads seconds and HTTP dates", () => {
    const now = Date.parse("2026-03-02T08:15:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Mon, 02 Mar 2026 08:15:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Mon, 02 Mar 2026 08:14:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
