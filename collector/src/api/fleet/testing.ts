import type { Store } from "../../store/clickhouse.js";
import type { TestApi } from "../testing.js";

// Test support for the fleet routes: hosts enrolled into one client and site, and stored connection evidence.

/** Enrolls a host into an existing client and site through the API; returns its agent id. */
export async function enrollHost(t: TestApi, clientId: string, siteId: string, hostname: string): Promise<string> {
  const token = await t.call("POST", "/api/v1/enrollment-tokens", { body: { clientId, siteId } });
  if (token.status !== 201) throw new Error(`token: ${token.status}`);
  const e = await t.call("POST", "/api/v1/agents/enroll", {
    token: null,
    body: { token: token.body.token, hostname, agentVersion: "0.1.0", os: { platform: "linux", release: "6.1.0", arch: "x64" }, machineId: `m-${hostname}-${Math.random()}` },
  });
  if (e.status !== 201) throw new Error(`enroll: ${e.status}`);
  return e.body.agentId as string;
}

/** Stores a connection event of the agent as collector run `collectorId` recorded it. */
export async function insertConnectionEvent(
  store: Store,
  e: { agentId: string; clientId: string; siteId: string; collectorId: string; event: "connected" | "goodbye" | "disconnected"; reason: string; at: number },
): Promise<void> {
  await store.insert("connection_events", [
    { at: e.at, agent_id: e.agentId, client_id: e.clientId, site_id: e.siteId, event: e.event, reason: e.reason, detail: "", remote_addr: "127.0.0.1", boot_id: "", agent_version: "0.1.0", collector_id: e.collectorId },
  ]);
}

/** Stores a collector run that is alive now (heartbeat just now, not stopped) or one that stopped long ago. */
export async function insertRun(store: Store, runId: string, alive: boolean): Promise<void> {
  const now = Date.now();
  await store.insert("collector_runs", [
    { run_id: runId, started_at: now - 3600_000, heartbeat_at: alive ? now : now - 600_000, stopped_at: null, stop_reason: "", version: now },
  ]);
}
