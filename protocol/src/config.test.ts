import { describe, expect, it } from "vitest";
import { AgentConfig, CheckSpec, DEFAULT_AGENT_CONFIG, GATEWAY_CHECK_ID } from "./config.js";
import { decodeCollectorMessage } from "./codec.js";

const issuePath = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues[0]?.path.join(".");

describe("AgentConfig", () => {
  it("defaults to 15 s health, 30 s checks, gateway ping on, no further checks, inventory every 6 h", () => {
    expect(AgentConfig.parse({})).toEqual({ healthIntervalSeconds: 15, checkIntervalSeconds: 30, pingGateway: true, checks: [], inventoryIntervalHours: 6 });
    expect(DEFAULT_AGENT_CONFIG).toEqual(AgentConfig.parse({}));
    expect(DEFAULT_AGENT_CONFIG.healthIntervalSeconds).toBe(15);
    expect(DEFAULT_AGENT_CONFIG.checkIntervalSeconds).toBe(30);
  });

  it("keeps what is given and fills in the rest", () => {
    expect(AgentConfig.parse({ healthIntervalSeconds: 60 })).toEqual({
      healthIntervalSeconds: 60,
      checkIntervalSeconds: 30,
      pingGateway: true,
      checks: [],
      inventoryIntervalHours: 6,
    });
  });

  it("bounds the intervals", () => {
    for (const healthIntervalSeconds of [0, -15, 1.5, 3601, "15", null]) {
      const r = AgentConfig.safeParse({ healthIntervalSeconds });
      expect(r.success).toBe(false);
      expect(issuePath(r)).toBe("healthIntervalSeconds");
    }
    for (const checkIntervalSeconds of [0, 4, 30.5, 3601]) {
      const r = AgentConfig.safeParse({ checkIntervalSeconds });
      expect(r.success).toBe(false);
      expect(issuePath(r)).toBe("checkIntervalSeconds");
    }
    expect(AgentConfig.safeParse({ healthIntervalSeconds: 1, checkIntervalSeconds: 5 }).success).toBe(true);
    expect(AgentConfig.safeParse({ healthIntervalSeconds: 3600, checkIntervalSeconds: 3600 }).success).toBe(true);
    for (const inventoryIntervalHours of [0, 25, 1.5, "6", null]) {
      const r = AgentConfig.safeParse({ inventoryIntervalHours });
      expect(r.success).toBe(false);
      expect(issuePath(r)).toBe("inventoryIntervalHours");
    }
    expect(AgentConfig.parse({ inventoryIntervalHours: 1 }).inventoryIntervalHours).toBe(1);
    expect(AgentConfig.parse({ inventoryIntervalHours: 24 }).inventoryIntervalHours).toBe(24);
  });

  it("allows at most 100 checks", () => {
    const checks = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `c${i}`, type: "ping", host: "10.0.0.1" }));
    expect(AgentConfig.safeParse({ checks: checks(100) }).success).toBe(true);
    const r = AgentConfig.safeParse({ checks: checks(101) });
    expect(r.success).toBe(false);
    expect(issuePath(r)).toBe("checks");
  });

  it("refuses duplicate check ids, and the gateway check's id while pingGateway is on", () => {
    const dup = AgentConfig.safeParse({
      checks: [
        { id: "web", type: "ping", host: "a" },
        { id: "web", type: "tcp", host: "a", port: 80 },
      ],
    });
    expect(dup.success).toBe(false);
    expect(issuePath(dup)).toBe("checks.1.id");
    expect(dup.error?.issues[0]?.message).toContain("used twice");

    const gateway = [{ id: GATEWAY_CHECK_ID, type: "ping", host: "192.168.1.1", role: "gateway" }];
    const taken = AgentConfig.safeParse({ checks: gateway });
    expect(taken.success).toBe(false);
    expect(issuePath(taken)).toBe("checks.0.id");
    expect(AgentConfig.safeParse({ pingGateway: false, checks: gateway }).success).toBe(true);
  });

  it("a config push with a bad check is refused naming the field", () => {
    const frame = JSON.stringify({ type: "config", v: 1, config: { checks: [{ id: "x", type: "tcp", host: "db", port: 0 }] } });
    const r = decodeCollectorMessage(frame);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe("invalid_message");
      expect(r.message).toContain("config.checks.0.port");
    }
  });
});

