import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminApi } from "../support/api.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, ROOT, startCollector, tempDir, waitFor, type CollectorProcess } from "../support/processes.js";
import { buildHostBinary } from "./sea-binary.js";

const { version } = JSON.parse(readFileSync(path.join(ROOT, "agent/package.json"), "utf8")) as { version: string };

describe("the agent as a single executable (Node SEA)", () => {
  const dirs: string[] = [];
  let binary: string;
  let collector: CollectorProcess | undefined;
  beforeAll(async () => {
    const out = tempDir("sea");
    dirs.push(out);
    binary = await buildHostBinary(out);
  }, 120_000);
  afterAll(async () => {
    await collector?.stop().catch(() => undefined);
    cleanup(...dirs);
  });

  it("starts without Node.js around it and prints its version", () => {
    // An empty PATH: the binary carries its own runtime.
    const r = spawnSync(binary, ["--version"], { encoding: "utf8", env: { PATH: "" } });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(version);
    expect(r.status).toBe(0);
  });

  it("collect --once prints one health sample as JSON, warning-free", () => {
    const r = spawnSync(binary, ["collect", "--once"], { encoding: "utf8", env: { PATH: "" } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const sample = JSON.parse(r.stdout) as { kind: string; metrics: Array<{ name: string; value: number }> };
    expect(sample.kind).toBe("health");
    expect(sample.metrics.map((m) => m.name)).toContain("cpu.utilization");
  });

  it("enrolls and streams to a real collector, and stops cleanly on SIGTERM", async () => {
    collector = await startCollector({ env: LOOPBACK_AGENT_ENV });
    const api = new AdminApi(collector.url, collector.adminToken);
    const { token } = await api.enrollmentToken("SEA Ltd");
    const state = tempDir("sea-state");
    dirs.push(state);
    const enroll = spawnSync(binary, ["enroll", "--server", collector.url, "--token", token, "--state-dir", state, "--machine-id", "sea-test"], { encoding: "utf8" });
    expect(enroll.stderr).toBe("");
    expect(enroll.status).toBe(0);
    const agentId = /agent (\S+)/.exec(enroll.stdout)![1]!;

    const agent = spawn(binary, ["run", "--state-dir", state, "--health-interval", "1"], { stdio: "ignore" });
    const exited = new Promise<number | null>((r) => agent.once("exit", (code) => r(code)));
    try {
      await waitFor(async () => {
        const r = await api.request<{ series: Array<{ points: unknown[] }> }>("GET", `/api/v1/hosts/${agentId}/metrics?name=cpu.utilization`);
        return (r.body.series[0]?.points.length ?? 0) > 0;
      }, "metrics from the single-executable agent", 30_000);
    } finally {
      agent.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
