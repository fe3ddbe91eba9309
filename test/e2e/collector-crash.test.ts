import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../collector/src/store/clickhouse.js";
import { AdminApi } from "../support/api.js";
import { freePort } from "../support/free-port.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, enrollAgent, startAgent, startCollector, tempDir, waitFor, type AgentProcess, type CollectorProcess } from "../support/processes.js";

const AGENTS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SpoolStatus {
  spool: { pendingBatches: number; lastSeq: number };
  lastAckSeq: number;
}

function status(stateDir: string): SpoolStatus {
  return JSON.parse(readFileSync(path.join(stateDir, "status.json"), "utf8")) as SpoolStatus;
}

describe("the collector is SIGKILLed and restarted while agents stream", () => {
  const dirs: string[] = [];
  let collector: CollectorProcess | undefined;
  let agents: AgentProcess[] = [];
  afterAll(async () => {
    for (const a of agents) await a.kill().catch(() => undefined);
    await collector?.kill().catch(() => undefined);
    cleanup(...dirs);
  });

  it("stores every sample exactly once", async () => {
    const dataDir = tempDir("crash-collector");
    dirs.push(dataDir);
    const port = await freePort();
    collector = await startCollector({ dataDir, port, env: LOOPBACK_AGENT_ENV });
    const api = new AdminApi(collector.url, collector.adminToken);
    const { token } = await api.enrollmentToken("Crash Test Ltd");
    const stateDirs: string[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const dir = tempDir(`crash-agent-${i}`);
      dirs.push(dir);
      stateDirs.push(dir);
      await enrollAgent(collector.url, token, dir);
    }
    agents = stateDirs.map((d) => startAgent(d, { healthInterval: 1, checkInterval: 5 }));

    // Kill the collector at arbitrary moments, mid-insert or not, and bring it back on the same port.
    for (let round = 0; round < 3; round++) {
      await waitFor(() => stateDirs.every((d) => status(d).lastAckSeq > 0), "acks flowing", 30_000);
      await sleep(2000 + Math.random() * 3000);
      await collector.kill();
      await sleep(1500 + Math.random() * 1500);
      collector = await startCollector({ dataDir, port, env: LOOPBACK_AGENT_ENV });
    }

    // Stop sampling, then let each agent deliver its backlog alone.
    for (const a of agents) await a.stop();
    agents = stateDirs.map((d) => startAgent(d, { healthInterval: 3600, checkInterval: 3600 }));
    await waitFor(
      () => stateDirs.every((d) => {
        const s = status(d);
        return s.spool.pendingBatches === 0 && s.lastAckSeq === s.spool.lastSeq;
      }),
      "every spool drained",
      60_000,
    );
    for (const a of agents) await a.stop();
    agents = [];
    await collector.stop();
    collector = undefined;

    const store = await openStore({ kind: "embedded", path: path.join(dataDir, "clickhouse"), database: "vigil" });
    try {
      const dupHealth = await store.query("SELECT agent_id, seq, count() AS c FROM health_samples GROUP BY agent_id, seq HAVING c > 1");
      const dupMetrics = await store.query("SELECT agent_id, seq, name, labels, count() AS c FROM metrics_raw GROUP BY agent_id, seq, name, labels HAVING c > 1 LIMIT 5");
      const dupChecks = await store.query("SELECT agent_id, seq, check_id, count() AS c FROM check_results GROUP BY agent_id, seq, check_id HAVING c > 1");
      const dupInventory = await store.query("SELECT agent_id, seq, count() AS c FROM inventory_history GROUP BY agent_id, seq HAVING c > 1");
      expect(dupInventory).toEqual([]);
      expect(dupHealth).toEqual([]);
      expect(dupMetrics).toEqual([]);
      expect(dupChecks).toEqual([]);

      const seqs = await store.query<{ agent_id: string; seqs: number[] }>(
        `SELECT agent_id, arraySort(groupUniqArray(seq)) AS seqs FROM
           (SELECT agent_id, seq FROM health_samples UNION ALL SELECT agent_id, seq FROM check_results
            UNION ALL SELECT agent_id, seq FROM inventory_history)
         GROUP BY agent_id`,
      );
      expect(seqs).toHaveLength(AGENTS);
      for (const dir of stateDirs) {
        const { agentId } = JSON.parse(readFileSync(path.join(dir, "credentials.json"), "utf8")) as { agentId: string };
        const lastSeq = status(dir).spool.lastSeq;
        const stored = seqs.find((s) => s.agent_id === agentId)!.seqs.map(Number);
        // Nothing lost, nothing twice: exactly the batches 1..lastSeq the agent numbered.
        expect(stored).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
      }
      const [events] = await store.query<{ runs: number }>("SELECT count() AS runs FROM collector_runs FINAL");
      expect(Number(events!.runs)).toBe(4);
    } finally {
      await store.close();
    }
  }, 240_000);
});
