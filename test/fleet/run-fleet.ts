/**
 * Runs a simulated fleet against a local collector (loopback, embedded ClickHouse) and prints what it
 * measured. Usage:
 *   node --import tsx test/fleet/run-fleet.ts [--agents 1000] [--interval 15] [--window 2] [--warmup 1]
 *     [--workers K] [--cores 4] [--connect-concurrency 200] [--data-dir DIR] [--cpu-prof FILE]
 *     [--collector-env KEY=VALUE]…   (collector settings to try, e.g. VIGIL_WRITER_FLUSH_MS=2000)
 * With --data-dir the enrolled fleet is kept there (fleet-credentials.json) and reused by the next run.
 * With --cpu-prof the collector runs with --inspect=127.0.0.1:<port>, is profiled over the measurement window, a
 * summary is printed and the profile saved to FILE (open it in Chrome DevTools).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { FleetCredentials } from "./enroll.js";
import { cleanup, tempDir } from "../support/processes.js";
import { collectorProblems, enrollFleet, startFleetCollector } from "./fleet-collector.js";
import { freePort } from "../support/free-port.js";
import { fleetTable, measureFleet, profileText } from "./measure-fleet.js";

const { values } = parseArgs({
  options: {
    agents: { type: "string", default: "1000" },
    interval: { type: "string", default: "15" },
    window: { type: "string", default: "2" },
    warmup: { type: "string", default: "1" },
    workers: { type: "string" },
    cores: { type: "string", default: "4" },
    "connect-concurrency": { type: "string" },
    "data-dir": { type: "string" },
    "cpu-prof": { type: "string" },
    "collector-env": { type: "string", multiple: true },
  },
});

const num = (v: string | undefined, name: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number`);
  return n;
};
const log = (line: string) => console.error(`[fleet ${new Date().toISOString().slice(11, 19)}] ${line}`);

const agents = num(values.agents, "agents");
const dataDir = values["data-dir"] ?? tempDir("fleet");
const saved = path.join(dataDir, "fleet-credentials.json");
try {
  let fleet = existsSync(saved) ? (JSON.parse(readFileSync(saved, "utf8")) as FleetCredentials[]) : [];
  if (fleet.length >= agents) log(`reusing ${agents} of the ${fleet.length} agents enrolled in ${dataDir}`);
  else {
    log(`enrolling ${agents} agents (data in ${dataDir})`);
    const enrolled = await enrollFleet(dataDir, agents, { log, concurrency: 32 });
    fleet = enrolled.credentials;
    log(`enrolled in ${enrolled.seconds.toFixed(1)} s (${(agents / enrolled.seconds).toFixed(0)}/s)`);
  }
  const inspectPort = values["cpu-prof"] ? await freePort() : undefined;
  const env: Record<string, string> = Object.fromEntries((values["collector-env"] ?? []).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
  if (inspectPort) env.NODE_OPTIONS = `--inspect=127.0.0.1:${inspectPort}`;
  const collector = await startFleetCollector(dataDir, env);
  // Until this run reports its agents' seqs, the saved fleet must not be reused: it would number from stale seqs.
  rmSync(saved, { force: true });
  try {
    const m = await measureFleet({
      collector: { url: collector.url, pid: collector.child.pid!, ...(inspectPort ? { inspectPort } : {}) },
      credentials: fleet.slice(0, agents),
      intervalMs: num(values.interval, "interval") * 1000,
      windowIntervals: num(values.window, "window"),
      warmupIntervals: num(values.warmup, "warmup"),
      cores: num(values.cores, "cores"),
      ...(values.workers !== undefined ? { workers: num(values.workers, "workers") } : {}),
      ...(values["connect-concurrency"] !== undefined ? { connectConcurrency: num(values["connect-concurrency"], "connect-concurrency") } : {}),
      log,
    });
    m.lastSeqs.forEach((seq, i) => (fleet[i]!.lastSeq = seq));
    writeFileSync(saved, JSON.stringify(fleet), { mode: 0o600 });
    console.log(fleetTable([m]));
    if (m.profile) {
      writeFileSync(values["cpu-prof"]!, JSON.stringify(m.profile));
      console.log(`\n${profileText(m.profile)}\n(profile saved to ${values["cpu-prof"]})`);
    }
  } finally {
    await collector.stop();
    console.log(`collector warnings/errors: ${collectorProblems(collector.logs)}`);
  }
} finally {
  if (!values["data-dir"]) cleanup(dataDir);
}
