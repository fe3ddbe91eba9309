import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { AdminApi } from "../support/api.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, enrollAgent, ROOT, startAgent, startCollector, tempDir, waitFor, type AgentProcess, type CollectorProcess } from "../support/processes.js";

const run = promisify(execFile);
const CLI = path.join(ROOT, "collector/dist/cli.js");

/** Runs `vigil <args>` on a data directory; resolves with exit code and output (never rejects). */
async function vigil(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { env: { ...process.env, VIGIL_DATA_DIR: dataDir } });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Row count and a content checksum of every table (merged with FINAL where rows merge by key), read
// in a process of its own: the embedded engine opens one data directory per process.
const FINGERPRINT = `
const { openStore } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, "collector/dist/store/clickhouse.js")).href)});
const store = await openStore({ kind: "embedded", path: process.argv[1], database: "vigil" });
const out = {};
for (const t of await store.query("SELECT name, engine FROM system.tables WHERE database = 'vigil' AND engine NOT LIKE '%View' ORDER BY name")) {
  const final = /Replacing|Aggregating/.test(t.engine) ? " FINAL" : "";
  const [r] = await store.query("SELECT count() AS n, toString(sum(cityHash64(*))) AS h FROM " + t.name + final);
  out[t.name] = r.n + " rows, " + r.h;
}
await store.close();
console.log(JSON.stringify(out));`;

async function fingerprint(dataDir: string): Promise<Record<string, string>> {
  const r = await run(process.execPath, ["--input-type=module", "-e", FINGERPRINT, path.join(dataDir, "clickhouse")]);
  return JSON.parse(r.stdout) as Record<string, string>;
}

describe("vigil backup and vigil restore of the embedded store", () => {
  const dirs: string[] = [];
  let collector: CollectorProcess | undefined;
  let agent: AgentProcess | undefined;
  afterAll(async () => {
    await agent?.kill().catch(() => undefined);
    await collector?.stop().catch(() => undefined);
    cleanup(...dirs);
  });

  it("gives back the same data, never while a collector runs, and never half", async () => {
    const original = tempDir("backup-original");
    const restored = tempDir("backup-restored");
    const backups = tempDir("backup-files");
    dirs.push(original, restored, backups);

    // A collector with real data: a client, an enrolled agent, its samples, rollups and marks.
    collector = await startCollector({ dataDir: original, env: LOOPBACK_AGENT_ENV });
    const api = new AdminApi(collector.url, collector.adminToken);
    const { token } = await api.enrollmentToken("Backup GmbH");
    const state = tempDir("backup-agent");
    dirs.push(state);
    const agentId = await enrollAgent(collector.url, token, state);
    agent = startAgent(state, { healthInterval: 1, checkInterval: 5 });
    await waitFor(() => JSON.parse(readFileSync(path.join(state, "status.json"), "utf8")).lastAckSeq >= 3, "three acknowledged batches", 30_000);

    // While the collector runs, backup refuses and writes nothing.
    const busy = await vigil(original, "backup", "--out", path.join(backups, "busy.tar.zst"));
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/a collector \(pid \d+, .*\) is using .*; stop it first .*\(temporary; retrying may help\)/);
    expect(readdirSync(backups)).toEqual([]);

    await agent.stop();
    agent = undefined;
    await collector.stop();
    collector = undefined;
    const before = await fingerprint(original);
    expect(before.metrics_raw).not.toMatch(/^0 rows/);
    expect(before.health_samples).not.toMatch(/^0 rows/);

    const file = path.join(backups, "vigil.tar.zst");
    const backup = await vigil(original, "backup", "--out", file);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`backup written: ${file} \\(\\d+ tables, \\d+ rows, [\\d.]+ MB\\)`));
    expect(readdirSync(backups)).toEqual(["vigil.tar.zst"]);
    expect((await vigil(original, "backup", "--out", file)).stderr).toMatch(/already exists; choose another name/);
    expect(await fingerprint(original)).toEqual(before);

    // Into an empty data directory: exactly the same tables, rows and contents.
    const restore = await vigil(restored, "restore", "--from", file);
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/restored \d+ tables \(\d+ rows\)/);
    expect(await fingerprint(restored)).toEqual(before);

    // A collector on the restored store serves the same host and its history.
    collector = await startCollector({ dataDir: restored, env: LOOPBACK_AGENT_ENV });
    const restoredApi = new AdminApi(collector.url, collector.adminToken);
    const host = await restoredApi.request<{ id: string }>("GET", `/api/v1/hosts/${agentId}`);
    expect(host.status).toBe(200);
    const metrics = await restoredApi.request<{ series: Array<{ points: unknown[] }> }>("GET", `/api/v1/hosts/${agentId}/metrics?name=cpu.utilization`);
    expect(metrics.body.series[0]?.points.length).toBeGreaterThan(0);
    await collector.stop();
    collector = undefined;
    const served = await fingerprint(restored);

    // A file that is not a backup changes nothing.
    const junk = path.join(backups, "junk.tar.zst");
    writeFileSync(junk, "not a backup");
    const bad = await vigil(restored, "restore", "--from", junk);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/restore from .*junk\.tar\.zst failed; the current store is unchanged/);
    expect(await fingerprint(restored)).toEqual(served);
    expect(readdirSync(restored).filter((f) => f.startsWith("clickhouse."))).toEqual([]);

    // Over an existing store: replaced as a whole, the old one kept beside it.
    const again = await vigil(restored, "restore", "--from", file);
    expect(again.code).toBe(0);
    const kept = /the replaced store is kept in (\S+);/.exec(again.stdout)?.[1];
    expect(kept && existsSync(kept)).toBe(true);
    expect(await fingerprint(restored)).toEqual(before);
    expect(existsSync(path.join(restored, "vigil.lock"))).toBe(false);
  });

  it("refuses what it cannot do, with the reason", async () => {
    const dir = tempDir("backup-refusals");
    dirs.push(dir);
    expect((await vigil(dir, "backup", "--out", path.join(dir, "x.zip"))).stderr).toMatch(/must end in \.tar\.zst/);
    expect((await vigil(dir, "backup", "--out", path.join(dir, "x.tar.zst"))).stderr).toMatch(/no embedded store at .*: is VIGIL_DATA_DIR right\?/);
    expect((await vigil(dir, "restore")).stderr).toMatch(/restore needs --from FILE/);
    expect((await vigil(dir, "restore", "--from", path.join(dir, "missing.tar.zst"))).stderr).toMatch(/no such backup file/);
  });
});
