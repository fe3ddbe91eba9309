import type { components } from "../../api/schema";

/** The fleet as GET /api/v1/fleet answers it. */
export type Fleet = components["schemas"]["Fleet"];
export type FleetClient = components["schemas"]["FleetClient"];
export type FleetSite = components["schemas"]["FleetSite"];
export type FleetHost = components["schemas"]["FleetHost"];
export type FleetCounts = components["schemas"]["FleetCounts"];
export type HostStatus = FleetHost["status"];
export type RollupStatus = FleetSite["status"];
