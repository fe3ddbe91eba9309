import { z } from "@hono/zod-openapi";
import { Timestamp } from "../schema.js";

const SegmentSchema = z
  .object({
    start: Timestamp,
    end: Timestamp,
    state: z.enum(["UP", "DEGRADED", "DOWN", "UNKNOWN", "UNMONITORED", "MAINTENANCE"]),
    cause: z.string().nullable().openapi({ example: "crash" }),
  })
  .openapi("TimelineSegment");

/** Query of the timeline routes: a period of at most two years. */
export const TimelineQuery = z.object({
  from: z.string().datetime({ offset: true }).openapi({ param: { name: "from", in: "query" }, example: "2026-11-01T00:00:00Z" }),
  to: z.string().datetime({ offset: true }).openapi({ param: { name: "to", in: "query" }, example: "2026-11-02T00:00:00Z" }),
});

export const HostTimelineSchema = z
  .object({
    hostId: z.string(),
    clientId: z.string(),
    siteId: z.string(),
    from: Timestamp,
    to: Timestamp,
    segments: z.array(SegmentSchema),
    checks: z.array(z.object({ checkId: z.string(), role: z.enum(["gateway", "internet", "service"]), segments: z.array(SegmentSchema) })),
  })
  .openapi("HostTimeline");

export const SiteTimelineSchema = z
  .object({ siteId: z.string(), clientId: z.string(), from: Timestamp, to: Timestamp, hostIds: z.array(z.string()), segments: z.array(SegmentSchema) })
  .openapi("SiteTimeline");
