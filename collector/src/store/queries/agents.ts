import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";

/** An enrolled agent, one per monitored host. */
export interface AgentRow {
  id: string;
  client_id: string;
  site_id: string;
  hostname: string;
  machine_id: string;
  token_hash: string;
  agent_version: string;
  os_platform: string;
  os_release: string;
  os_arch: string;
  enrollment_token_id: string;
  enrolled_at: number;
  revoked_at: number | null;
  updated_at: number;
}

const COLUMNS = `id, client_id, site_id, hostname, machine_id, token_hash, agent_version, os_platform, os_release,
  os_arch, enrollment_token_id, toUnixTimestamp64Milli(enrolled_at) AS enrolled_at,
  if(revoked_at IS NULL, NULL, toUnixTimestamp64Milli(assumeNotNull(revoked_at))) AS revoked_at,
  toUnixTimestamp64Milli(updated_at) AS updated_at`;

/** The agent with this id, or null. */
export async function findAgent(store: Store, id: string): Promise<AgentRow | null> {
  const rows = await store.query<AgentRow>(`SELECT ${COLUMNS} FROM agents FINAL WHERE id = {id:String}`, { id });
  return rows[0] ?? null;
}

/** The agent enrolled earlier from this machine into this client, or null. */
export async function findAgentByMachine(store: Store, clientId: string, machineId: string): Promise<AgentRow | null> {
  if (!machineId) return null;
  const rows = await store.query<AgentRow>(
    `SELECT ${COLUMNS} FROM agents FINAL WHERE client_id = {c:String} AND machine_id = {m:String} ORDER BY enrolled_at DESC LIMIT 1`,
    { c: clientId, m: machineId },
  );
  return rows[0] ?? null;
}

/** Agents whose row changed at or after `sinceMs` (all of them for 0). */
export async function agentsChangedSince(store: Store, sinceMs: number): Promise<AgentRow[]> {
  return store.query<AgentRow>(`SELECT ${COLUMNS} FROM agents FINAL WHERE updated_at >= fromUnixTimestamp64Milli({since:Int64})`, {
    since: Math.max(0, sinceMs),
  });
}

/** Writes the agent's current state (a new version of its row). */
export async function saveAgent(store: Store, agent: AgentRow): Promise<void> {
  await store.insert("agents", [{ ...agent, updated_at: Date.now(), version: nextVersion() }]);
}

/** Narrows a list of agents; every field given must match. */
export interface AgentFilter {
  clientId?: string;
  siteId?: string;
}

// WHERE clause over the agents table from fixed fragments; the values travel as parameters.
function agentWhere(filter: AgentFilter): { sql: string; params: Record<string, string> } {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  if (filter.clientId !== undefined) {
    parts.push("client_id = {clientId:String}");
    params.clientId = filter.clientId;
  }
  if (filter.siteId !== undefined) {
    parts.push("site_id = {siteId:String}");
    params.siteId = filter.siteId;
  }
  return { sql: parts.length ? `WHERE ${parts.join(" AND ")}` : "", params };
}

/** Every agent (revoked included), or those matching the filter, by hostname. */
export async function listAgents(store: Store, filter: AgentFilter = {}): Promise<AgentRow[]> {
  const { sql, params } = agentWhere(filter);
  return store.query<AgentRow>(`SELECT ${COLUMNS} FROM agents FINAL ${sql} ORDER BY hostname, id`, params);
}

/**
 * When the collector last stored data from each agent (epoch ms), from `stored_seq`: one agent by id, or every
 * agent matching the filter. Agents that never sent data are absent from the map.
 */
export async function lastReceivedByAgent(store: Store, filter: AgentFilter & { agentId?: string } = {}): Promise<Map<string, number>> {
  let where: string;
  let params: Record<string, string>;
  if (filter.agentId !== undefined) {
    where = "agent_id = {agentId:String}";
    params = { agentId: filter.agentId };
  } else {
    const agents = agentWhere(filter);
    where = `agent_id IN (SELECT id FROM agents FINAL ${agents.sql})`;
    params = agents.params;
  }
  const rows = await store.query<{ agent_id: string; last_received: number }>(
    `SELECT agent_id, toUnixTimestamp64Milli(max(last_received)) AS last_received FROM stored_seq WHERE ${where} GROUP BY agent_id`,
    params,
  );
  return new Map(rows.map((r) => [r.agent_id, Number(r.last_received)]));
}