describe("CheckSpec", () => {
  it("role defaults to service; http expectStatus defaults to 200", () => {
    expect(CheckSpec.parse({ id: "p", type: "ping", host: "10.0.0.1" })).toEqual({
      id: "p",
      type: "ping",
      host: "10.0.0.1",
      role: "service",
    });
    expect(CheckSpec.parse({ id: "h", type: "http", url: "https://example.com/" })).toMatchObject({
      role: "service",
      expectStatus: 200,
    });
    expect(CheckSpec.parse({ id: "g", type: "ping", host: "10.0.0.1", role: "internet" }).role).toBe("internet");
  });

  it("tcp ports are integers from 1 to 65535", () => {
    const tcp = (port: unknown) => CheckSpec.safeParse({ id: "t", type: "tcp", host: "db01", port });
    for (const port of [1, 22, 443, 65535]) expect(tcp(port).success).toBe(true);
    for (const port of [0, -1, 65536, 80.5, "80", null, undefined, 1e300]) {
      const r = tcp(port);
      expect(r.success).toBe(false);
      expect(issuePath(r)).toBe("port");
    }
  });

  it("http URLs must be http or https", () => {
    const http = (url: unknown) => CheckSpec.safeParse({ id: "h", type: "http", url });
    for (const url of [
      "http://portal.acme.local/",
      "https://erp.acme.local:8443/health?deep=1",
      "http://10.0.0.5:8080",
      "https://[2001:db8::1]/",
    ]) {
      expect(http(url).success, url).toBe(true);
    }
    for (const url of [
      "ftp://files.acme.local/",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "ws://acme.local/",
      "gopher://acme.local/",
      "data:text/plain,hi",
      "acme.local/health",
      "//acme.local/",
      "http://",
      "http://a b/",
      "",
      42,
    ]) {
      const r = http(url);
      expect(r.success, String(url)).toBe(false);
      expect(issuePath(r)).toBe("url");
    }
  });

  it("http expectStatus is a status code", () => {
    const http = (expectStatus: unknown) => CheckSpec.safeParse({ id: "h", type: "http", url: "https://a.example/", expectStatus });
    expect(http(204).success).toBe(true);
    for (const status of [99, 600, 200.5, "200"]) expect(http(status).success).toBe(false);
  });

  it("hosts are names or addresses: no spaces, no leading '-'", () => {
    const ping = (host: unknown) => CheckSpec.safeParse({ id: "p", type: "ping", host });
    for (const host of ["10.0.0.1", "gw.acme.local", "dc01", "2001:db8::1", "::1", "fe80::1", "host_with_underscore", "9.9.9.9"]) {
      expect(ping(host).success, host).toBe(true);
    }
    for (const host of [
      "gw acme",
      " 10.0.0.1",
      "10.0.0.1 ",
      "host\tname",
      "-f",
      "--help",
      "-oProxyCommand=x",
      "host;rm -rf /",
      "$(reboot)",
      "a/b",
      "[::1]",
      "",
      "h".repeat(254),
      7,
    ]) {
      const r = ping(host);
      expect(r.success, String(host)).toBe(false);
      expect(issuePath(r)).toBe("host");
    }
  });

  it("ids are required and bounded; unknown types are refused", () => {
    expect(CheckSpec.safeParse({ id: "", type: "ping", host: "a" }).success).toBe(false);
    expect(CheckSpec.safeParse({ id: "x".repeat(201), type: "ping", host: "a" }).success).toBe(false);
    expect(CheckSpec.safeParse({ type: "ping", host: "a" }).success).toBe(false);
    expect(CheckSpec.safeParse({ id: "d", type: "dns", host: "a" }).success).toBe(false);
    expect(CheckSpec.safeParse({ id: "r", type: "ping", host: "a", role: "router" }).success).toBe(false);
  });
});
