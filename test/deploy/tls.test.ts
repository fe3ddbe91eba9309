import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, ROOT, runAgentCli, startCollector, tempDir, waitFor, type CollectorProcess } from "../support/processes.js";

/** A self-signed certificate for 127.0.0.1, made by openssl. */
function selfSigned(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  const r = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
    { encoding: "utf8" },
  );
  if (r.error) throw new Error("openssl is not installed: apt-get install openssl (CI installs it in .ci/run)");
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { cert, key };
}

/** An HTTPS request that trusts exactly `ca`; resolves with status and body. */
function httpsRequest(url: string, ca: Buffer, opts: { method?: string; token?: string; body?: unknown } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(
      url,
      {
        method: opts.method ?? "GET",
        ca,
        headers: { ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}), ...(payload ? { "Content-Type": "application/json" } : {}) },
      },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

describe("native TLS: the collector serves https and wss with VIGIL_TLS_CERT / VIGIL_TLS_KEY", () => {
  const dirs: string[] = [];
  let tls: { cert: string; key: string };
  let ca: Buffer;
  let collector: CollectorProcess;
  beforeAll(async () => {
    const dir = tempDir("tls");
    dirs.push(dir);
    tls = selfSigned(dir);
    ca = readFileSync(tls.cert);
    const port = await freePort();
    collector = await startCollector({
      port,
      env: { ...LOOPBACK_AGENT_ENV, VIGIL_TLS_CERT: tls.cert, VIGIL_TLS_KEY: tls.key, VIGIL_PUBLIC_URL: `https://127.0.0.1:${port}` },
    });
  });
  afterAll(async () => {
    await collector?.stop();
    cleanup(...dirs);
  });

  it("answers /healthz over https, and only over https", async () => {
    expect(collector.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await httpsRequest(`${collector.url}/healthz`, ca);
    expect(r).toEqual({ status: 200, body: JSON.stringify({ status: "ok" }) });
    await expect(fetch(`${collector.url.replace("https:", "http:")}/healthz`)).rejects.toThrow();
  });

  it("bakes the https URL into install commands", async () => {
    const script = await httpsRequest(`${collector.url}/install.sh`, ca);
    expect(script.body).toContain(`DEFAULT_SERVER='${collector.url}'`);
  });

  it("enrolls an agent and carries its stream over wss", async () => {
    const api = (method: string, p: string, body?: unknown) => httpsRequest(collector.url + p, ca, { method, token: collector.adminToken, body });
    const client = JSON.parse((await api("POST", "/api/v1/clients", { name: "TLS Ltd", timezone: "UTC", currency: "EUR" })).body) as { id: string };
    const site = JSON.parse((await api("POST", "/api/v1/sites", { clientId: client.id, name: "HQ" })).body) as { id: string };
    const { token, installCommand } = JSON.parse((await api("POST", "/api/v1/enrollment-tokens", { clientId: client.id, siteId: site.id })).body) as { token: string; installCommand: string };
    expect(installCommand).toBe(`curl -fsSL ${collector.url}/install.sh | sudo sh -s -- --token ${token}`);

    const state = tempDir("tls-agent");
    dirs.push(state);
    // The agent checks the certificate: without the CA it refuses to talk.
    const untrusted = await runAgentCli(["enroll", "--server", collector.url, "--token", token, "--state-dir", state]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/SELF_SIGNED_CERT/);

    const trusted = { NODE_EXTRA_CA_CERTS: tls.cert };
    const enrolled = await runAgentCli(["enroll", "--server", collector.url, "--token", token, "--state-dir", state, "--machine-id", "tls-test"], trusted);
    expect(enrolled.stderr).toBe("");
    expect(enrolled.code).toBe(0);
    const agentId = /agent (\S+)/.exec(enrolled.stdout)![1]!;

    const agent = spawn(process.execPath, [path.join(ROOT, "agent/dist/vigil-agent.mjs"), "run", "--state-dir", state, "--health-interval", "1"], {
      env: { ...process.env, ...trusted },
      stdio: "ignore",
    });
    try {
      await waitFor(async () => {
        const r = await api("GET", `/api/v1/hosts/${agentId}/metrics?name=cpu.utilization`);
        return ((JSON.parse(r.body) as { series: Array<{ points: unknown[] }> }).series[0]?.points.length ?? 0) > 0;
      }, "metrics over wss", 30_000);
      const host = JSON.parse((await api("GET", `/api/v1/hosts/${agentId}`)).body) as { status: string };
      expect(host.status).toBe("online");
    } finally {
      const exited = new Promise((r) => agent.once("exit", r));
      agent.kill("SIGTERM");
      await exited;
    }
  });

  it("refuses to start with a certificate it cannot use, naming the variable", async () => {
    const dataDir = tempDir("tls-bad");
    dirs.push(dataDir);
    const missing = startCollector({ dataDir, env: { VIGIL_TLS_CERT: path.join(dataDir, "nope.pem"), VIGIL_TLS_KEY: tls.key } });
    await expect(missing).rejects.toThrow(/VIGIL_TLS_CERT: cannot read .*nope\.pem \(ENOENT\)/);
    const swapped = startCollector({ dataDir, env: { VIGIL_TLS_CERT: tls.key, VIGIL_TLS_KEY: tls.cert } });
    await expect(swapped).rejects.toThrow(/do not make a usable pair/);
    const half = startCollector({ dataDir, env: { VIGIL_TLS_CERT: tls.cert } });
    await expect(half).rejects.toThrow(/VIGIL_TLS_CERT and VIGIL_TLS_KEY go together/);
  });
});
