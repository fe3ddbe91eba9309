import { AdminApi } from "../support/api.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { startCollector, type CollectorProcess } from "../support/processes.js";
import { enrollAgents, type FleetCredentials } from "./enroll.js";

/** Starts a collector for fleet runs: embedded store in `dataDir`, loopback only, agents' checks on loopback. */
export function startFleetCollector(dataDir: string, env: Record<string, string> = {}): Promise<CollectorProcess> {
  return startCollector({ dataDir, env: { ...LOOPBACK_AGENT_ENV, ...env } });
}

/**
 * Enrolls `count` simulated hosts into one client and site of the collector in `dataDir` (started for the
 * purpose and stopped afterwards, so the next collector loads them all at start-up).
 */
export async function enrollFleet(
  dataDir: string,
  count: number,
  opts: { concurrency?: number; log?: (line: string) => void } = {},
): Promise<{ credentials: FleetCredentials[]; seconds: number }> {
  const collector = await startFleetCollector(dataDir);
  try {
    const { token } = await new AdminApi(collector.url, collector.adminToken).enrollmentToken("Fleet Simulation Ltd");
    const started = performance.now();
    let shown = 0;
    const credentials = await enrollAgents(collector.url, token, count, {
      concurrency: opts.concurrency ?? 16,
      // New machine ids for every enrollment: a fleet never inherits the seqs of an earlier one.
      machinePrefix: `sim-${Date.now().toString(36)}`,
      onProgress: (done) => {
        if (done === count || done - shown >= 2000) {
          shown = done;
          opts.log?.(`enrolled ${done}/${count}`);
        }
      },
    });
    return { credentials, seconds: (performance.now() - started) / 1000 };
  } finally {
    await collector.stop();
  }
}

/** Warnings and errors in a collector's JSON log lines, counted by message: `msg ×n; …`, or `none`. */
export function collectorProblems(logs: readonly string[]): string {
  const byMsg = new Map<string, number>();
  for (const line of logs) {
    let entry: { level?: number; msg?: string; err?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < 40) continue;
    const key = `${entry.msg ?? "?"}${entry.err ? ` (${entry.err.slice(0, 120)})` : ""}`;
    byMsg.set(key, (byMsg.get(key) ?? 0) + 1);
  }
  return byMsg.size === 0 ? "none" : [...byMsg].map(([k, n]) => `${k} ×${n}`).join("; ");
}
