#!/usr/bin/env node
// `npm start`: a collector with embedded ClickHouse under ./data, a demo client and site, and an agent
// on this machine enrolled into them. Prints the URL and how to log in, then keeps running until Ctrl-C.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dataDir = path.resolve(process.env.VIGIL_DATA_DIR ?? path.join(root, "data"));
const port = Number(process.env.VIGIL_PORT ?? 8080);
const url = process.env.VIGIL_PUBLIC_URL ?? `http://127.0.0.1:${port}`;
const logDir = path.join(dataDir, "logs");
const agentStateDir = path.join(dataDir, "agent");
const dashboardPasswordFile = path.join(dataDir, "dashboard-password");
mkdirSync(logDir, { recursive: true });

const children = [];
function start(name, script, args, env = {}) {
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: "a" });
  const child = spawn(process.execPath, [path.join(root, script), ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`\n${name} exited (${signal ?? code}); see ${path.join(logDir, `${name}.log`)}`);
      shutdown(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  // The agent first, so its goodbye reaches a collector that is still up.
  const [collector, agent] = children;
  const exited = (c) => (c && c.exitCode === null ? new Promise((r) => c.once("exit", r)) : Promise.resolve());
  agent?.kill("SIGTERM");
  exited(agent).then(() => {
    collector?.kill("SIGTERM");
    return exited(collector);
  }).then(() => process.exit(code));
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      // Not there yet.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

async function main() {
  try {
    const probe = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    if (probe.ok) throw new Error(`something is already answering at ${url}; stop it or set VIGIL_PORT`);
  } catch (err) {
    if (err.message.startsWith("something")) throw err;
  }
  console.log(`Starting the Vigil collector (embedded ClickHouse in ${dataDir}) ...`);
  start("collector", "collector/dist/cli.js", ["serve"], { VIGIL_DATA_DIR: dataDir, VIGIL_PORT: String(port) });
  await until("the collector to be ready", async () => (await fetch(`${url}/readyz`)).ok, 120_000);

  const adminToken = process.env.VIGIL_ADMIN_TOKEN ?? readFileSync(path.join(dataDir, "admin-token"), "utf8").trim();
  const api = async (method, p, body) => {
    const res = await fetch(url + p, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
      body: body && JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  const dashboardLogin = await ensureDashboardAdmin(api);

  if (!existsSync(path.join(agentStateDir, "credentials.json"))) {
    const clients = await api("GET", "/api/v1/clients");
    const client = clients.items.find((c) => c.name === "Demo Client") ?? (await api("POST", "/api/v1/clients", { name: "Demo Client", timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC", currency: "EUR" }));
    const sites = await api("GET", `/api/v1/sites?clientId=${client.id}`);
    const site = sites.items.find((s) => s.name === "Demo Site") ?? (await api("POST", "/api/v1/sites", { clientId: client.id, name: "Demo Site" }));
    const { token } = await api("POST", "/api/v1/enrollment-tokens", { clientId: client.id, siteId: site.id, expiresInSeconds: 3600 });
    console.log("Enrolling an agent on this machine into 'Demo Client / Demo Site' ...");
    await new Promise((resolve, reject) => {
      const e = spawn(process.execPath, [path.join(root, "agent/dist/vigil-agent.mjs"), "enroll", "--server", url, "--token", token, "--state-dir", agentStateDir], { stdio: ["ignore", "inherit", "inherit"] });
      e.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`agent enrollment failed (${code})`))));
    });
  }
  const { agentId } = JSON.parse(readFileSync(path.join(agentStateDir, "credentials.json"), "utf8"));
  start("agent", "agent/dist/vigil-agent.mjs", ["run", "--state-dir", agentStateDir]);

  const started = Date.now();
  const series = await until("this machine's metrics", async () => {
    const r = await api("GET", `/api/v1/hosts/${agentId}/metrics?name=cpu.utilization`);
    return r.series[0]?.points.length ? r.series[0] : undefined;
  }, 60_000);
  const [ts, value] = series.points.at(-1);

  console.log(`
Vigil is running.

  Collector:   ${url}
  Dashboard:   ${url}/   ${dashboardLogin}
  Admin token: ${adminToken}
  This host:   ${os.hostname()} (agent ${agentId}); first metrics arrived after ${((Date.now() - started) / 1000).toFixed(1)} s
               cpu.utilization ${value.toFixed(1)}% at ${new Date(ts).toISOString()}

Try:
  curl -H "Authorization: Bearer ${adminToken}" ${url}/api/v1/hosts
  curl -H "Authorization: Bearer ${adminToken}" "${url}/api/v1/hosts/${agentId}/metrics?name=memory.used_pct"
  node agent/dist/vigil-agent.mjs status --state-dir ${path.relative(process.cwd(), agentStateDir) || "."}
  API description: ${url}/api/v1/openapi.json   Prometheus metrics: ${url}/metrics

Logs: ${logDir}   Stop with Ctrl-C.`);
}

/**
 * On first run (no dashboard users yet) creates the dashboard user `admin` with a random password, kept in
 * <dataDir>/dashboard-password (mode 600). Returns how to log in, for the banner.
 */
async function ensureDashboardAdmin(api) {
  const hint = `log in as admin with the password in ${dashboardPasswordFile}`;
  if (existsSync(dashboardPasswordFile)) return hint;
  const { items } = await api("GET", "/api/v1/users");
  if (items.length > 0) return "log in with your dashboard user (vigil user list shows them)";
  const password = randomBytes(18).toString("base64url");
  // Written before the user exists, so the password is never lost; "wx" refuses to overwrite anything.
  writeFileSync(dashboardPasswordFile, `${password}\n`, { mode: 0o600, flag: "wx" });
  try {
    await api("POST", "/api/v1/users", { username: "admin", password, role: "admin" });
  } catch (err) {
    rmSync(dashboardPasswordFile, { force: true });
    throw err;
  }
  console.log(`Created the dashboard user admin (password in ${dashboardPasswordFile}).`);
  return hint;
}

main().catch((err) => {
  console.error(`npm start failed: ${err.message}`);
  shutdown(1);
});
