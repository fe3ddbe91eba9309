import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../collector/src/store/clickhouse.js";
import { AdminApi } from "../support/api.js";
import { cleanup, tempDir, type CollectorProcess } from "../support/processes.js";
import { enrollAgents } from "./enroll.js";
import { startFleetCollector } from "./fleet-collector.js";
import { Fleet } from "./fleet.js";

const AGENTS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the fleet simulator", () => {
  const dirs: string[] = [];
  let collector: CollectorProcess | undefined;
  let fleet: Fleet | undefined;
  afterAll(async () => {
    await fleet?.stop().catch(() => undefined);
    await collector?.kill().catch(() => undefined);
    cleanup(...dirs);
  });

  it("connects every agent, gets every batch acknowledged, and the collector stores exactly the points sent", async () => {
    const dataDir = tempDir("fleet-test");
    dirs.push(dataDir);
    collector = await startFleetCollector(dataDir);
    const { token } = await new AdminApi(collector.url, collector.adminToken).enrollmentToken("Fleet Test Ltd");
    const credentials = await enrollAgents(collector.url, token, AGENTS, { machinePrefix: "fleet-test", concurrency: 4 });
    expect(new Set(credentials.map((c) => c.agentId)).size).toBe(AGENTS);

    fleet = await Fleet.create({ server: collector.url, credentials, intervalMs: 200, workers: 0 });
    const connected = await fleet.connect();
    expect(connected).toMatchObject({ connected: AGENTS, failed: 0 });

    await fleet.setWindow(0, Number.MAX_SAFE_INTEGER);
    await fleet.start();
    await sleep(3000);
    await fleet.halt();
    const stats = await fleet.report(60_000);
    await fleet.stop();
    fleet = undefined;

    expect(stats.closes).toEqual({});
    expect(stats.errors).toEqual({});
    expect(stats.batchesWaiting).toBe(0);
    expect(stats.window.pending).toBe(0);
    expect(stats.batchesAcked).toBe(stats.batchesSent);
    expect(stats.window.latenciesMs).toHaveLength(stats.batchesSent);
    expect(stats.lastSeqs.every((s) => s >= 1)).toBe(true);
    expect(stats.lastSeqs.reduce((a, b) => a + b, 0)).toBe(stats.batchesSent);

    await collector.stop();
    collector = undefined;
    const store = await openStore({ kind: "embedded", path: path.join(dataDir, "clickhouse"), database: "vigil" });
    try {
      const rows = await store.query<{ agent_id: string; points: number; seqs: number; top: number; samples: number }>(
        `SELECT m.agent_id AS agent_id, m.points AS points, m.seqs AS seqs, m.top AS top, h.samples AS samples
         FROM (SELECT agent_id, count() AS points, uniqExact(seq) AS seqs, max(seq) AS top FROM metrics_raw GROUP BY agent_id) AS m
         JOIN (SELECT agent_id, count() AS samples FROM health_samples GROUP BY agent_id) AS h USING (agent_id)`,
      );
      const stored = new Map(rows.map((r) => [r.agent_id, r]));
      const expected = credentials.map((c, i) => {
        const lastSeq = stats.lastSeqs[i]!;
        return { agentId: c.agentId, points: lastSeq * stats.pointsPerBatch, seqs: lastSeq, top: lastSeq, samples: lastSeq };
      });
      const actual = credentials.map((c) => {
        const r = stored.get(c.agentId);
        return { agentId: c.agentId, points: Number(r?.points ?? 0), seqs: Number(r?.seqs ?? 0), top: Number(r?.top ?? 0), samples: Number(r?.samples ?? 0) };
      });
      // Every batch 1…lastSeq of every agent, each exactly once, with all its points.
      expect(actual).toEqual(expected);
    } finally {
      await store.close();
    }
  }, 120_000);
});
