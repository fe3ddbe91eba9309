import { z } from "@hono/zod-openapi";
import type { StoredMaintenanceWindow } from "../../store/queries/maintenance.js";
import { iso, Timestamp } from "../schema.js";

// Shapes only; the rules (times, zones, durations, dates, overlaps) are the availability core's.

const ScopeSchema = z
  .object({
    level: z.enum(["client", "site", "host"]),
    id: z.string().min(1).max(64).openapi({ description: "The client's, site's or host's id (for client: the clientId)" }),
  })
  .strict()
  .openapi("MaintenanceScope");

const Weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);

const common = {
  clientId: z.string().min(1).max(64).openapi({ example: "k3JxA9bq2xPwLm0T" }),
  scope: ScopeSchema,
  reason: z
    .string()
    .max(1000)
    .openapi({ example: "Firmware update of the core switch", description: "Why; must not be empty for a window recorded afterwards" }),
  planned: z
    .boolean()
    .default(true)
    .openapi({ description: "False for maintenance recorded after the fact (needs a reason); a window covering time before now is stored as false" }),
};

const recurring = {
  timezone: z
    .string()
    .max(100)
    .optional()
    .openapi({ example: "Europe/Berlin", description: "IANA zone of start and dates; default the scope's (site override, else the client's)" }),
  start: z.string().max(5).openapi({ example: "02:00", description: "Local start time HH:MM" }),
  durationMinutes: z.number().openapi({ example: 240, description: "Real elapsed minutes" }),
  firstDate: z
    .string()
    .max(10)
    .optional()
    .openapi({ example: "2026-07-01", description: "First local date an occurrence may start on; default its next occurrence (today, or tomorrow if today's has begun)" }),
  lastDate: z.string().max(10).optional().openapi({ example: "2026-12-31", description: "Last local date an occurrence may start on" }),
};

const Instant = z.iso.datetime({ offset: true }).openapi({ example: "2026-07-04T22:00:00Z", description: "ISO 8601 date-time with Z or an offset" });

const OnceInput = z
  .object({ ...common, kind: z.literal("once"), start: Instant, end: Instant })
  .strict()
  .openapi("OneOffMaintenanceInput");
const WeeklyInput = z
  .object({ ...common, ...recurring, kind: z.literal("weekly"), weekday: Weekday })
  .strict()
  .openapi("WeeklyMaintenanceInput");
const MonthlyOn = z.union([
  z.object({ day: z.number().openapi({ description: "Day of the month 1–31; a day the month lacks means its last day" }) }).strict(),
  z.object({ nth: z.number().openapi({ description: "1–5, or -1 for the last" }), weekday: Weekday }).strict(),
], { error: "must be {day} or {nth, weekday}" });
const MonthlyInput = z
  .object({ ...common, ...recurring, kind: z.literal("monthly"), on: MonthlyOn })
  .strict()
  .openapi("MonthlyMaintenanceInput");

/** Body of `POST /maintenance-windows`: the core's MaintenanceWindow without id, for one client. */
export const CreateMaintenanceWindowSchema = z
  .discriminatedUnion("kind", [OnceInput, WeeklyInput, MonthlyInput], { error: "must be once, weekly or monthly" })
  .openapi("CreateMaintenanceWindow");
export type CreateMaintenanceWindow = z.infer<typeof CreateMaintenanceWindowSchema>;

const stored = {
  id: z.string(),
  clientId: z.string(),
  scope: ScopeSchema,
  reason: z.string(),
  planned: z.boolean(),
  createdAt: Timestamp,
  createdBy: z.string(),
};
const recurringOut = {
  timezone: z.string(),
  start: z.string(),
  durationMinutes: z.number(),
  firstDate: z.string().optional(),
  lastDate: z.string().optional(),
};

/** A stored maintenance window. */
export const MaintenanceWindowSchema = z
  .discriminatedUnion("kind", [
    z.object({ ...stored, kind: z.literal("once"), start: Timestamp, end: Timestamp }),
    z.object({ ...stored, ...recurringOut, kind: z.literal("weekly"), weekday: Weekday }),
    z.object({ ...stored, ...recurringOut, kind: z.literal("monthly"), on: z.union([z.object({ day: z.number() }), z.object({ nth: z.number(), weekday: Weekday })]) }),
  ])
  .openapi("MaintenanceWindow");
export type MaintenanceWindowView = z.infer<typeof MaintenanceWindowSchema>;

export const MaintenanceWindowListQuery = z.object({
  clientId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "clientId", in: "query" }, description: "The client whose windows to list" }),
});

export const MaintenanceWindowListSchema = z.object({ items: z.array(MaintenanceWindowSchema) }).openapi("MaintenanceWindowList");

/** The API view of a stored window: instants as ISO 8601. */
export function windowView(s: StoredMaintenanceWindow): MaintenanceWindowView {
  const base = { id: s.id, clientId: s.clientId, reason: s.reason, planned: s.planned, createdAt: iso(s.createdAt), createdBy: s.createdBy };
  const { id: _id, reason: _reason, ...w } = s.window;
  if (w.kind === "once") return { ...base, ...w, start: iso(w.start), end: iso(w.end) };
  return { ...base, ...w };
}
