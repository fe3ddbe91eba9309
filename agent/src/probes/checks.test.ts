import http from "node:http";
import net from "node:net";
import { CheckRecord, type CheckSpec } from "@vigil/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayCheckSpec, runCheck, runChecks } from "./checks.js";
import { findPingBinary, PingUnavailableError } from "./ping-binary.js";

// Every check here targets loopback; nothing leaves this machine.
const ctx = { bootId: "test-boot" };

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function expectValid(record: CheckRecord): void {
  expect(CheckRecord.parse(record)).toEqual(record);
}

describe("ping checks", () => {
  it("finds the ping command (CI installs iputils-ping)", async () => {
    expect(await findPingBinary()).toMatch(/ping(\.exe)?$/);
  });

  it("pings loopback: ok, with latency and no loss", async () => {
    const spec: CheckSpec = { id: "lo", role: "service", type: "ping", host: "127.0.0.1" };
    const record = await runCheck(spec, { ...ctx, pingPath: await findPingBinary() });
    expectValid(record);
    expect(record).toMatchObject({ checkId: "lo", checkType: "ping", role: "service", target: "127.0.0.1", ok: true });
    expect(record.latencyMs).toBeGreaterThanOrEqual(0);
    expect(record.lossPct).toBe(0);
    expect(record.error).toBeUndefined();
  });

  it("says plainly that ping is not installed when the binary is missing", async () => {
    const spec: CheckSpec = { id: "gw", role: "gateway", type: "ping", host: "127.0.0.1" };
    const record = await runCheck(spec, { ...ctx, pingPath: null });
    expectValid(record);
    expect(record).toMatchObject({ ok: false, latencyMs: null, lossPct: null, role: "gateway" });
    expect(record.error).toBe(new PingUnavailableError().message);
    expect(record.error).toContain("apt-get install iputils-ping");
    expect(new PingUnavailableError().retryable).toBe(false);
  });

  it("refuses a host that ping would read as an option", async () => {
    const spec: CheckSpec = { id: "odd", role: "service", type: "ping", host: "-f" };
    const record = await runCheck(spec, { ...ctx, pingPath: await findPingBinary() });
    expect(record.ok).toBe(false);
    expect(record.error).toContain("invalid host");
  });

  it("builds the gateway check as a ping with the gateway role", () => {
    expect(gatewayCheckSpec("192.0.2.1")).toEqual({ id: "gateway", role: "gateway", type: "ping", host: "192.0.2.1" });
  });
});

