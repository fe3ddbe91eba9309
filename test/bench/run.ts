/**
 * Vigil's benchmarks: they print figures and never assert. Run from the repository root:
 *   npm run bench                          every section (about 12 minutes)
 *   npm run bench -- fleet                 one section
 *   npm run bench -- fleet -- --agents 1000,19000   options need the second `--` (two npm layers);
 *   or directly: cd test && node --import tsx bench/run.ts fleet --agents 1000,19000
 *
 * Sections (default: all): ingest, fleet, agent. Options:
 *   --rows N               metric rows per ingest run (1,000,000)       --runs N        ingest runs (3)
 *   --experiment-rows N    rows per store-level experiment (1,000,000; 0 skips them)
 *   --agents N,N…          fleet sizes (1000,10000)                     --interval S    agent interval (15)
 *   --window N             measured intervals per fleet (2)             --workers N     simulator processes
 *   --agent-minutes M      agent section length (3)
 *   --agent-variant="OPTS" also run an agent with these node options beside the plain one (repeatable)
 */
import { parseArgs } from "node:util";
import { agentBench } from "./agent.js";
import { fleetBench } from "./fleet.js";
import { ingestBench } from "./ingest.js";

const SECTIONS = ["ingest", "fleet", "agent"] as const;
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
  }
  console.log(`(${section}: ${((performance.now() - t) / 1000).toFixed(0)} s)`);
}
console.log(`\nbenchmarks done in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
