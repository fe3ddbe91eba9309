import type { Fleet, FleetCounts, FleetHost, HostStatus, RollupStatus } from "./types";

// Keeps a fetched fleet current as host events arrive, with the same roll-up rule as the collector.

const ROLLUP_ORDER: readonly RollupStatus[] = ["down", "stopped", "up", "maintenance", "never"];

/** A site's or client's status from its hosts': down or stopped if any is, else up, maintenance, never; empty without hosts. */
export function rollupStatus(statuses: readonly HostStatus[]): RollupStatus {
  const present = new Set<string>(statuses);
  return ROLLUP_ORDER.find((s) => present.has(s)) ?? "empty";
}

// Counts after one host changed from `before` to `after`.
function shift(counts: FleetCounts, before: FleetHost, after: FleetHost): FleetCounts {
  const next = { ...counts };
  next[before.status]--;
  next[after.status]++;
  next.firingAlerts += after.firingAlerts - before.firingAlerts;
  next.acknowledgedAlerts += after.acknowledgedAlerts - before.acknowledgedAlerts;
  return next;
}

/** The fleet with one host replaced, counts and statuses rolled up again; null when the host is not in it (read the fleet again). */
export function applyHostChange(fleet: Fleet, host: FleetHost): Fleet | null {
  let before: FleetHost | undefined;
  for (const c of fleet.clients) for (const s of c.sites) if (s.id === host.siteId) before = s.hosts.find((h) => h.id === host.id);
  if (!before) return null;
  const was = before;
  const clients = fleet.clients.map((c) => {
    if (c.id !== host.clientId) return c;
    const sites = c.sites.map((s) => {
      if (s.id !== host.siteId) return s;
      const hosts = s.hosts.map((h) => (h.id === host.id ? host : h));
      return { ...s, hosts, counts: shift(s.counts, was, host), status: rollupStatus(hosts.map((h) => h.status)) };
    });
    return { ...c, sites, counts: shift(c.counts, was, host), status: rollupStatus(sites.flatMap((s) => s.hosts.map((h) => h.status))) };
  });
  return { ...fleet, clients, counts: shift(fleet.counts, was, host) };
}
