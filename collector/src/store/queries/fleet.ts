import type { Store } from "../clickhouse.js";

// The fleet view's reads: each is one query over every host (or one client's), never one per host.

/** An agent's last connection event as seen by one collector run. */
export interface LastConnectionEvent {
  agentId: string;
  collectorId: string;
  event: "connected" | "goodbye" | "disconnected";
  reason: string;
  at: number;
}

/**
 * The latest connect / goodbye / disconnect of each agent per collector run: with several collectors an agent
 * that moved has a late "disconnected" from the old one after its "connected" on the new one, so each
 * collector's word is kept apart and the caller decides.
 */
export async function lastConnectionEvents(store: Store, clientId?: string): Promise<LastConnectionEvent[]> {
  const where = clientId === undefined ? "" : "AND client_id = {clientId:String}";
  const rows = await store.query<{ agent_id: string; collector_id: string; last_event: string; last_reason: string; last_ms: number }>(
    `SELECT agent_id, collector_id, argMax(event, at) AS last_event, argMax(reason, at) AS last_reason,
            toUnixTimestamp64Milli(max(at)) AS last_ms
     FROM connection_events WHERE event IN ('connected', 'goodbye', 'disconnected') ${where}
     GROUP BY agent_id, collector_id`,
    clientId === undefined ? {} : { clientId },
  );
  return rows.map((r) => ({
    agentId: r.agent_id,
    collectorId: r.collector_id,
    event: r.last_event as LastConnectionEvent["event"],
    reason: r.last_reason,
    at: Number(r.last_ms),
  }));
}

/** A collector run counts as alive while it has not stopped and its heartbeat (every 10 s) is this fresh. */
export const RUN_ALIVE_MS = 35_000;

/** Ids of the collector runs alive at `nowMs`: their agents' "connected" still holds. */
export async function aliveCollectorRuns(store: Store, nowMs: number): Promise<Set<string>> {
  const rows = await store.query<{ run_id: string }>(
    `SELECT run_id FROM collector_runs FINAL
     WHERE stopped_at IS NULL AND heartbeat_at >= fromUnixTimestamp64Milli({since:Int64})`,
    { since: nowMs - RUN_ALIVE_MS },
  );
  return new Set(rows.map((r) => r.run_id));
}

/** Open alerts counted per client, site and host (host '' for site alerts). */
export interface OpenAlertCount {
  clientId: string;
  siteId: string;
  hostId: string;
  firing: number;
  acknowledged: number;
}

/** Firing and acknowledged alerts per client, site and host. */
export async function openAlertCounts(store: Store, clientId?: string): Promise<OpenAlertCount[]> {
  const where = clientId === undefined ? "" : "AND client_id = {clientId:String}";
  const rows = await store.query<{ client_id: string; site_id: string; host_id: string; firing: number; acknowledged: number }>(
    `SELECT client_id, site_id, host_id, countIf(state = 'firing') AS firing, countIf(state = 'acknowledged') AS acknowledged
     FROM alerts FINAL WHERE state IN ('firing', 'acknowledged') ${where}
     GROUP BY client_id, site_id, host_id`,
    clientId === undefined ? {} : { clientId },
  );
  return rows.map((r) => ({ clientId: r.client_id, siteId: r.site_id, hostId: r.host_id, firing: Number(r.firing), acknowledged: Number(r.acknowledged) }));
}
