import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { parseArgs } from "node:util";
import { metricValue, scrapeMetrics } from "../fleet/collector-metrics.js";
import { AdminApi } from "../support/api.js";
import { freePort } from "../support/free-port.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { ROOT, cleanup, enrollAgent, startCollector, tempDir, waitFor } from "../support/processes.js";
import { ProcSampler, formatTable, mib, sleep, type ProcSummary } from "./measure.js";

/** Length and warm-up of the agent benchmark. */
export interface AgentBenchOptions {
  /** Measured minutes (default 3). */
  minutes: number;
  /** Seconds after the agent connected before measuring (default 30). */
  warmupSeconds: number;
  /** Extra agents run side by side with these Node options, to see what they change (each its own host). */
  variants: string[];
  log: (line: string) => void;
}

const NETNS_MARK = "VIGIL_BENCH_NETNS";
const NODE_EXPORTER = "prometheus-node-exporter";
const SCRAPE_EVERY_MS = 15_000;

/**
 * The real agent at default intervals (health 15 s, checks 30 s, one ping check of 127.0.0.1) beside
 * Debian's prometheus-node-exporter scraped every 15 s: RSS and CPU including child processes.
 *
 * Until the collector's first `welcome`, the agent runs with the protocol defaults, which ping the
 * default gateway. So the whole section runs in a network namespace of its own with only loopback in it
 * (`unshare --net`); where that is not allowed, the section is skipped rather than let the agent ping out.
 */
export async function agentBench(o: AgentBenchOptions): Promise<void> {
  if (process.env[NETNS_MARK] === "1") return measureAgent(o);
  const self = fileURLToPath(import.meta.url);
  const args = [process.execPath, "--import", "tsx", self, "--minutes", String(o.minutes), "--warmup", String(o.warmupSeconds), ...o.variants.map((v) => `--variant=${v}`)];
  for (const unshare of [["--net"], ["--net", "--map-root-user"]]) {
    const probe = spawnSync("unshare", [...unshare, "--", "true"]);
    if (probe.status !== 0) continue;
    o.log(`agent section runs in a private network namespace (unshare ${unshare.join(" ")})`);
    const child = spawn("unshare", [...unshare, "--", ...args], { cwd: ROOT, stdio: "inherit", env: { ...process.env, [NETNS_MARK]: "1" } });
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    if (code !== 0) console.log(`agent section failed (exit ${code})`);
    return;
  }
  console.log(
    "agent section SKIPPED: cannot create a private network namespace (unshare --net). The agent pings the default " +
      "gateway before the collector's config arrives, and benchmarks send traffic to loopback only.",
  );
}

