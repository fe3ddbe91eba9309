import type { LastConnectionEvent } from "../../store/queries/fleet.js";

/** What the fleet view says about a host right now. */
export type FleetStatus = "up" | "down" | "stopped" | "maintenance" | "never" | "revoked";

/** Everything known about one host's connection, gathered for {@link hostStatus}. */
export interface HostEvidence {
  revoked: boolean;
  /** This collector holds a live connection to the agent now. */
  connectedHere: boolean;
  /** The latest event per collector run (this one's included). */
  connections: readonly LastConnectionEvent[];
  /** Collector runs that are alive now. */
  aliveRuns: ReadonlySet<string>;
  /** This collector's run id: its own stored "connected" is overruled by its live presence. */
  localRunId: string | undefined;
  /** The collector has stored data from the agent at some time. */
  everReceived: boolean;
  /** Inside a maintenance window now. */
  inMaintenance: boolean;
}

/** The host's status and whether an agent connection is live somewhere. */
export interface HostState {
  status: FleetStatus;
  connected: boolean;
}

/**
 * Decides a host's status. The latest connection event per collector decides; for this collector its live
 * presence refines it (an event may not be stored yet). A "connected" counts only from a collector that is
 * alive: one that crashed never wrote the disconnects. Maintenance wins over all but revoked: alerts are
 * silenced then, which is what a technician looking at the fleet needs to know.
 */
export function hostState(e: HostEvidence): HostState {
  if (e.revoked) return { status: "revoked", connected: false };
  const remote = e.connections.filter((c) => c.collectorId !== e.localRunId || e.localRunId === undefined);
  const connected = e.connectedHere || remote.some((c) => c.event === "connected" && e.aliveRuns.has(c.collectorId));
  if (e.inMaintenance) return { status: "maintenance", connected };
  if (connected) return { status: "up", connected };
  const saidGoodbyeRemotely = remote.some((c) => c.event === "goodbye" && e.aliveRuns.has(c.collectorId));
  const latest = [...e.connections].sort((a, b) => b.at - a.at)[0];
  if (saidGoodbyeRemotely) return { status: "stopped", connected: false };
  if (!latest) return { status: e.everReceived ? "down" : "never", connected: false };
  if (latest.event === "goodbye" || (latest.event === "disconnected" && latest.reason.startsWith("goodbye:"))) return { status: "stopped", connected: false };
  return { status: "down", connected: false };
}

// Problems first; then "up" if anything runs, "maintenance" if all that is left is in a window.
const ROLLUP_ORDER = ["down", "stopped", "up", "maintenance", "never"] as const;

/** Status of a site or client. */
export type RollupStatus = (typeof ROLLUP_ORDER)[number] | "empty";

/** Status of a site or client: down or stopped if any host is, else up if any is; "empty" without hosts (revoked aside). */
export function rollupStatus(statuses: Iterable<FleetStatus>): RollupStatus {
  const present = new Set<FleetStatus>(statuses);
  return ROLLUP_ORDER.find((s) => present.has(s)) ?? "empty";
}
