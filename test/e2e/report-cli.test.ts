import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminApi } from "../support/api.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, enrollAgent, ROOT, startAgent, startCollector, tempDir, waitFor, type AgentProcess, type CollectorProcess } from "../support/processes.js";

const run = promisify(execFile);
const CLI = path.join(ROOT, "collector/dist/cli.js");

let collector: CollectorProcess;
let agent: AgentProcess;
let clientId: string;
let from: string;
let enrolledAt: number;
const dirs: string[] = [];

/** Runs `vigil <args>` against the running collector; never rejects. */
async function vigil(args: string[], token = collector.adminToken): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { env: { ...process.env, VIGIL_ADMIN_TOKEN: token, VIGIL_PUBLIC_URL: collector.url }, encoding: "utf8" });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  collector = await startCollector({ env: LOOPBACK_AGENT_ENV });
  dirs.push(collector.dataDir);
  const api = new AdminApi(collector.url, collector.adminToken);
  const enrollment = await api.enrollmentToken("Report CLI GmbH");
  clientId = enrollment.clientId;
  from = new Date(Date.now() - 60_000).toISOString();
  const state = tempDir("report-cli-agent");
  dirs.push(state);
  await enrollAgent(collector.url, enrollment.token, state);
  enrolledAt = Date.now();
  agent = startAgent(state);
  await waitFor(async () => {
    const r = await api.request<{ items: Array<{ lastSeenAt: string | null }> }>("GET", `/api/v1/hosts?clientId=${clientId}`);
    return r.body.items[0]?.lastSeenAt;
  }, "the agent's first samples");
});

afterAll(async () => {
  await agent?.stop();
  await collector?.stop();
  cleanup(...dirs);
});

describe("vigil report", () => {
  it("writes the SLA report as a PDF a person can read", async () => {
    const out = path.join(collector.dataDir, "report.pdf");
    const r = await vigil(["report", "sla", "--client", clientId, "--from", from, "--to", new Date().toISOString(), "--format", "pdf", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`report written: ${out}`);
    const text = (await run("pdftotext", ["-layout", out, "-"], { encoding: "utf8" })).stdout;
    expect(text).toContain("Report CLI GmbH");
    expect(text).toMatch(/availab/i);
  });

  it("prints JSON and CSV to stdout", async () => {
    // The last seconds are left out: samples still on their way would read as a silence.
    await waitFor(() => Date.now() > enrolledAt + 8000, "a few seconds of samples");
    const json = await vigil(["report", "sla", "--client", clientId, "--from", from, "--to", new Date(Date.now() - 5000).toISOString()]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { scope: { clientName: string }; byHost: unknown[]; downSeconds: number };
    expect(report.scope.clientName).toBe("Report CLI GmbH");
    expect(report.byHost).toHaveLength(1);
    expect(report.downSeconds).toBe(0);
    const csv = await vigil(["report", "fleet", "--from", from, "--to", new Date().toISOString(), "--format", "csv"]);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain("Report CLI GmbH");
  });

  it("says what is wrong: a missing option, a refused token, an unreachable collector", async () => {
    const missing = await vigil(["report", "sla", "--from", from, "--to", from]);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, "vigil: report sla needs --client ID"]);
    const refused = await vigil(["report", "sla", "--client", clientId, "--from", from, "--to", new Date().toISOString()], "vgadm_wrong_" + "x".repeat(32));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused the report \(401\)/);
    const inverted = await vigil(["report", "sla", "--client", clientId, "--from", new Date().toISOString(), "--to", from]);
    expect(inverted.stderr).toMatch(/\(400\): from: must not be after to/);
    const nowhere = await vigil(["report", "sla", "--client", clientId, "--from", from, "--to", from, "--url", "http://127.0.0.1:9"]);
    expect(nowhere.stderr).toMatch(/cannot reach the collector at http:\/\/127\.0\.0\.1:9.*\(temporary; retrying may help\)/);
  });
});
