import { describe, expect, it } from "vitest";
import { channelSecrets, parseChannelConfig, redactChannel, type ChannelConfig } from "./config.js";
import { InvalidChannelConfigError } from "./errors.js";

function problemsOf(input: unknown): string[] {
  try {
    parseChannelConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidChannelConfigError);
    expect((e as InvalidChannelConfigError).retryable).toBe(false);
    return (e as InvalidChannelConfigError).problems.map((p) => `${p.field}: ${p.problem}`);
  }
  throw new Error("expected an InvalidChannelConfigError");
}

const SLACK_URL = "https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnopWXYZ";

describe("parseChannelConfig", () => {
  it("accepts every channel type and trims what was pasted", () => {
    const configs: unknown[] = [
      { type: "webhook", url: " https://example.com/hook ", secret: "0123456789abcdef", headers: { "X-Api-Key": "k" } },
      { type: "slack", webhookUrl: SLACK_URL },
      { type: "teams", webhookUrl: "https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIGNATURE1234" },
      { type: "pagerduty", routingKey: "R0123456789abcdef0123456789abcde" },
      { type: "email", to: ["oncall@example.com", " noc@example.org "] },
      { type: "ntfy", url: "https://ntfy.sh/acme-oncall", token: "tk_abc", priority: 4 },
    ];
    for (const c of configs) expect(() => parseChannelConfig(c)).not.toThrow();
    expect(parseChannelConfig(configs[0])).toMatchObject({ url: "https://example.com/hook" });
    expect(parseChannelConfig(configs[4])).toEqual({ type: "email", to: ["oncall@example.com", "noc@example.org"] });
  });

  it("names the field in every message", () => {
    expect(problemsOf({ type: "slack" })).toEqual(["webhookUrl: required"]);
    expect(problemsOf({ type: "slack", webhookUrl: "ftp://hooks.slack.com/x" })).toEqual(["webhookUrl: must use http or https, not ftp"]);
    expect(problemsOf({ type: "teams", webhookUrl: "not a url" })).toEqual(["webhookUrl: must be an absolute http(s) URL"]);
    expect(problemsOf({ type: "sms", to: "+1" })).toEqual(["type: must be one of webhook, slack, teams, pagerduty, email, ntfy"]);
    expect(problemsOf("slack")).toEqual(["channel: must be an object"]);
    expect(problemsOf({ type: "email", to: ["ok@example.com", "nope"] })).toEqual(["to.1: must be an e-mail address"]);
    expect(problemsOf({ type: "email", to: [] })).toEqual(["to: needs at least one address"]);
    expect(problemsOf({ type: "pagerduty", routingKey: "has space" })).toEqual(["routingKey: must not contain spaces or line breaks"]);
    expect(problemsOf({ type: "pagerduty", routingKey: "R0123", routing_key: "x" })).toEqual(["routing_key: is not a setting of this channel type"]);
    expect(problemsOf({ type: "ntfy", url: "https://ntfy.sh/" })[0]).toMatch(/^url: must end with the topic/);
    expect(problemsOf({ type: "ntfy", url: "https://ntfy.sh/t", priority: 9 })).toEqual(["priority: must be a number from 1 (min) to 5 (urgent)"]);
    expect(problemsOf({ type: "webhook", url: "https://example.com", secret: "short" })).toEqual(["secret: must be at least 16 characters"]);
  });

  it("refuses credentials in URLs without repeating them", () => {
    for (const input of [
      { type: "slack", webhookUrl: "https://user:hunter2@hooks.slack.com/services/T/B/X" },
      { type: "teams", webhookUrl: "https://user:hunter2@example.logic.azure.com/workflows/x" },
      { type: "webhook", url: "https://user:hunter2@example.com/hook" },
    ]) {
      const [problem] = problemsOf(input);
      expect(problem).toMatch(/^(webhookUrl|url): must not contain a user name or password; /);
      expect(problem).not.toContain("hunter2");
    }
  });

  it("refuses webhook headers that are invalid or that Vigil sets itself", () => {
    expect(problemsOf({ type: "webhook", url: "https://example.com", headers: { "X-Vigil-Signature": "x", "Bad Name": "y", Ok: "a\r\nInjected: 1" } })).toEqual([
      "headers.X-Vigil-Signature: is set by Vigil and cannot be overridden",
      "headers.Bad Name: is not a valid HTTP header name",
      "headers.Ok: must not contain line breaks",
    ]);
  });

  it("reports every problem at once in one message", () => {
    try {
      parseChannelConfig({ type: "webhook", url: "gopher://x", secret: "s" });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe("url: must use http or https, not gopher; secret: must be at least 16 characters");
      expect((e as InvalidChannelConfigError).field).toBe("url");
    }
  });
});

describe("redactChannel", () => {
  it("shows secrets, routing keys, tokens and webhook paths as …last4", () => {
    const cases: [ChannelConfig, ChannelConfig][] = [
      [
        { type: "webhook", url: "https://example.com/hook", secret: "0123456789abcdefWXYZ", headers: { Authorization: "Bearer secret-token-9876" } },
        { type: "webhook", url: "https://example.com/hook", secret: "…WXYZ", headers: { Authorization: "…9876" } },
      ],
      [{ type: "slack", webhookUrl: SLACK_URL }, { type: "slack", webhookUrl: "https://hooks.slack.com/…WXYZ" }],
      [
        { type: "teams", webhookUrl: "https://prod-01.logic.azure.com:443/workflows/abc/invoke?api-version=1&sig=SIGNATURE1234" },
        // The default port disappears: the origin is shown as URL normalises it.
        { type: "teams", webhookUrl: "https://prod-01.logic.azure.com/…1234" },
      ],
      [
        { type: "pagerduty", routingKey: "R0123456789abcdef0123456789abcde", url: "https://events.eu.pagerduty.com/v2/enqueue" },
        { type: "pagerduty", routingKey: "…bcde", url: "https://events.eu.pagerduty.com/v2/enqueue" },
      ],
      [{ type: "email", to: ["oncall@example.com"] }, { type: "email", to: ["oncall@example.com"] }],
      [
        { type: "ntfy", url: "https://ntfy.sh/acme-oncall-7f3k", token: "tk_0123456789abcdef", priority: 5 },
        { type: "ntfy", url: "https://ntfy.sh/…7f3k", token: "…cdef", priority: 5 },
      ],
    ];
    for (const [config, redacted] of cases) {
      const shown = redactChannel(config);
      expect(shown).toEqual(redacted);
      const text = JSON.stringify(shown);
      for (const secret of channelSecrets(config)) expect(text).not.toContain(secret);
    }
  });

  it("shows nothing of short secrets", () => {
    expect(redactChannel({ type: "ntfy", url: "https://ntfy.sh/alerts", token: "tk_short" })).toEqual({ type: "ntfy", url: "https://ntfy.sh/…", token: "…" });
  });
});
