/**
 * Vigil's benchmarks: they print figures and never assert. Run from the repository root:
 *   npm run bench                          every section (about 12 minutes, and about 15 more for availability)
 *   npm run bench -- fleet                 one section
 *   npm run bench -- fleet -- --agents 1000,19000   options need the second `--` (two npm layers);
 *   or directly: cd test && node --import tsx bench/run.ts fleet --agents 1000,19000
 *
 * Sections (default: all): ingest, fleet, agent, availability, alerts. Options:
 *   --rows N               metric rows per ingest run (1,000,000)       --runs N        ingest runs (3)
 *   --experiment-rows N    rows per store-level experiment (1,000,000; 0 skips them)
 *   --agents N,N…          fleet sizes (1000,10000)                     --interval S    agent interval (15)
 *   --window N             measured intervals per fleet (2)             --workers N     simulator processes
 *   --agent-minutes M      agent section length (3)
 *   --agent-variant="OPTS" also run an agent with these node options beside the plain one (repeatable)
 *   --clients N            availability: clients (50)                  --hosts-per-client N   hosts each (20)
 *   --days N               availability: report period (90)            --history-days N       days seeded (90)
 *   --report-runs N        availability: measured runs per report, after a warm-up (5)
 *   --raw-check-days N     availability: days of raw check results; older ones only in checks_1m (30)
 *   --profile              availability: also CPU-profile one run of each report
 *   --data-dir DIR         availability: keep the seeded store in DIR, and reuse it when it is already there
 *   --alert-runs N         alerts: SIGKILL → webhook runs (20)          --alert-drops N  silent-drop runs (5)
 *   --alert-blips N        alerts: restarts and short drops that must raise nothing (10)
 */
import { parseArgs } from "node:util";
import { agentBench } from "./agent.js";
import { alertsBench } from "./alerts.js";
import { availabilityBench } from "./availability.js";
import { fleetBench } from "./fleet.js";
import { ingestBench } from "./ingest.js";

const SECTIONS = ["ingest", "fleet", "agent", "availability", "alerts"] as const;
type Section = (typeof SECTIONS)[number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rows: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
    "experiment-rows": { type: "string", default: "1000000" },
    agents: { type: "string", default: "1000,10000" },
    interval: { type: "string", default: "15" },
    window: { type: "string", default: "2" },
    workers: { type: "string" },
    "agent-minutes": { type: "string", default: "3" },
    "agent-variant": { type: "string", multiple: true },
    clients: { type: "string", default: "50" },
    "hosts-per-client": { type: "string", default: "20" },
    days: { type: "string", default: "90" },
    "history-days": { type: "string", default: "90" },
    "report-runs": { type: "string", default: "5" },
    "raw-check-days": { type: "string", default: "30" },
    profile: { type: "boolean", default: false },
    "data-dir": { type: "string" },
    "alert-runs": { type: "string", default: "20" },
    "alert-drops": { type: "string", default: "5" },
    "alert-blips": { type: "string", default: "10" },
  },
});

const unknown = positionals.filter((p) => !(SECTIONS as readonly string[]).includes(p));
if (unknown.length > 0) {
  console.error(`unknown section(s): ${unknown.join(", ")}; choose from ${SECTIONS.join(", ")}`);
  process.exit(2);
}
const chosen: Section[] = positionals.length > 0 ? (positionals as Section[]) : [...SECTIONS];
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const int = (v: string | undefined) => Number((v ?? "").replace(/_/g, ""));

const started = performance.now();
for (const section of chosen) {
  console.log(`\n=== ${section} ===`);
  const t = performance.now();
  switch (section) {
    case "ingest":
      await ingestBench({ rows: int(values.rows), runs: int(values.runs), experimentRows: int(values["experiment-rows"]), log });
      break;
    case "fleet":
      await fleetBench({
        agents: values.agents.split(",").map(int),
        intervalMs: int(values.interval) * 1000,
        windowIntervals: int(values.window),
        ...(values.workers !== undefined ? { workers: int(values.workers) } : {}),
        log,
      });
      break;
    case "agent":
      await agentBench({ minutes: Number(values["agent-minutes"]), warmupSeconds: 30, variants: values["agent-variant"] ?? [], log });
      break;
    case "availability":
      await availabilityBench({
        clients: int(values.clients),
        hostsPerClient: int(values["hosts-per-client"]),
        days: int(values.days),
        historyDays: int(values["history-days"]),
        runs: int(values["report-runs"]),
        rawCheckDays: int(values["raw-check-days"]),
        profile: values.profile,
        ...(values["data-dir"] !== undefined ? { dataDir: values["data-dir"] } : {}),
        log,
      });
      break;
    case "alerts":
      await alertsBench({ runs: int(values["alert-runs"]), drops: int(values["alert-drops"]), blips: int(values["alert-blips"]), log });
      break;
  }
  console.log(`(${section}: ${((performance.now() - t) / 1000).toFixed(0)} s)`);
}
console.log(`\nbenchmarks done in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
