import { appliesTo, expandMaintenance, type MaintenanceWindow } from "../../availability/index.js";
import { lastReceivedByAgent, listAgents } from "../../store/queries/agents.js";
import { listClients } from "../../store/queries/clients.js";
import { listMaintenanceWindows } from "../../store/queries/maintenance.js";
import { listSites } from "../../store/queries/sites.js";
import type { ApiDeps } from "../app.js";
import { iso } from "../schema.js";
import type { Fleet, FleetCounts, FleetHost } from "./schema.js";
import { hostState, rollupStatus } from "./status.js";
import { aliveCollectorRuns, lastConnectionEvents, openAlertCounts, type LastConnectionEvent } from "../../store/queries/fleet.js";

/** Collector id used for this collector's own events when the API was built without a run id. */
export const LOCAL_COLLECTOR = "local";

/**
 * Events this collector saw that may not be stored yet (the writer flushes about once a second), keyed by
 * agent id: they are laid over the stored events so a goodbye shows as "stopped" at once.
 */
export type RecentEvents = ReadonlyMap<string, LastConnectionEvent>;

function emptyCounts(): FleetCounts {
  return { hosts: 0, up: 0, down: 0, stopped: 0, maintenance: 0, never: 0, revoked: 0, firingAlerts: 0, acknowledgedAlerts: 0 };
}

function addHost(counts: FleetCounts, host: FleetHost): void {
  counts.hosts++;
  counts[host.status]++;
}

// Windows active at `nowMs`; a stored window the core refuses (it never should) is left out, not fatal.
function activeWindows(windows: readonly MaintenanceWindow[], nowMs: number): MaintenanceWindow[] {
  return windows.filter((w) => {
    try {
      return expandMaintenance(w, nowMs, nowMs + 1).length > 0;
    } catch {
      return false;
    }
  });
}

/**
 * The fleet as one client sees it (`clientId`) or every client: clients → sites → hosts with statuses and
 * counts. A fixed handful of queries run in parallel, whatever the number of hosts.
 */
export async function loadFleet(deps: ApiDeps, clientId: string | undefined, recent?: RecentEvents): Promise<Fleet> {
  const { store, presence } = deps;
  const now = Date.now();
  const filter = clientId === undefined ? {} : { clientId };
  const [clients, sites, agents, lastReceived, connections, aliveRuns, alerts, windows] = await Promise.all([
    listClients(store),
    listSites(store, filter),
    listAgents(store, filter),
    lastReceivedByAgent(store, filter),
    lastConnectionEvents(store, clientId),
    aliveCollectorRuns(store, now),
    openAlertCounts(store, clientId),
    listMaintenanceWindows(store, filter),
  ]);
  const localRunId = deps.collectorRunId ?? LOCAL_COLLECTOR;

  const byAgent = new Map<string, LastConnectionEvent[]>();
  for (const c of connections) byAgent.set(c.agentId, [...(byAgent.get(c.agentId) ?? []), c]);
  for (const [agentId, r] of recent ?? []) {
    const list = (byAgent.get(agentId) ?? []).filter((c) => c.collectorId !== r.collectorId || c.at > r.at);
    if (!list.some((c) => c.collectorId === r.collectorId)) list.push(r);
    byAgent.set(agentId, list);
  }
  const active = activeWindows(
    windows.map((w) => w.window),
    now,
  );
  const alertsByHost = new Map<string, { firing: number; acknowledged: number }>();
  for (const a of alerts) alertsByHost.set(`${a.siteId}/${a.hostId}`, a);

  const hosts: FleetHost[] = agents.map((agent) => {
    const events = byAgent.get(agent.id) ?? [];
    const { status, connected } = hostState({
      revoked: agent.revoked_at !== null,
      connectedHere: presence.isConnected(agent.id),
      connections: events,
      aliveRuns,
      localRunId,
      everReceived: lastReceived.has(agent.id),
      inMaintenance: active.some((w) => appliesTo(w, { clientId: agent.client_id, siteId: agent.site_id, hostId: agent.id })),
    });
    const seen = [presence.lastSeen(agent.id), lastReceived.get(agent.id), ...events.map((e) => e.at)].filter(
      (t): t is number => t !== undefined && Number.isFinite(t) && t > 0,
    );
    const open = alertsByHost.get(`${agent.site_id}/${agent.id}`);
    return {
      id: agent.id,
      clientId: agent.client_id,
      siteId: agent.site_id,
      hostname: agent.hostname,
      status,
      connected,
      lastSeenAt: seen.length ? iso(Math.max(...seen)) : null,
      os: { platform: agent.os_platform, release: agent.os_release, arch: agent.os_arch },
      agentVersion: agent.agent_version,
      firingAlerts: open?.firing ?? 0,
      acknowledgedAlerts: open?.acknowledged ?? 0,
    };
  });

  const hostsBySite = new Map<string, FleetHost[]>();
  for (const h of hosts) hostsBySite.set(h.siteId, [...(hostsBySite.get(h.siteId) ?? []), h]);
  const total = emptyCounts();
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const visibleClients = clients.filter((c) => clientId === undefined || c.id === clientId);
  const fleetClients = visibleClients
    .map((client) => {
      const clientCounts = emptyCounts();
      const clientSites = sites
        .filter((s) => s.client_id === client.id)
        .map((site) => {
          const siteHosts = (hostsBySite.get(site.id) ?? []).sort((a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id));
          const counts = emptyCounts();
          for (const h of siteHosts) addHost(counts, h);
          for (const a of alerts.filter((x) => x.siteId === site.id)) {
            counts.firingAlerts += a.firing;
            counts.acknowledgedAlerts += a.acknowledged;
          }
          return { id: site.id, name: site.name, status: rollupStatus(siteHosts.map((h) => h.status)), counts, hosts: siteHosts };
        })
        .sort(byName);
      for (const s of clientSites) for (const k of Object.keys(clientCounts) as Array<keyof FleetCounts>) clientCounts[k] += s.counts[k];
      const statuses = clientSites.flatMap((s) => s.hosts.map((h) => h.status));
      return { id: client.id, name: client.name, status: rollupStatus(statuses), counts: clientCounts, sites: clientSites };
    })
    .sort(byName);
  for (const c of fleetClients) for (const k of Object.keys(total) as Array<keyof FleetCounts>) total[k] += c.counts[k];
  return { generatedAt: iso(now), counts: total, clients: fleetClients };
}

/** Every host of a fleet, flattened. */
export function fleetHosts(fleet: Fleet): FleetHost[] {
  return fleet.clients.flatMap((c) => c.sites.flatMap((s) => s.hosts));
}
