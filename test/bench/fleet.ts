import os from "node:os";
import { collectorProblems, enrollFleet, startFleetCollector } from "../fleet/fleet-collector.js";
import { fleetTable, measureFleet, type FleetMeasurement } from "../fleet/measure-fleet.js";
import { cleanup, tempDir } from "../support/processes.js";
import { fmtNumber, openFilesLimit } from "./measure.js";

/** Fleet sizes and timing of the fleet benchmark. */
export interface FleetBenchOptions {
  /** Fleet sizes, each against a freshly started collector (default 1,000 and 10,000). */
  agents: number[];
  intervalMs: number;
  windowIntervals: number;
  /** Simulator processes (default one per 5,000 agents). */
  workers?: number;
  log: (line: string) => void;
}

/**
 * N simulated agents against a real collector process, for each N: enrolls the largest fleet once, then
 * for each size starts a collector on that data, measures one fleet run and stops it.
 */
export async function fleetBench(o: FleetBenchOptions): Promise<void> {
  const max = Math.max(...o.agents);
  const fdLimit = openFilesLimit() ?? undefined;
  console.log(
    `${os.cpus().length} CPUs shared by the collector and the simulator; open-files limit ${fdLimit ?? "unknown"} per process ` +
      `(the collector needs one per agent connection, plus its own).`,
  );
  const dataDir = tempDir("bench-fleet");
  try {
    o.log(`enrolling ${fmtNumber(max)} simulated hosts`);
    const { credentials, seconds } = await enrollFleet(dataDir, max, { concurrency: 32, log: o.log });
    console.log(`Enrollment: ${fmtNumber(max)} hosts in ${seconds.toFixed(1)} s (${(max / seconds).toFixed(0)}/s, 32 in flight).`);
    const runs: FleetMeasurement[] = [];
    const problems: string[] = [];
    for (const n of o.agents) {
      if (fdLimit !== undefined && n > fdLimit - 1000) {
        console.log(`N = ${fmtNumber(n)}: expect refused connections, the collector's open-files limit is ${fdLimit}.`);
      }
      const collector = await startFleetCollector(dataDir);
      try {
        runs.push(
          await measureFleet({
            collector: { url: collector.url, pid: collector.child.pid! },
            credentials: credentials.slice(0, n),
            intervalMs: o.intervalMs,
            windowIntervals: o.windowIntervals,
            ...(o.workers !== undefined ? { workers: o.workers } : {}),
            log: (l) => o.log(`N=${n}: ${l}`),
          }),
        );
      } catch (err) {
        console.log(`N = ${fmtNumber(n)}: run failed: ${(err as Error).message}`);
      } finally {
        await collector.stop();
        problems.push(`N = ${fmtNumber(n)}: ${collectorProblems(collector.logs)}`);
      }
    }
    console.log(`\nFleet at a ${o.intervalMs / 1000} s interval (one health batch of 10 points per agent per interval):`);
    console.log(fleetTable(runs));
    console.log("(target: 50,000 agents at 15 s on one 2-core collector with p99 ack < 1 s)");
    console.log(`Collector warnings/errors by message:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  } finally {
    cleanup(dataDir);
  }
}