describe("tcp checks", () => {
  let server: net.Server;
  let port: number;
  let closedPort: number;

  beforeAll(async () => {
    server = net.createServer((socket) => socket.end());
    port = await listen(server);
    const gone = net.createServer();
    closedPort = await listen(gone);
    await close(gone);
  });

  afterAll(() => close(server));

  it("connects to a listening port: ok, with the connect time", async () => {
    const record = await runCheck({ id: "svc", role: "service", type: "tcp", host: "127.0.0.1", port }, ctx);
    expectValid(record);
    expect(record).toMatchObject({ ok: true, target: `127.0.0.1:${port}`, lossPct: null, checkType: "tcp" });
    expect(record.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("fails with a reason when nothing listens", async () => {
    const record = await runCheck({ id: "svc", role: "service", type: "tcp", host: "127.0.0.1", port: closedPort }, ctx);
    expectValid(record);
    expect(record).toMatchObject({ ok: false, latencyMs: null, lossPct: null });
    expect(record.error).toMatch(/connection refused/);
  });

  it("writes an IPv6 target with brackets", async () => {
    const record = await runCheck({ id: "v6", role: "service", type: "tcp", host: "::1", port: closedPort }, ctx);
    expect(record.target).toBe(`[::1]:${closedPort}`);
    expect(record.ok).toBe(false);
  });
});

describe("http checks", () => {
  let server: http.Server;
  let base: string;
  const endlessClosed: Promise<void>[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/ok") res.end("fine");
      else if (req.url === "/broken") {
        res.statusCode = 500;
        res.end("oops");
      } else if (req.url === "/moved") {
        res.writeHead(302, { location: "/ok" }).end();
      } else if (req.url === "/endless") {
        // A body that never ends: the check must not try to download it.
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024);
        const pump = setInterval(() => res.write(chunk), 5);
        endlessClosed.push(new Promise((resolve) => res.on("close", () => (clearInterval(pump), resolve()))));
      }
      // Anything else is never answered.
    });
    base = `http://127.0.0.1:${await listen(server)}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await close(server);
  });

  it("is ok when the status is the expected one", async () => {
    const record = await runCheck({ id: "web", role: "service", type: "http", url: `${base}/ok`, expectStatus: 200 }, ctx);
    expectValid(record);
    expect(record).toMatchObject({ ok: true, status: 200, lossPct: null, target: `${base}/ok`, checkType: "http" });
    expect(record.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("is not ok on a 500 when 200 is expected, and keeps the status", async () => {
    const spec: CheckSpec = { id: "web", role: "service", type: "http", url: `${base}/broken`, expectStatus: 200 };
    const record = await runCheck(spec, ctx);
    expectValid(record);
    expect(record).toMatchObject({ ok: false, status: 500 });
    expect(record.error).toContain("500");
  });

  it("judges a redirect itself rather than following it", async () => {
    const spec: CheckSpec = { id: "web", role: "service", type: "http", url: `${base}/moved`, expectStatus: 200 };
    expect(await runCheck(spec, ctx)).toMatchObject({ ok: false, status: 302 });
    expect(await runCheck({ ...spec, expectStatus: 302 }, ctx)).toMatchObject({ ok: true, status: 302 });
  });

  it("gives up on a server that never answers after the timeout", async () => {
    const spec: CheckSpec = { id: "web", role: "service", type: "http", url: `${base}/silent`, expectStatus: 200 };
    const record = await runCheck(spec, { ...ctx, timeoutMs: 300 });
    expectValid(record);
    expect(record).toMatchObject({ ok: false, latencyMs: null, error: "no response within 300 ms" });
    expect(record.status).toBeUndefined();
  });

  it("does not download the body", async () => {
    const spec: CheckSpec = { id: "web", role: "service", type: "http", url: `${base}/endless`, expectStatus: 200 };
    expect(await runCheck(spec, ctx)).toMatchObject({ ok: true, status: 200 });
    await Promise.all(endlessClosed); // the check hung up on the stream
  });

  it("fails with a reason when the port is closed", async () => {
    const gone = net.createServer();
    const port = await listen(gone);
    await close(gone);
    const spec: CheckSpec = { id: "web", role: "service", type: "http", url: `http://127.0.0.1:${port}/`, expectStatus: 200 };
    const record = await runCheck(spec, ctx);
    expectValid(record);
    expect(record).toMatchObject({ ok: false, latencyMs: null });
    expect(record.error).toMatch(/connection refused/);
  });
});

describe("runChecks", () => {
  it("runs a mixed list and answers one record per check, in order, without throwing", async () => {
    const server = net.createServer((socket) => socket.end());
    const port = await listen(server);
    const specs: CheckSpec[] = [
      gatewayCheckSpec("127.0.0.1"),
      { id: "db", role: "service", type: "tcp", host: "127.0.0.1", port },
      { id: "site", role: "internet", type: "http", url: "http://127.0.0.1:1/", expectStatus: 200 },
    ];
    const records = await runChecks(specs, ctx); // looks ping up by itself
    await close(server);
    expect(records.map((r) => [r.checkId, r.role, r.ok])).toEqual([
      ["gateway", "gateway", true],
      ["db", "service", true],
      ["site", "internet", false],
    ]);
    for (const r of records) {
      expectValid(r);
      expect(r.bootId).toBe("test-boot");
    }
  });

  it("reports every ping check as unavailable when ping is missing, and still runs the rest", async () => {
    const server = net.createServer((socket) => socket.end());
    const port = await listen(server);
    const records = await runChecks(
      [gatewayCheckSpec("127.0.0.1"), { id: "db", role: "service", type: "tcp", host: "127.0.0.1", port }],
      { ...ctx, pingPath: null },
    );
    await close(server);
    expect(records[0]).toMatchObject({ ok: false, error: new PingUnavailableError().message });
    expect(records[1]).toMatchObject({ ok: true });
  });
});
