import type { components } from "../../api/schema";

// The report shapes as the API's OpenAPI document describes them (collector/src/reports/sla/report.ts).

export type SlaReport = components["schemas"]["SlaReport"];
export type SlaSummary = NonNullable<SlaReport["previousPeriod"]>;
export type FleetReport = components["schemas"]["FleetReport"];
export type ReportRunSummary = components["schemas"]["ReportRunSummary"];
export type Client = components["schemas"]["Client"];
