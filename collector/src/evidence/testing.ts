import type { Store } from "../store/clickhouse.js";

// Test support: evidence written straight into the tables the gateway fills, at chosen instants.

/** Which agent the rows belong to. */
export interface AgentKey {
  clientId: string;
  siteId: string;
  agentId: string;
}

let seq = 1;

/** Health samples every `stepMs` over [from, to] (both ends included) with one boot id. */
export async function insertSamples(store: Store, agent: AgentKey, from: number, to: number, bootId: string, stepMs = 15_000): Promise<void> {
  const rows = [];
  for (let ts = from; ts <= to; ts += stepMs) {
    rows.push({ client_id: agent.clientId, site_id: agent.siteId, agent_id: agent.agentId, ts, boot_id: bootId, seq: seq++, skew_ms: 0, received_at: ts + 200 });
  }
  await store.insert("health_samples", rows);
}

/** A goodbye from the agent at `at` with this reason (os_reboot, service_stop, ...). */
export async function insertGoodbye(store: Store, agent: AgentKey, at: number, reason: string): Promise<void> {
  await store.insert("connection_events", [
    { at, agent_id: agent.agentId, client_id: agent.clientId, site_id: agent.siteId, event: "goodbye", reason, detail: "", remote_addr: "127.0.0.1", boot_id: "", agent_version: "test", collector_id: "test" },
  ]);
}

/** A collector run from `start` to its last heartbeat `end`, stopped there. */
export async function insertCollectorRun(store: Store, id: string, start: number, end: number): Promise<void> {
  await store.insert("collector_runs", [{ run_id: id, started_at: start, heartbeat_at: end, stopped_at: end, stop_reason: "test", version: 1 }]);
}

/** Check results every `stepMs` over [from, to] with one outcome. */
export async function insertChecks(
  store: Store,
  agent: AgentKey,
  check: { id: string; role: "gateway" | "internet" | "service" },
  from: number,
  to: number,
  ok: boolean,
  stepMs = 30_000,
): Promise<void> {
  const rows = [];
  for (let ts = from; ts <= to; ts += stepMs) {
    rows.push({
      client_id: agent.clientId,
      site_id: agent.siteId,
      agent_id: agent.agentId,
      check_id: check.id,
      check_type: "ping",
      role: check.role,
      target: "127.0.0.1",
      ts,
      ok: ok ? 1 : 0,
      latency_ms: ok ? 1 : null,
      loss_pct: ok ? 0 : 100,
      status: 0,
      error: ok ? "" : "timeout",
      boot_id: "b",
      seq: seq++,
      skew_ms: 0,
      received_at: ts + 200,
    });
  }
  await store.insert("check_results", rows);
}

/** Client, site and hosts written straight to the store, enrolled at `enrolledAt` (the API would say "now"). */
export async function seedFleet(
  store: Store,
  spec: { clientId: string; clientName?: string; timezone?: string; currency?: string; sites: Record<string, string[]>; enrolledAt: number },
): Promise<Record<string, AgentKey>> {
  const { saveClient } = await import("../store/queries/clients.js");
  const { saveSite } = await import("../store/queries/sites.js");
  const { saveAgent } = await import("../store/queries/agents.js");
  await saveClient(store, { id: spec.clientId, name: spec.clientName ?? spec.clientId, timezone: spec.timezone ?? "UTC", currency: spec.currency ?? "EUR", created_at: spec.enrolledAt });
  const hosts: Record<string, AgentKey> = {};
  for (const [siteId, hostnames] of Object.entries(spec.sites)) {
    await saveSite(store, { id: siteId, client_id: spec.clientId, name: `Site ${siteId}`, created_at: spec.enrolledAt });
    for (const hostname of hostnames) {
      const agentId = `${spec.clientId}-${hostname}`;
      await saveAgent(store, {
        id: agentId,
        client_id: spec.clientId,
        site_id: siteId,
        hostname,
        machine_id: agentId,
        token_hash: "x",
        agent_version: "test",
        os_platform: "linux",
        os_release: "6.1",
        os_arch: "x64",
        enrollment_token_id: "t",
        enrolled_at: spec.enrolledAt,
        revoked_at: null,
        updated_at: spec.enrolledAt,
      });
      hosts[hostname] = { clientId: spec.clientId, siteId, agentId };
    }
  }
  return hosts;
}