async function measureAgent(o: AgentBenchOptions): Promise<void> {
  if (spawnSync("ip", ["link", "set", "lo", "up"]).status !== 0) throw new Error("cannot bring up loopback in the namespace (ip link set lo up)");
  const dataDir = tempDir("bench-agent-collector");
  const dirs = [dataDir];
  const children: ChildProcess[] = [];
  const collector = await startCollector({
    dataDir,
    env: { ...LOOPBACK_AGENT_ENV, VIGIL_AGENT_HEALTH_INTERVAL: "15", VIGIL_AGENT_CHECK_INTERVAL: "30" },
  });
  try {
    const { token } = await new AdminApi(collector.url, collector.adminToken).enrollmentToken("Agent Bench Ltd");
    const agents: Array<{ name: string; child: ChildProcess }> = [];
    for (const variant of ["", ...o.variants]) {
      const stateDir = tempDir("bench-agent-state");
      dirs.push(stateDir);
      await enrollAgent(collector.url, token, stateDir);
      // No interval flags: the agent runs on what the collector pushes, as deployed.
      const child = spawn(process.execPath, [...variant.split(" ").filter(Boolean), path.join(ROOT, "agent/dist/vigil-agent.mjs"), "run", "--state-dir", stateDir], {
        env: { ...process.env, VIGIL_LOG_LEVEL: "info" },
        stdio: ["ignore", "ignore", "ignore"],
      });
      children.push(child);
      agents.push({ name: variant ? `vigil-agent with node ${variant}` : "vigil-agent (health 15 s, ping check 30 s)", child });
    }
    const exporter = await startNodeExporter(children);
    await waitFor(async () => metricValue(await scrapeMetrics(collector.url), "vigil_connected_agents") >= agents.length, "agents connected", 60_000);
    o.log(`agent${agents.length > 1 ? "s" : ""} connected; warming up ${o.warmupSeconds} s, then measuring ${o.minutes} min`);
    await sleep(o.warmupSeconds * 1000);

    const before = await scrapeMetrics(collector.url);
    const agentSamplers = agents.map((a) => new ProcSampler(a.child.pid!, { tree: true }).start());
    const exporterSampler = exporter ? new ProcSampler(exporter.child.pid!, { tree: true }).start() : undefined;
    let scrapes = 0;
    let scrapeBytes = 0;
    const scrape = async () => {
      if (!exporter) return;
      const body = await (await fetch(`${exporter.url}/metrics`)).text();
      scrapes++;
      scrapeBytes = body.length;
    };
    await scrape();
    const scraper = setInterval(() => void scrape().catch(() => undefined), SCRAPE_EVERY_MS);
    const end = Date.now() + o.minutes * 60_000;
    while (Date.now() < end) {
      await sleep(Math.min(30_000, end - Date.now()));
      o.log(`agent bench: ${Math.round((end - Date.now()) / 1000)} s left`);
    }
    clearInterval(scraper);
    const measured = agentSamplers.map((sampler) => sampler.stop());
    const a = measured[0]!;
    const e = exporterSampler?.stop();
    const after = await scrapeMetrics(collector.url);

    const row = (name: string, s: ProcSummary, target: string) => [
      name,
      mib(s.rssMedianBytes),
      mib(s.rssMaxBytes),
      mib(s.treeRssMaxBytes),
      `${s.cpuPct.toFixed(3)} %`,
      s.alive ? target : "process exited during the window!",
    ];
    console.log(`\nAgent vs node-exporter over the same ${(a.seconds / 60).toFixed(1)} min (CPU = utime+stime incl. children, % of one core):`);
    console.log(
      formatTable(
        ["process", "RSS median", "RSS max", "RSS max incl. children", "CPU", "target"],
        [
          ...agents.map((ag, i) => row(ag.name, measured[i]!, verdict(measured[i]!))),
          ...(e ? [row(`${NODE_EXPORTER} (scraped every 15 s)`, e, "reference")] : []),
        ],
      ),
    );
    if (!exporter) console.log(`(${NODE_EXPORTER} is not installed: apt-get install -y ${NODE_EXPORTER} for the comparison)`);
    else console.log(`(node-exporter: ${scrapes} scrapes of ${(scrapeBytes / 1024).toFixed(0)} KiB; ${exporter.version})`);
    const batches = metricValue(after, "vigil_batches_received_total") - metricValue(before, "vigil_batches_received_total");
    const points = metricValue(after, "vigil_points_received_total") - metricValue(before, "vigil_points_received_total");
    console.log(`(the agent${agents.length > 1 ? "s" : ""} delivered ${batches} batches with ${points} points and check results during the window)`);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
    await collector.stop();
    cleanup(...dirs);
  }
}

function verdict(s: ProcSummary): string {
  return `< 50 MB, < 0.2 %: RSS ${s.rssMaxBytes < 50e6 ? "met" : "NOT met"}, CPU ${s.cpuPct < 0.2 ? "met" : "NOT met"}`;
}

async function startNodeExporter(children: ChildProcess[]): Promise<{ child: ChildProcess; url: string; version: string } | undefined> {
  const version = spawnSync(NODE_EXPORTER, ["--version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) return undefined;
  const port = await freePort();
  const child = spawn(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "ignore"] });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/metrics`)).ok, "node-exporter answering", 15_000);
  return { child, url, version: `${version.stdout}${version.stderr}`.split("\n")[0]!.trim() };
}

// Entry inside the network namespace (see agentBench).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { minutes: { type: "string" }, warmup: { type: "string" }, variant: { type: "string", multiple: true } } });
  await agentBench({
    minutes: Number(values.minutes ?? 3),
    warmupSeconds: Number(values.warmup ?? 30),
    variants: values.variant ?? [],
    log: (line) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`),
  });
}
